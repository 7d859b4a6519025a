"""The two seed reports, extracted by the project's own extractor and parsed once per test session."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from newstrace.records import Article, Enrichment

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"


def _clean(text: str) -> str:
    """Obvious page chrome off, so these tests do not depend on the extractor: markdown links and
    emphasis, a 'Related article' line, the 'Original url' trailer, and everything after 'Newsletter'."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_]{1,2}([^*_\n]+)[*_]{1,2}", r"\1", text)
    keep = []
    for line in text.splitlines():
        if line.strip() in ("Newsletter", "Original url:"):
            break
        if line.lower().startswith(("related article", "# ")):
            continue
        keep.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(keep)).strip()


@lru_cache(maxsize=None)
def seed_articles() -> tuple[Article, Article]:
    """(The Moscow Times report, the London Daily re-post) with obvious chrome removed."""
    arts = []
    for name, outlet in (("000_0551815b77612936.txt", "The Moscow Times"), ("002_647063108b32c5dd.txt", "London Daily")):
        text = _clean((SEEDS / name).read_text(encoding="utf-8"))
        arts.append(Article(id=name[:3], origin=name, title=None, text=text, outlet=outlet))
    return arts[0], arts[1]


@lru_cache(maxsize=None)
def seed_enrichments() -> tuple[Enrichment, Enrichment]:
    """Mentions and claims of both seeds from nlp.annotate."""
    from newstrace.enrich import nlp

    arts = list(seed_articles())
    out = [Enrichment(article_id=a.id) for a in arts]
    nlp.annotate(arts, out)
    return out[0], out[1]


def annotate_text(text: str, title: str | None = None) -> Enrichment:
    """Mentions and claims of one small text."""
    from newstrace.enrich import nlp

    a = Article(id="t", origin="test", title=title, text=text)
    e = Enrichment(article_id="t")
    nlp.annotate([a], [e])
    return e
