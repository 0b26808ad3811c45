"""Windows of a long list, fetched as it scrolls: the next window by key from its neighbour, the last from the end,
a jump elsewhere by offset."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

R = TypeVar("R")
Key = tuple[Any, ...]
Fetch = Callable[[int, int, "Key | None", "Key | None"], Awaitable[list[R]]]  # limit, offset, after, before
Tail = Callable[[int], Awaitable[list[R]]]  # the last `limit` rows, in the list's order


class Pager(Generic[R]):
    """The rows of one list (one filter, one order) by position; only the windows near the screen are kept."""

    def __init__(self, fetch: Fetch[R], count: Callable[[], Awaitable[int]],
                 key: Callable[[R], Key] | None = None, size: int = 200, keep: int = 48,
                 tail: Tail[R] | None = None) -> None:
        self._fetch = fetch
        self._count = count
        self._key = key  # a row's key in the list's order: windows next to a kept one are read from it
        self._tail = tail  # the end read backwards by the index: End on a million rows skips no million rows
        self.size = size
        self.keep = keep
        self.total: int | None = None
        self._windows: OrderedDict[int, list[R]] = OrderedDict()

    async def count(self) -> int:
        """How many rows the list has (asked once; `refresh` forgets it)."""
        if self.total is None:
            self.total = await self._count()
        return self.total

    def row(self, position: int) -> R | None:
        """The row at a position if its window is loaded (else None: draw a placeholder, `load` it)."""
        window = self._windows.get(position // self.size)
        if window is None:
            return None
        self._windows.move_to_end(position // self.size)
        offset = position % self.size
        return window[offset] if offset < len(window) else None

    def seen(self) -> int:
        """How many rows the list has at least, by the windows read (all of them, once a short window was read)."""
        return max((w * self.size + len(rows) for w, rows in self._windows.items()), default=0)

    def missing(self, first: int, last: int) -> list[int]:
        """The windows not loaded among those holding positions first … last (none past the end, once counted)."""
        if self.total is not None:
            last = min(last, self.total - 1)
        return [w for w in range(max(first, 0) // self.size, max(last, 0) // self.size + 1)
                if w not in self._windows and (self.total is None or w * self.size < self.total)]

    async def load(self, first: int, last: int) -> bool:
        """Load the windows holding positions first … last; whether any was missing."""
        missing = self.missing(first, last)
        if self._tail is not None and missing and missing[-1] == self._last_window():
            missing.reverse()  # the last window first, from the end: the ones before it follow by key
        for window in missing:
            self._windows[window] = await self._read(window)
            while len(self._windows) > self.keep:
                self._windows.popitem(last=False)
        return bool(missing)

    def _last_window(self) -> int | None:
        return (self.total - 1) // self.size if self.total else None

    async def _read(self, window: int) -> list[R]:
        before, after = self._windows.get(window - 1), self._windows.get(window + 1)
        if self._key is not None and before is not None and len(before) == self.size:
            return await self._fetch(self.size, 0, self._key(before[-1]), None)
        if self._key is not None and after:
            return await self._fetch(self.size, 0, None, self._key(after[0]))
        if self._tail is not None and self.total is not None and window == self._last_window():
            return await self._tail(self.total - window * self.size)
        return await self._fetch(self.size, window * self.size, None, None)

    def refresh(self) -> None:
        """Rows changed: forget what was read (the next draw reads again)."""
        self.total = None
        self._windows.clear()


def listed(rows: list[R], size: int = 200) -> Pager[R]:
    """A pager over rows already read (a send's tasks, a number's history, the failure buckets)."""

    async def fetch(limit: int, offset: int, _after: Key | None, _before: Key | None) -> list[R]:
        return rows[offset : offset + limit]

    async def count() -> int:
        return len(rows)

    return Pager(fetch, count, size=size)
