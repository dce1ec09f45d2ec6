"""Counting the entries that pass the filters, by release and area, as the tree asks."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence

CountKey = tuple[int | None, str | None]
"""`(release position or None, area key or None)`: what `Session.counts` counts."""


class EntryCounts(Mapping[CountKey, int]):
    """Entries passing the kind and text filters, by release and area, counted when asked for.

    Keys are `(release position, area key)`, either part None for all of it; a missing key
    counts 0, as in a `Counter`, and iterating lists the keys that count more. The tree asks
    for the few nodes it shows: a release's entries are contiguous in the index, so its count
    is two bisections of the passing positions, and its areas are counted among those.
    """

    def __init__(
        self,
        passing: Sequence[int],
        spans: Sequence[tuple[int, int]],
        node_of: Sequence[tuple[int, str]],
    ) -> None:
        self._passing = passing
        """The passing index positions, ascending."""
        self._spans = spans
        """Each release's `(start, end)` in the index, by release position."""
        self._node_of = node_of
        self._releases: dict[int, int] = {}
        """Counts of the releases asked about."""
        self._areas: dict[int, Counter[str]] = {}
        """Area counts of the releases asked about."""
        self._every: Counter[CountKey] | None = None

    def __getitem__(self, key: CountKey) -> int:
        release, area = key
        if release is None:
            return len(self._passing) if area is None else self._everything()[key]
        if not isinstance(release, int) or not 0 <= release < len(self._spans):
            return 0
        if area is None:
            count = self._releases.get(release)
            if count is None:
                low, high = self._passing_in(release)
                count = self._releases[release] = high - low
            return count
        areas = self._areas.get(release)
        if areas is None:
            low, high = self._passing_in(release)
            node_of = self._node_of
            areas = Counter(node_of[position][1] for position in self._passing[low:high])
            self._areas[release] = areas
        return areas[area]

    def _passing_in(self, release: int) -> tuple[int, int]:
        """Where a release's passing entries are in the passing positions: `(low, high)`."""
        start, end = self._spans[release]
        low = bisect_left(self._passing, start)
        return low, bisect_left(self._passing, end, low)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and len(key) == 2 and self[key] > 0

    def __iter__(self) -> Iterator[CountKey]:
        return iter(self._everything())

    def __len__(self) -> int:
        return len(self._everything())

    def _everything(self) -> Counter[CountKey]:
        if self._every is None:
            # Count by (release, area) at C speed, then roll those up: far fewer than entries.
            by_node = Counter(map(self._node_of.__getitem__, self._passing))
            counts: Counter[CountKey] = Counter(by_node)
            for (owner, area_key), count in by_node.items():
                counts[(owner, None)] += count
                counts[(None, area_key)] += count
            if self._passing:
                counts[(None, None)] = len(self._passing)
            self._every = counts
        return self._every
