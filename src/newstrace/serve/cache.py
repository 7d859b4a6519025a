"""A small cache of rendered read responses, valid while the store's data version stays the same."""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable

from ..store import Store


class PageCache:
    """LRU of response bodies keyed by (request key, store data version); stores without a version are never cached."""

    def __init__(self, size: int = 512):
        self.size = size
        self._items: OrderedDict[tuple, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, store: Store, key: tuple, make: Callable[[], bytes]) -> bytes:
        """The cached body for `key` at the store's current version, else `make()` (and keep it)."""
        version = store.data_version() if self.size > 0 else None
        if version is None:
            return make()
        full = (version, *key)
        with self._lock:
            body = self._items.get(full)
            if body is not None:
                self._items.move_to_end(full)
                return body
        body = make()
        if store.data_version() == version:  # nothing committed meanwhile: the body is consistent with `version`
            with self._lock:
                self._items[full] = body
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return body
