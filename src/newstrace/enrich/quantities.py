"""(being written) quantities claims."""
from __future__ import annotations

from typing import Any

from ..records import Claim, Mention


def extract(doc: Any, mentions: list[Mention], shift: int = 0) -> list[Claim]:
    """Claims of this kind in one parsed article."""
    return []
