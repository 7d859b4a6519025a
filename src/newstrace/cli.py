"""The `newstrace` command line (DESIGN.md fixes the subcommands and their JSON)."""
from __future__ import annotations

import json
import os
import sys
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape  # titles, outlets, origins and reasons are untrusted text, never console markup
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

app = typer.Typer(add_completion=False, no_args_is_help=True, help="newstrace: which articles report the same event, who was first, who copied whom, what is recycled.")
err = Console(stderr=True)
out = Console()

DbOption = typer.Option(None, "--db", help="SQLite file or postgresql:// URL (default $NEWSTRACE_DB, else ./newstrace.db)")


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


def _clip(text: str, n: int) -> str:
    """Text cut at a word boundary with an ellipsis when longer than n characters (never mid-word)."""
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n].rsplit(" ", 1)[0].rstrip(" ,;:") + " …"


def _print_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=None) + "\n")


def _sources(paths: list[str], allow_private: bool):
    """Raw documents and failures from every path or URL given."""
    from .ingest import iter_inputs
    return iter_inputs(paths, allow_private=allow_private)


@app.command()
def ingest(paths: list[str] = typer.Argument(..., help="files, folders, .jsonl, URLs, feeds, WARC, or - for JSONL on stdin"),
           db: Optional[str] = DbOption,
           allow_private: bool = typer.Option(False, "--allow-private", help="allow fetching private/loopback/link-local addresses")):
    """Ingest articles into the store; unreadable inputs are quarantined with the reason."""
    from .pipeline import ingest as run_ingest
    store = _store(db, create=True)
    progress = Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[last]}"),
                        TimeElapsedColumn(), console=err, transient=True, disable=not err.is_terminal)

    def on_item(item, status):
        progress.update(task, advance=1, last=os.path.basename(str(getattr(item, "origin", "")))[:40])
        if status == "failed":
            # printed as it happens (above the bar on a terminal, one line each in logs)
            progress.console.print(f"quarantined {item.origin}: {item.reason}", highlight=False, markup=False, soft_wrap=True)

    with progress:
        task = progress.add_task("ingest", total=None, last="")
        from .ingest import iter_inputs
        from .ingest.urls import stored_lookup
        # pages already stored under a URL are not fetched again (live pages differ on every fetch)
        report = run_ingest(iter_inputs(paths, allow_private=allow_private, known=stored_lookup(store)), store, on_item=on_item)
    if report.unchanged:
        err.print(f"{len(report.unchanged)} input(s) already stored: no change", highlight=False)
    err.print(report.summary(), highlight=False)
    store.close()
    raise typer.Exit(report.exit_code())


@app.command()
def extract(paths: list[str] = typer.Argument(...), as_json: bool = typer.Option(False, "--json", help="one JSON object per document per line")):
    """Extract articles without a database."""
    from .pipeline import extract_or_fail
    from .records import Failure
    ok = failed = 0
    for item in _sources(paths, False):
        result = item if isinstance(item, Failure) else extract_or_fail(item)
        if isinstance(result, Failure):
            failed += 1
            err.print(f"cannot read {result.origin}: {result.reason}", highlight=False, markup=False, soft_wrap=True)
            if as_json:
                _print_json({"origin": result.origin, "error": result.reason})
            continue
        ok += 1
        if as_json:
            _print_json(result.to_json())
        else:
            out.print(f"[bold]{escape(result.title or '')}[/bold]\n{escape(result.outlet or '?')} · {result.published or 'no date'} · "
                      f"{escape(result.url or '')}\n\n{escape(result.text)}\n", highlight=False)
    raise typer.Exit(_outcome(ok, failed))


@app.command()
def articles(as_json: bool = typer.Option(False, "--json"), db: Optional[str] = DbOption):
    """Every stored article."""
    from .serve.views import articles_json
    with _store(db) as store:
        rows = articles_json(store)
    if as_json:
        _print_json(rows)
        return
    t = Table("id", "published", "outlet", "title", "story", "copy of", "recycled")
    for r in rows:
        t.add_row(r["id"][:10], (r["published"] or "")[:10], escape(r["outlet"] or ""), escape((r["title"] or "")[:70]), (r["story_id"] or "")[:12],
                  (r["duplicate_of"] or "")[:10], "yes" if r["recycled"].get("is_recycled") else "")
    out.print(t)


@app.command()
def stories(as_json: bool = typer.Option(False, "--json"), db: Optional[str] = DbOption):
    """Every story."""
    from .serve.views import stories_json
    with _store(db) as store:
        rows = stories_json(store)
    if as_json:
        _print_json(rows)
        return
    t = Table("story", "articles", "outlets", "first reported", "period", "headline")
    t.columns[0].overflow = "fold"   # the full id is what `newstrace story ID` needs: wrap it, never cut it
    for s in rows:
        fr = s.get("first_reported") or {}
        per = s.get("period") or {}
        t.add_row(s["id"], str(len(s.get("articles", []))), str(len({a.get("outlet") for a in s.get("articles", [])})),
                  f"{escape(str(fr.get('outlet') or '?'))} {(fr.get('published') or '')[:10]}",
                  f"{(per.get('start') or '')[:10]} – {(per.get('end') or '')[:10]}", escape((s.get("headline") or "")[:70]))
    out.print(t)


