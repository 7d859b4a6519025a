"""A small options object for extraction (in the manner of trafilatura's Extractor)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExtractOptions:
    """Knobs for extraction; defaults are what the benchmarks were measured with."""

    keep_captions_in_body: bool = False
    fast: bool = False            # skip the slower fallbacks (for bulk archives)
