"""Per-story entities, places and claims with agreement across sources (issue 5). Placeholder."""
from __future__ import annotations

from typing import Any

from ..store import Store


def story_facts(store: Store, article_ids: list[str]) -> dict[str, Any]:
    """`entities`, `places` and `claims` of a story (claims marked corroborated / single-source / conflicting)."""
    return {"entities": [], "places": [], "claims": []}
