"""Listing output for the command line: a table that fits the terminal, or TSV, CSV, JSON, JSON lines for scripts."""
from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text  # cells are untrusted text, never console markup

FORMATS = ("table", "json", "jsonl", "csv", "tsv")
MIN_ABBREV = 8  # shortest id prefix a table shows (git shows 7); longer where 8 would not be unique


@dataclass
class Col:
    """One column: its header, its full value from a row, and how a table lays it out."""

    name: str
    value: Callable[[dict], Any]
    kind: str = "text"        # "id": never wrapped nor cut; "short": a fixed small value; "text": wrapped, clipped at a word
    lines: int = 2            # most lines a "text" cell takes in a table
    weight: int = 1           # share of the free width among "text" columns
    table: bool = True        # shown in the table (TSV, CSV always carry every column)
    abbrev: bool = False      # an "id" column the table shows as its shortest unique prefix


def default_format(console: Console) -> str:
    """A table on a terminal; TSV when stdout is a pipe or a file."""
    return "table" if console.is_terminal else "tsv"


def check_format(fmt: str | None, allowed: Iterable[str] = FORMATS) -> str | None:
    """The format name, lower-cased; ValueError naming the choices when it is not one of them."""
    if fmt is None:
        return None
    allowed = tuple(allowed)
    if fmt.lower() not in allowed:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(allowed)}")
    return fmt.lower()


def write_json(obj: Any) -> None:
    """One JSON document on one line."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else ""
    return str(v)


def tsv_field(v: Any) -> str:
    """A value on one TSV line: tabs and line breaks (which TSV cannot quote) become spaces."""
    return " ".join(_cell(v).replace("\t", " ").splitlines())


def clip(text: str, n: int) -> str:
    """Text cut at a word boundary with an ellipsis when longer than n characters (never mid-word)."""
    text = " ".join(text.split())
    if len(text) <= n:
        return text
    cut = text[:n - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return (cut or text[:n - 1]) + "…"


def wrap(text: str, width: int, lines: int) -> str:
    """Text wrapped at words to `width`, at most `lines` lines, the last one ending in an ellipsis when text was left out."""
    import textwrap
    width = max(1, width)
    parts = textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False, break_long_words=False) or [""]
    # a single word wider than the column is the one thing cut inside a word, and it says so
    parts = [p if len(p) <= width else p[:width - 1] + "…" for p in parts]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = clip(parts[-1] + " " + "x" * width, width)   # room for the ellipsis, cut at a word
    return "\n".join(parts)


def abbreviations(ids: Iterable[str], minimum: int = MIN_ABBREV) -> dict[str, str]:
    """Each id's shortest prefix (at least `minimum` long) that no other id in the set shares, as git abbreviates hashes."""
    uniq = sorted(set(i for i in ids if i))
    out = {}
    for k, i in enumerate(uniq):
        common = 0
        for j in (uniq[k - 1] if k else None, uniq[k + 1] if k + 1 < len(uniq) else None):
            if j is not None:
                n = 0
                while n < min(len(i), len(j)) and i[n] == j[n]:
                    n += 1
                common = max(common, n)
        out[i] = i[:max(minimum, common + 1)]
    return out


def emit(rows: list[dict], cols: list[Col], fmt: str, console: Console, *, records: list | None = None,
         abbrev_pool: Iterable[str] | None = None, title: str | None = None) -> None:
    """Print rows in the format asked: `records` (default the rows) are what JSON shows, `cols` what the others show."""
    if fmt == "json":
        write_json(rows if records is None else records)
    elif fmt == "jsonl":
        for r in rows if records is None else records:
            write_json(r)
    elif fmt in ("csv", "tsv"):
        head = [c.name for c in cols]
        body = [[c.value(r) for c in cols] for r in rows]
        if fmt == "tsv":
            sys.stdout.write("".join("\t".join(tsv_field(v) for v in line) + "\n" for line in [head, *body]))
        else:
            buf = io.StringIO()
            w = csv.writer(buf, lineterminator="\n")
            w.writerow(head)
            w.writerows([[_cell(v) for v in line] for line in body])
            sys.stdout.write(buf.getvalue())
    else:
        console.print(table(rows, cols, console.width, abbrev_pool=abbrev_pool, title=title))


def table(rows: list[dict], cols: list[Col], width: int, *, abbrev_pool: Iterable[str] | None = None, title: str | None = None) -> Table:
    """A table no wider than `width`: ids whole (or their unique prefix), text wrapped and clipped at a word."""
    cols = [c for c in cols if c.table]
    values = [[c.value(r) for c in cols] for r in rows]
    abbr: dict[str, str] = {}
    if any(c.abbrev for c in cols):
        pool = set(abbrev_pool or ())
        for j, c in enumerate(cols):
            if c.abbrev:
                pool |= {str(v[j]) for v in values if v[j]}
        abbr = abbreviations(pool)
    cells = [[(abbr.get(_cell(v), _cell(v)) if c.abbrev else _cell(v)) for c, v in zip(cols, line)] for line in values]
    gap = 2  # padding between columns (no edges, no vertical rules)
    widths = []
    for j, c in enumerate(cols):
        natural = max([len(c.name)] + [len(line[j]) for line in cells]) if cells else len(c.name)
        widths.append(natural if c.kind in ("id", "short") else None)
    fixed = sum(w for w in widths if w is not None) + gap * (len(cols) - 1)
    texts = [j for j, w in enumerate(widths) if w is None]
    free = max(len(texts) * 8, width - fixed)
    total_weight = sum(cols[j].weight for j in texts) or 1
    for j in texts:
        natural = max([len(cols[j].name)] + [len(" ".join(line[j].split())) for line in cells])
        widths[j] = max(min(natural, free * cols[j].weight // total_weight), min(natural, 8))
    # what the integer shares left over goes to the text columns that need it, left to right
    spare = width - sum(widths) - gap * (len(cols) - 1)
    for j in texts:
        natural = max([len(cols[j].name)] + [len(" ".join(line[j].split())) for line in cells])
        more = max(0, min(spare, natural - widths[j]))
        widths[j] += more
        spare -= more
    t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1), collapse_padding=True, title=title,
              header_style="bold", expand=False)
    for c, w in zip(cols, widths):
        if c.kind == "text":
            t.add_column(c.name, width=w, overflow="fold")
        else:
            t.add_column(c.name, width=w, no_wrap=True, overflow="ignore", min_width=w)
    for line in cells:
        t.add_row(*[Text(wrap(v, widths[j], cols[j].lines) if cols[j].kind == "text" else v) for j, v in enumerate(line)])
    return t
