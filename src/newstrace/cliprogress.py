"""The ingest progress bar's columns: inputs done (of how many, when known), rate over the run, and time left."""
from __future__ import annotations

from rich.progress import ProgressColumn, Task
from rich.text import Text


class IngestCount(ProgressColumn):
    """"12/300 inputs", or "12 inputs" when the total is unknown (URLs, feeds, archives, standard input)."""

    def render(self, task: Task) -> Text:
        done = int(task.completed)
        return Text(f"{done}/{int(task.total)} inputs" if task.total is not None else f"{done} input(s)")


class IngestRate(ProgressColumn):
    """Inputs a second over the run so far."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.completed / task.elapsed:.1f} inputs/s" if task.elapsed and task.completed else "")


def eta_seconds(settled: float, total: float | None, elapsed: float | None) -> float | None:
    """Seconds left for the inputs not yet settled, at the run's average rate so far; None when it cannot be told.

    `settled` inputs are done with extraction and enrichment (an article read but waiting for its batch to be
    enriched is not), so the rate counts both. The average over the whole run, not rich's recent-speed window:
    enrichment runs in batches, so the recent speed swings between a burst of reading and a pause of enriching.
    """
    if total is None or not elapsed or settled <= 0:
        return None
    return max(0.0, (total - settled) * elapsed / settled)


class IngestEta(ProgressColumn):
    """"ETA 0:01:23" while inputs are read and enriched; what the link stage is doing once they all are."""

    def render(self, task: Task) -> Text:
        if task.fields.get("stage") == "link":
            return Text("ETA: linking the new articles", style="progress.remaining")
        left = eta_seconds(task.completed - task.fields.get("pending", 0), task.total, task.elapsed)
        if left is None:
            return Text("ETA -:--:--" if task.total is not None else "", style="progress.remaining")
        m, s = divmod(int(round(left)), 60)
        h, m = divmod(m, 60)
        return Text(f"ETA {h}:{m:02d}:{s:02d}", style="progress.remaining")
