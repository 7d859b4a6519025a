"""The `newstrace` command line (DESIGN.md fixes the subcommands and their JSON)."""
from __future__ import annotations

import json
import os
import sys
from typing import Any, Optional

import typer
from rich.console import Console
from rich.markup import escape  # titles, outlets, origins and reasons are untrusted text, never console markup

from . import __version__
from .cliout import FORMATS, Col, check_format, clip, default_format, emit, write_json


def _plain_help() -> None:
    """Help names each value (DB, URL, FORMAT) instead of typer's <str>/<bool>/<list[str]> tags and {paths} placeholders."""
    from typer import core
    core.TyperOption.display_type_rich = lambda self, ctx: self.metavar  # a flag has no value to name
    core.TyperArgument.display_type_rich = lambda self, ctx: None
    core.TyperArgument._rich_display_name = lambda self: self.display_name_raw + ("..." if self.nargs != 1 and not (self.metavar or "").endswith("...") else "")

    def usage(self) -> str:
        name = self._rich_display_name()
        return name if self.required else f"[{name}]"
    core.TyperArgument._usage_display_name = usage


_plain_help()


def _version(value: bool) -> None:
    if value:
        print(f"newstrace {__version__}")
        raise typer.Exit()


app = typer.Typer(add_completion=False, no_args_is_help=True, context_settings={"help_option_names": ["-h", "--help"]},
                  help="newstrace: which articles report the same event, who was first, who copied whom, what is recycled.")
err = Console(stderr=True)
out = Console()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="print the version and exit")) -> None:
    """newstrace: which articles report the same event, who was first, who copied whom, what is recycled."""


DbOption = typer.Option(None, "--db", metavar="DB", help="SQLite file or postgresql:// URL (default $NEWSTRACE_DB, else ./newstrace.db)")
FORMAT_HELP = "table (on a terminal), tsv (the default when piped), csv, json (one array) or jsonl (one object per line)"


def FormatOption(help: str = FORMAT_HELP):  # noqa: N802 - reads like the typer.Option it returns
    return typer.Option(None, "--format", "-f", metavar="FORMAT", help=help)


def JsonOption(help: str = "the same as --format json (kept for scripts)"):  # noqa: N802
    return typer.Option(False, "--json", help=help)