@app.command()
def story(story_id: str, as_json: bool = typer.Option(False, "--json"), db: Optional[str] = DbOption):
    """One story with its articles in time order."""
    with _store(db) as store:
        s = store.get_story(story_id)
    if s is None:
        err.print(f"no story {story_id!r}", highlight=False, markup=False)
        raise typer.Exit(1)
    if as_json:
        _print_json(s)
        return
    out.print(f"[bold]{escape(str(s.get('headline') or ''))}[/bold]  ({escape(s['id'])})", highlight=False)
    fr, per = s.get("first_reported") or {}, s.get("period") or {}
    out.print(f"first reported: {escape(str(fr.get('outlet') or '?'))} {(fr.get('published') or '')[:10]}   "
              f"period: {(per.get('start') or '?')[:10]} – {(per.get('end') or '?')[:10]}   "
              f"outlets: {escape(', '.join(s.get('outlets') or [])) or '?'}", highlight=False)
    names = [e.get("name") for e in (s.get("entities") or [])[:8]] + [p.get("name") for p in (s.get("places") or [])[:5]]
    if any(names):
        out.print("who/where: " + escape(", ".join(str(n) for n in names if n)), highlight=False)
    t = Table("published", "outlet", "role", "title")
    for a in sorted(s.get("articles", []), key=lambda a: (a.get("published") is None, a.get("published") or "")):
        t.add_row((a.get("published") or "")[:10], escape(a.get("outlet") or ""), a.get("role") or "", escape((a.get("title") or "")[:80]))
    out.print(t)
    if s.get("claims"):
        c = Table("claim", "status", "sources")
        for cl in s["claims"]:
            c.add_row(escape(_clip(cl.get("text") or "", 100)), escape(cl.get("status", "")),
                      escape("; ".join(dict.fromkeys(str(x.get("cite") or x.get("outlet") or "unknown outlet")
                                                     for x in cl.get("sources", [])))))
        out.print(c)


@app.command()
def check(path: str, as_json: bool = typer.Option(False, "--json"), db: Optional[str] = DbOption,
          allow_private: bool = typer.Option(False, "--allow-private")):
    """Judge one article against the store (copies, original, recycled) without storing it."""
    from .enrich import enrich_articles
    from .link import judge
    from .pipeline import extract_or_fail
    from .records import Failure
    store = _store(db)  # before reading the input: a missing store is the first thing to hear about
    items = list(_sources([path], allow_private))
    if not items:
        err.print(f"nothing to check in {path}", highlight=False, markup=False)
        store.close()
        raise typer.Exit(1)
    results = []
    for item in items:
        result = item if isinstance(item, Failure) else extract_or_fail(item)
        if isinstance(result, Failure):
            err.print(f"cannot read {result.origin}: {result.reason}", highlight=False, markup=False, soft_wrap=True)
            results.append({"origin": result.origin, "error": result.reason})
            continue
        results.append(judge(store, result, enrich_articles([result])[0]))
    store.close()
    failed = sum("error" in r for r in results)
    if as_json:
        _print_json(results[0] if len(results) == 1 else results)
        raise typer.Exit(_outcome(len(results) - failed, failed))
    for r in results:
        if "error" in r:
            continue
        a, rec = r["article"], r["recycled"]
        out.print(f"[bold]{escape(str(a.get('title')))}[/bold] — {escape(a.get('outlet') or '?')}, claimed {(a.get('published') or '?')[:10]}",
                  highlight=False)
        if r.get("stored_as"):
            out.print(f"already stored as article {r['stored_as']}", highlight=False, markup=False)
        out.print(("[red]RECYCLED[/red] " if rec.get("is_recycled") else "[green]not recycled[/green] ") + escape(rec.get("reason") or ""), highlight=False)
        if r.get("original"):
            o = r["original"]
            out.print(f"original: {o.get('outlet')} {o.get('published')} {o.get('title')}", highlight=False, markup=False)
        for c in r.get("copies_of", []):
            out.print(f"copy of: {c.get('outlet')} {c.get('published')} {c.get('title')} (score {c.get('score')})", highlight=False, markup=False)
    raise typer.Exit(_outcome(len(results) - failed, failed))


@app.command()
def quarantine(as_json: bool = typer.Option(False, "--json"), db: Optional[str] = DbOption):
    """Inputs that could not be read, with the reason."""
    with _store(db) as store:
        rows = store.failures()
    if as_json:
        _print_json(rows)
        return
    t = Table("recorded", "stage", "origin", "reason")
    for r in rows:
        t.add_row(r["recorded_at"][:19], r["stage"], escape(r["origin"]), escape(r["reason"]))
    out.print(t)


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