def _store(db: Optional[str], create: bool = False):
    """The store, or exit 1 with one line saying why; a read command never creates a store that is not there."""
    from .store import StoreMissing, default_db, open_store
    try:
        return open_store(db, create=create)
    except StoreMissing as e:
        err.print(str(e), highlight=False, markup=False, soft_wrap=True)
    except Exception as e:  # noqa: BLE001 - a bad path, a file that is no database, a refused connection: a sentence, not a traceback
        err.print(f"cannot open the store {db or default_db()}: {e}", highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(1)


def _outcome(ok: int, failed: int) -> int:
    """The exit status for inputs read (README: 0 all usable, 1 nothing usable, 3 some quarantined)."""
    return 0 if ok and not failed else 3 if ok else 1


def _say(text: str) -> None:
    err.print(text, highlight=False, markup=False, soft_wrap=True)


class FailureLines:
    """Says each unreadable input, but only the first few records of one file that fail for one reason.

    A JSONL file of another tool's records (rated pairs, say) fails on every line for the same reason: 1,283 identical
    lines buried the run's summary. The rest of such a group is counted and said once at the end; nothing else
    changes (every record is still quarantined, or still one object of extract's JSON output)."""

    SHOWN = 3

    def __init__(self, verb: str, done: str, where: str, say=_say) -> None:
        self.verb, self.done, self.where, self.say = verb, done, where, say
        self.groups: dict[tuple[str, str], int] = {}

    def add(self, origin: str, reason: str) -> None:
        key = (str(origin).split("#line=", 1)[0], reason)
        n = self.groups[key] = self.groups.get(key, 0) + 1
        if n <= self.SHOWN:
            self.say(f"{self.verb} {origin}: {reason}")

    def close(self) -> None:
        for (source, reason), n in self.groups.items():
            if n > self.SHOWN:
                self.say(f"... and {n - self.SHOWN:,} more record(s) of {source} {self.done}: {reason} "
                         f"({n:,} in all; {self.where})")


def _format(fmt: Optional[str], as_json: bool, allowed=FORMATS, json_means: str = "json", default: Optional[str] = None) -> str:
    """The output format asked for (--json is `json_means`), else the default for where stdout goes; exit 2 when unknown."""
    try:
        fmt = check_format(fmt, allowed)
    except ValueError as e:
        _say(str(e))
        raise typer.Exit(2)
    if as_json:
        if fmt and fmt != json_means:
            _say(f"--json and --format {fmt} ask for two formats: give one")
            raise typer.Exit(2)
        return json_means
    return fmt or default or default_format(out)


def _resolve(store, kind: str, given: str) -> str:
    """The stored id `given` is, or starts (as git takes abbreviated hashes); exit 1 when none, 2 when several."""
    from .store.base import AmbiguousId
    try:
        found = store.resolve_id(kind, given)
    except AmbiguousId as e:
        more = " …" if len(e.candidates) > 10 else ""
        _say(f"{kind} id {given!r} is ambiguous: it starts {len(e.candidates) if not more else 'more than 10'} ids: "
             + ", ".join(e.candidates[:10]) + more + " (give more characters)")
        store.close()
        raise typer.Exit(2)
    if found is None:
        _say(f"no {kind} {given!r}")
        store.close()
        raise typer.Exit(1)
    return found


def _sources(paths: list[str], allow_private: bool):
    """Raw documents and failures from every path or URL given."""
    from .ingest import iter_inputs
    return iter_inputs(paths, allow_private=allow_private)


@app.command()
def ingest(paths: list[str] = typer.Argument(..., metavar="INPUT...", help="files, folders, .jsonl, URLs, feeds, WARC, or - for JSONL on stdin"),
           db: Optional[str] = DbOption,
           allow_private: bool = typer.Option(False, "--allow-private", help="allow fetching private/loopback/link-local addresses")):
    """Ingest articles into the store; unreadable inputs are quarantined with the reason."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    from .cliprogress import IngestCount, IngestEta, IngestRate
    from .ingest import count_inputs
    from .pipeline import ingest as run_ingest

    store = _store(db, create=True)
    total = count_inputs(paths) if err.is_terminal else None   # None for URLs, feeds, WARC, stdin: no ETA then
    progress = Progress(TextColumn("[bold]{task.fields[stage]}"), BarColumn(), IngestCount(), IngestRate(), TimeElapsedColumn(),
                        IngestEta(), TextColumn("{task.fields[last]}"), console=err, transient=True, disable=not err.is_terminal)

    pending = [0]   # articles read but not yet enriched: not settled, so not yet counted in the ETA's rate
    # printed as it happens (above the bar on a terminal, one line each in logs)
    failures = FailureLines("quarantined", "quarantined", "`newstrace quarantine` lists each",
                            lambda text: progress.console.print(text, highlight=False, markup=False, soft_wrap=True))

    def on_item(item, status):
        pending[0] += status == "added"
        progress.update(task, advance=1, pending=pending[0], last=escape(os.path.basename(str(getattr(item, "origin", "")))[:30]))
        if status == "failed":
            failures.add(item.origin, item.reason)

    def on_stage(stage, n):
        # enrich and link work on a batch at once: the bar says which, and on how many, instead of a stale file name
        if stage == "extract":   # (again) after a batch was enriched and stored: every article read so far is settled
            pending[0] = 0
        progress.update(task, stage=stage, pending=pending[0], last=f"{n} article(s)" if n else "")

    with progress:
        task = progress.add_task("ingest", total=total, last="", stage="extract", pending=0)
        from .ingest import iter_inputs
        from .ingest.urls import stored_lookup
        # pages already stored under a URL are not fetched again (live pages differ on every fetch)
        report = run_ingest(iter_inputs(paths, allow_private=allow_private, known=stored_lookup(store)), store, on_item=on_item,
                            on_stage=on_stage)
    failures.close()
    for line in report.stage_lines():
        _say(line)
    if report.unchanged:
        err.print(f"{len(report.unchanged)} input(s) already stored: no change", highlight=False)
    err.print(report.summary(), highlight=False)
    from .ingest import SUPPORTED_SUFFIXES, skipped_in_folders
    if skipped := skipped_in_folders(paths):
        kinds = ", ".join(f"{n} {suffix}" for suffix, n in skipped.items())
        err.print(f"{sum(skipped.values())} file(s) in the folders or archives are not article inputs and were not read: {kinds} "
                  f"(read: {' '.join(SUPPORTED_SUFFIXES)}, each also as .gz)", highlight=False, markup=False, soft_wrap=True)
    store.close()
    raise typer.Exit(report.exit_code())


EXTRACT_COLS = [
    Col("origin", lambda a: a.get("origin"), "text", weight=2),
    Col("published", lambda a: a.get("published"), "short"),
    Col("outlet", lambda a: a.get("outlet"), "text"),
    Col("language", lambda a: a.get("language"), "short", table=False),
    Col("author", lambda a: a.get("author"), "text", table=False),
    Col("url", lambda a: a.get("url"), "text", table=False),
    Col("title", lambda a: a.get("title"), "text", weight=3),
    Col("words", lambda a: len((a.get("text") or "").split()), "short"),
    Col("text", lambda a: a.get("text"), "text", table=False),
]


@app.command()
def extract(paths: list[str] = typer.Argument(..., metavar="INPUT...", help="files, folders, .jsonl, URLs, feeds or WARC"),
            fmt: Optional[str] = typer.Option(None, "--format", "-f", metavar="FORMAT",
                                              help="text (each article in full; the default), table, tsv, csv, json (one array) or jsonl"),
            as_json: bool = JsonOption("one JSON object per document per line (the same as --format jsonl)"),
            allow_private: bool = typer.Option(False, "--allow-private", help="allow fetching private/loopback/link-local addresses")):
    """Extract articles without a database."""
    from .pipeline import extract_or_fail
    from .records import Failure
    fmt = _format(fmt, as_json, ("text",) + FORMATS, json_means="jsonl", default="text")
    ok = failed = 0
    rows: list[dict] = []
    failures = FailureLines("cannot read", "not read", "`--format jsonl` gives each")
    for item in _sources(paths, allow_private):
        result = item if isinstance(item, Failure) else extract_or_fail(item)
        if isinstance(result, Failure):
            failed += 1
            failures.add(result.origin, result.reason)
            if fmt == "jsonl":
                write_json({"origin": result.origin, "error": result.reason})
            elif fmt == "json":
                rows.append({"origin": result.origin, "error": result.reason})
            continue
        ok += 1
        if fmt == "jsonl":
            write_json(result.to_json())   # streamed: a long run shows its articles as they come
        elif fmt == "text":
            out.print(f"[bold]{escape(result.title or '')}[/bold]\n{escape(result.outlet or 'outlet unknown')} · "
                      f"{result.published or 'no date'} · {escape(result.url or '')}\n\n{escape(result.text)}\n", highlight=False)
        else:
            rows.append(result.to_json())
    failures.close()
    if fmt not in ("text", "jsonl"):
        emit(rows, EXTRACT_COLS, fmt, out)
    raise typer.Exit(_outcome(ok, failed))


def _day(v: Any) -> str:
    return (v or "")[:10]


ARTICLE_COLS = [
    Col("id", lambda r: r["id"], "id", abbrev=True),
    Col("published", lambda r: r.get("published"), "short"),
    Col("outlet", lambda r: r.get("outlet"), "text"),
    Col("language", lambda r: r.get("language"), "short", table=False),
    Col("title", lambda r: r.get("title"), "text", weight=3),
    Col("story", lambda r: r.get("story_id"), "id", abbrev=True),
    Col("copy_of", lambda r: r.get("duplicate_of"), "id", table=False),
    Col("recycled", lambda r: "yes" if (r.get("recycled") or {}).get("is_recycled") else "no", "short", table=False),
    Col("note", lambda r: ", ".join(n for n in ("copy" if r.get("duplicate_of") else "",
                                                   "recycled" if (r.get("recycled") or {}).get("is_recycled") else "") if n),
        "short", table=True),
    Col("url", lambda r: r.get("url"), "text", table=False),
]


def _table_view(cols: list[Col], fmt: str, brief: dict[str, Any]) -> list[Col]:
    """Columns as the format shows them: a table shows days for timestamps and drops script-only columns' duplicates."""
    if fmt != "table":
        return [c for c in cols if c.name != "note"]
    return [Col(c.name, brief[c.name], c.kind, c.lines, c.weight, c.table, c.abbrev) if c.name in brief else c for c in cols]


@app.command()
def articles(fmt: Optional[str] = FormatOption(), as_json: bool = JsonOption(), db: Optional[str] = DbOption):
    """Every stored article (ids in a table are their shortest unique prefix; any unique prefix is taken back)."""
    from .serve.views import articles_json
    fmt = _format(fmt, as_json)
    with _store(db) as store:
        rows = articles_json(store)
    emit(rows, _table_view(ARTICLE_COLS, fmt, {"published": lambda r: _day(r.get("published"))}), fmt, out)


def _known_outlets(s: dict) -> list[str]:
    return sorted({a.get("outlet") for a in s.get("articles", []) if a.get("outlet")} | set(s.get("outlets") or []))


def _first_reported(s: dict) -> str:
    """Who reported first and when, or "unknown" with the reason."""
    fr = s.get("first_reported") or {}
    outlet, day = fr.get("outlet"), _day(fr.get("published"))
    if not day and _day(fr.get("seen")):
        who = outlet or "outlet unknown"
        return f"{_day(fr.get('seen'))} {who} (first seen by newstrace: no article in the story carries a publication date)"
    if not day:
        return "unknown (no article in the story carries a publication date)"
    return f"{day} {outlet}" if outlet else f"{day} (outlet unknown: the first article names none)"


def _first_brief(s: dict) -> str:
    fr = s.get("first_reported") or {}
    day = _day(fr.get("published"))
    if not day and _day(fr.get("seen")):
        return f"seen {_day(fr.get('seen'))} {fr.get('outlet') or ''}".strip()
    return f"{day} {fr.get('outlet') or ''}".strip() if day else "unknown"


STORY_COLS = [
    Col("id", lambda s: s["id"], "id", abbrev=True),
    Col("articles", lambda s: len(s.get("articles", [])), "short"),
    Col("outlets", lambda s: len(_known_outlets(s)), "short"),
    Col("first_reported", lambda s: (s.get("first_reported") or {}).get("published"), "short", table=False),
    Col("first_outlet", lambda s: (s.get("first_reported") or {}).get("outlet"), "text", table=False),
    Col("first_seen", lambda s: (s.get("first_reported") or {}).get("seen"), "short", table=False),
    Col("first reported", lambda s: _first_brief(s), "text"),
    Col("period_start", lambda s: (s.get("period") or {}).get("start"), "short", table=False),
    Col("period_end", lambda s: (s.get("period") or {}).get("end"), "short", table=False),
    Col("languages", lambda s: " ".join(s.get("languages") or []), "short"),
    Col("headline", lambda s: s.get("headline"), "text", weight=3),
]


def LangOption():  # noqa: N802 - reads like the typer.Option it returns
    return typer.Option(None, "--lang", metavar="LANG",
                        help="headline in this language (ISO 639-1 code, e.g. en) when the story has a report in it, "
                             "else the story's own")


@app.command()
def stories(fmt: Optional[str] = FormatOption(), as_json: bool = JsonOption(), lang: Optional[str] = LangOption(),
            db: Optional[str] = DbOption):
    """Every story, largest first (ids in a table are their shortest unique prefix; any unique prefix is taken back)."""
    from .serve.views import headline_in, stories_json
    fmt = _format(fmt, as_json)
    with _store(db) as store:
        rows = stories_json(store)
    if lang:
        rows = [{**s, "headline": headline_in(s, lang)} for s in rows]
    if fmt != "table":
        emit(rows, [c for c in STORY_COLS if c.name != "first reported"], fmt, out)
        return
    emit(rows, _table_view([c for c in STORY_COLS if c.table], fmt,
                           {"outlets": lambda s: len(_known_outlets(s)) or "unknown"}), fmt, out)
    if any(not _known_outlets(s) or not _day((s.get("first_reported") or {}).get("published")) for s in rows):
        _say("first reported 'seen DAY': no article in the story is dated, DAY is when newstrace first saw it ('unknown' "
             "when that is not known either); outlets 'unknown': no article names its outlet")


STORY_ARTICLE_COLS = [
    Col("id", lambda a: a.get("id"), "id", abbrev=True),
    Col("published", lambda a: a.get("published"), "short"),
    Col("outlet", lambda a: a.get("outlet"), "text"),
    Col("role", lambda a: a.get("role"), "short"),
    Col("language", lambda a: a.get("language"), "short"),
    Col("title", lambda a: a.get("title"), "text", weight=3),
]


@app.command()
def story(story_id: str = typer.Argument(..., metavar="ID", help="a story id or a unique prefix of one (as `stories` prints)"),
          fmt: Optional[str] = FormatOption("table (on a terminal), tsv (the default when piped: the story's articles), csv, "
                                            "json (the story document) or jsonl (the same on one line)"),
          as_json: bool = JsonOption(), lang: Optional[str] = LangOption(), db: Optional[str] = DbOption):
    """One story with its articles in time order, the claims and who made them."""
    from .serve.views import headline_in
    fmt = _format(fmt, as_json)
    with _store(db) as store:
        s = store.get_story(_resolve(store, "story", story_id))
    if s is None:  # removed between the two reads by a concurrent link step
        _say(f"no story {story_id!r}")
        raise typer.Exit(1)
    if lang:
        s = {**s, "headline": headline_in(s, lang)}
    arts = sorted(s.get("articles", []), key=lambda a: (a.get("published") is None, a.get("published") or ""))
    if fmt in ("json", "jsonl"):
        write_json(s)
        return
    if fmt in ("csv", "tsv"):
        emit(arts, STORY_ARTICLE_COLS, fmt, out)
        return
    out.print(f"[bold]{escape(str(s.get('headline') or '(no headline)'))}[/bold]  ({escape(s['id'])})", highlight=False)
    per = s.get("period") or {}
    outlets = _known_outlets(s)
    period = (f"{_day(per.get('start'))} – {_day(per.get('end'))}" if per.get("start")
              else "unknown (no dated article)")
    if per.get("start") and per.get("basis") == "first-seen":
        period += " (when newstrace first saw its articles: none is dated)"
    out.print(f"first reported: {_first_reported(s)}", highlight=False, markup=False)
    out.print(f"period: {period}", highlight=False, markup=False)
    out.print("outlets: " + (", ".join(outlets) if outlets else "unknown (no article names its outlet)"), highlight=False, markup=False)
    out.print("languages: " + (", ".join(s.get("languages") or []) or "unknown (no article's language was recognised)"),
              highlight=False, markup=False)
    names = [e.get("name") for e in (s.get("entities") or [])[:8]] + [p.get("name") for p in (s.get("places") or [])[:5]]
    if any(names):
        out.print("who/where: " + ", ".join(str(n) for n in names if n), highlight=False, markup=False)
    emit(arts, _table_view(STORY_ARTICLE_COLS, fmt, {"published": lambda a: _day(a.get("published"))}), "table", out)
    if s.get("claims"):
        claims = [{"claim": cl.get("text") or "", "status": cl.get("status", ""),
                   "sources": "; ".join(dict.fromkeys(str(x.get("cite") or x.get("outlet") or "unknown outlet")
                                                      for x in cl.get("sources", [])))} for cl in s["claims"]]
        emit(claims, [Col("claim", lambda c: c["claim"], "text", lines=3, weight=3), Col("status", lambda c: c["status"], "short"),
                      Col("sources", lambda c: c["sources"], "text", lines=3, weight=2)], "table", out)


@app.command()
def article(article_id: str = typer.Argument(..., metavar="ID", help="an article id or a unique prefix of one (as `articles` prints)"),
            fmt: Optional[str] = typer.Option(None, "--format", "-f", metavar="FORMAT",
                                              help="text (the default), json (the article with its text) or jsonl (the same on one line)"),
            as_json: bool = JsonOption(), db: Optional[str] = DbOption):
    """One stored article: what was extracted, its story, copy and recycled verdicts, and its text."""
    from .serve.views import article_json
    fmt = _format(fmt, as_json, ("text", "json", "jsonl"), default="text")
    with _store(db) as store:
        a = store.get_article(_resolve(store, "article", article_id))
        doc = article_json(store, a, full=True) if a is not None else None
    if doc is None:
        _say(f"no article {article_id!r}")
        raise typer.Exit(1)
    if fmt != "text":
        write_json(doc)
        return
    rec = doc.get("recycled") or {}
    out.print(f"[bold]{escape(doc.get('title') or '(no title)')}[/bold]  ({escape(doc['id'])})", highlight=False)
    for label, value in (("outlet", doc.get("outlet") or "unknown (none found in the page or record)"),
                         ("published", doc.get("published") or "unknown (no date found in the page or record)"),
                         ("author", doc.get("author")), ("url", doc.get("url")), ("origin", doc.get("origin")),
                         ("story", doc.get("story_id") or "none yet (not linked)"), ("copy of", doc.get("duplicate_of")),
                         ("recycled", ("yes: " if rec.get("is_recycled") else "no: ") + str(rec.get("reason") or ""))):
        if value:
            out.print(f"{label}: {value}", highlight=False, markup=False, soft_wrap=True)
    out.print("\n" + (doc.get("text") or ""), highlight=False, markup=False)


def _check_via_server(server: str, items: list) -> list[dict]:
    """The verdicts of a running `newstrace serve` (POST /api/check/upload): no models to load here."""
    import httpx
    from .records import Failure
    token = os.environ.get("NEWSTRACE_TOKEN")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    suffix = {"text/html": ".html", "text/plain": ".txt"}
    results = []
    with httpx.Client(base_url=server.rstrip("/"), headers=headers, timeout=120, trust_env=False) as client:
        for item in items:
            if isinstance(item, Failure):
                results.append({"origin": item.origin, "error": item.reason})
                continue
            name = "article" + suffix.get(item.media_type, ".jsonl")
            try:
                r = client.post("/api/check/upload", files={"file": (name, item.data)})
            except httpx.HTTPError as e:
                _say(f"cannot reach the server {server}: {e}")
                raise typer.Exit(1)
            if r.status_code != 200:
                try:
                    why = r.json().get("detail")
                except ValueError:
                    why = r.text[:200]
                if r.status_code == 401:
                    why = f"{why} (set $NEWSTRACE_TOKEN to the server's token)"
                if r.status_code == 400:  # the server could not read the article: the same failure as a local check
                    results.append({"origin": item.origin, "error": str(why).split(": ", 1)[-1]})
                    continue
                _say(f"the server {server} answered {r.status_code}: {why}")
                raise typer.Exit(1)
            for verdict in r.json():
                results.append({**verdict, "origin": item.origin} if "error" in verdict else verdict)
    return results


@app.command()
def check(path: str = typer.Argument(..., metavar="INPUT", help="a file, a .jsonl of articles, or a URL"),
          fmt: Optional[str] = typer.Option(None, "--format", "-f", metavar="FORMAT",
                                            help="text (the default), json (one object; an array when the input holds several "
                                                 "articles) or jsonl (one object per article)"),
          as_json: bool = JsonOption("the same as --format json"), db: Optional[str] = DbOption,
          server: Optional[str] = typer.Option(None, "--server", metavar="URL", envvar="NEWSTRACE_SERVER", show_envvar=False,
                                               help="a running `newstrace serve` to ask (default $NEWSTRACE_SERVER): answers in "
                                                    "well under a second, as no model is loaded here; its store is used, not --db; "
                                                    "sends $NEWSTRACE_TOKEN when set"),
          allow_private: bool = typer.Option(False, "--allow-private", help="allow fetching private/loopback/link-local addresses")):
    """Judge one article against the store (copies, original, recycled) without storing it."""
    from .records import Failure
    fmt = _format(fmt, as_json, ("text", "json", "jsonl"), default="text")
    store = None if server else _store(db)  # before reading the input: a missing store is the first thing to hear about
    items = list(_sources([path], allow_private))
    if not items:
        _say(f"nothing to check in {path}")
        if store is not None:
            store.close()
        raise typer.Exit(1)
    if server:
        results = _check_via_server(server, items)
        for r in results:
            if "error" in r:
                _say(f"cannot read {r['origin']}: {r['error']}")
    else:
        from .enrich import enrich_articles  # the models load here, and only when there is an article to judge
        from .link import judge
        from .pipeline import extract_or_fail
        results = []
        for item in items:
            result = item if isinstance(item, Failure) else extract_or_fail(item)
            if isinstance(result, Failure):
                _say(f"cannot read {result.origin}: {result.reason}")
                results.append({"origin": result.origin, "error": result.reason})
                continue
            results.append(judge(store, result, enrich_articles([result])[0]))
        store.close()
    failed = sum("error" in r for r in results)
    if fmt == "json":
        write_json(results[0] if len(results) == 1 else results)
    elif fmt == "jsonl":
        for r in results:
            write_json(r)
    else:
        for r in results:
            if "error" in r:
                continue
            a, rec = r["article"], r["recycled"]
            out.print(f"[bold]{escape(str(a.get('title') or '(no title)'))}[/bold] — {escape(a.get('outlet') or 'outlet unknown')}, "
                      f"claimed {(a.get('published') or 'no date')[:10]}", highlight=False)
            if r.get("stored_as"):
                out.print(f"already stored as article {r['stored_as']}", highlight=False, markup=False)
            out.print(("[red]RECYCLED[/red] " if rec.get("is_recycled") else "[green]not recycled[/green] ") + escape(rec.get("reason") or ""),
                      highlight=False)
            if r.get("original"):
                o = r["original"]
                out.print(f"original: {o.get('outlet')} {o.get('published')} {o.get('title')}", highlight=False, markup=False)
            for c in r.get("copies_of", []):
                out.print(f"copy of: {c.get('outlet')} {c.get('published')} {c.get('title')} (score {c.get('score')})",
                          highlight=False, markup=False)
    raise typer.Exit(_outcome(len(results) - failed, failed))


QUARANTINE_COLS = [
    Col("recorded", lambda r: r.get("recorded_at"), "short"),
    Col("stage", lambda r: r.get("stage"), "short"),
    Col("origin", lambda r: r.get("origin"), "text", weight=2),
    Col("reason", lambda r: r.get("reason"), "text", weight=2),
    Col("content_id", lambda r: r.get("content_id"), "id", table=False),
    Col("size", lambda r: r.get("size"), "short", table=False),
]


@app.command()
def quarantine(fmt: Optional[str] = FormatOption(), as_json: bool = JsonOption(), db: Optional[str] = DbOption):
    """Inputs that could not be read, with the reason."""
    fmt = _format(fmt, as_json)
    with _store(db) as store:
        rows = store.failures()
    emit(rows, _table_view(QUARANTINE_COLS, fmt, {"recorded": lambda r: (r.get("recorded_at") or "")[:19].replace("T", " ")}), fmt, out)


@app.command()
def watch(feed_or_list: str = typer.Argument(..., metavar="FEED_OR_LIST", help="a feed URL, a feed file, an OPML list, or a text file of feeds (one per line)"),
          every: str = typer.Option("15m", "--every", help="time between polls: 30s, 15m, 2h"),
          once: bool = typer.Option(False, "--once", help="poll every feed once, then stop"),
          db: Optional[str] = DbOption,
          allow_private: bool = typer.Option(False, "--allow-private", help="allow fetching private/loopback/link-local addresses"),
          delay: float = typer.Option(1.0, "--delay", help="minimum seconds between two requests to one host")):
    """Poll feeds and ingest their new items (conditional GET, robots.txt, polite); Ctrl-C stops after the item in hand."""
    import signal
    import threading
    from .ingest.fetch import FetchPolicy, Fetcher
    from .ingest.watch import parse_every, read_feed_list, watch as run_watch
    try:
        seconds = parse_every(every)
        feeds = read_feed_list(feed_or_list)
    except ValueError as e:
        err.print(f"watch: {e}", highlight=False, markup=False)
        raise typer.Exit(2)
    store = _store(db, create=True)
    stop = threading.Event()

    def on_sigint(signum, frame):
        if stop.is_set():
            raise KeyboardInterrupt  # a second Ctrl-C stops at once
        err.print("stopping after the item in hand (Ctrl-C again to stop now)", highlight=False)
        stop.set()

    previous = signal.signal(signal.SIGINT, on_sigint)

    def on_poll(result):
        for f in result.failed:
            err.print(f"quarantined {f.origin}: {f.reason}", highlight=False, markup=False, soft_wrap=True)
        err.print(result.summary(), highlight=False, markup=False, soft_wrap=True)

    try:
        with Fetcher(FetchPolicy(allow_private=allow_private, host_delay=max(0.0, delay))) as fetcher:
            run_watch(feeds, store, fetcher, seconds, once=once, stop=stop, on_poll=on_poll)
    finally:
        signal.signal(signal.SIGINT, previous)
        store.close()


@app.command()
def batch(inputs: list[str] = typer.Argument(..., help="files, folders, WARC/JSONL/HTML inputs (on a cluster: paths every executor sees)"),
          out_dir: str = typer.Option(..., "--out", help="output folder for the Parquet datasets (replaced if it exists)"),
          engine: str = typer.Option("spark", "--engine", help="batch engine (spark)"),
          master: Optional[str] = typer.Option(None, "--master", help="Spark master, e.g. local[*] (default: spark-submit's, else local[*])"),
          partitions: Optional[int] = typer.Option(None, "--partitions", help="partitions for per-document work and joins"),
          max_component: Optional[int] = typer.Option(None, "--max-component", min=2,
                                                      help="most articles one link task takes (default 2000); larger components lose their weakest edges"),
          allow_private: bool = typer.Option(False, "--allow-private")):
    """Process an archive with Spark (extract → enrich → copies → stories) into Parquet; `load` brings it into a store."""
    if engine != "spark":
        err.print(f"unknown --engine {engine!r}: only 'spark' is available", highlight=False, markup=False)
        raise typer.Exit(2)
    try:
        import pyspark  # noqa: F401 - an optional extra: say how to get it rather than fail deep inside the job
    except ImportError:
        err.print("newstrace batch needs Spark, which is not installed: pip install 'newstrace[spark]'", highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1)
    from .batch import run_batch
    from .batch.job import MAX_COMPONENT
    report = run_batch(list(inputs), out_dir, master=master or "local[*]", partitions=partitions, allow_private=allow_private,
                       max_component=max_component or MAX_COMPONENT)
    for step, secs in report.times.items():
        err.print(f"{step}: {secs:.1f} s", highlight=False)
    err.print(report.summary(), highlight=False)


@app.command()
def load(out_dir: str = typer.Argument(..., help="the --out folder of `newstrace batch`"), db: Optional[str] = DbOption):
    """Bring a batch job's Parquet outputs into the store (re-loading the same folder changes nothing)."""
    from .batch.load import load as run_load
    store = _store(db, create=True)
    try:
        report = run_load(out_dir, store)
    except ValueError as e:
        err.print(str(e), highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    finally:
        store.close()
    err.print(report.summary(), highlight=False)


@app.command()
def serve(db: Optional[str] = DbOption, host: str = typer.Option("127.0.0.1", "--host"), port: int = typer.Option(8000, "--port"),
          allowed_host: list[str] = typer.Option([], "--allowed-host", help="another host name clients use to reach the server (repeatable; '*' turns the Host check off)"),
          check_max_kb: int = typer.Option(256, "--check-max-kb", min=1, max=5120, help="largest text (or file) one check takes, in KB"),
          max_checks: int = typer.Option(2, "--max-checks", min=1, max=64, help="checks running at once; more get 429"),
          check_timeout: float = typer.Option(60.0, "--check-timeout", min=1.0, help="seconds after which a check stops starting articles")):
    """Web UI and REST API (/api/...)."""
    from .serve.actions import CheckLimits
    from .serve.web import run
    run(db, host, port, tuple(allowed_host), CheckLimits(max_bytes=check_max_kb * 1024, concurrency=max_checks, timeout=check_timeout))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
