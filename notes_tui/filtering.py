"""Filtering one entry index by queries, cheaply: areas and kinds first, then words."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from itertools import compress

from notes_tui.model import Entry
from notes_tui.query import Query
from notes_tui.search import WordHits, area_allowed, entry_area_allowed, kind_allowed, matches


@dataclass
class EntryFilter:
    """`EntryIndex.filter` for the entries of one index, with what makes it fast kept between
    queries: each distinct area and kind is judged once, and words go through `WordHits`."""

    entries: list[Entry] = field(default_factory=list)
    """The index's entries, in order."""
    area_of: list[str] = field(default_factory=list)
    """For each entry, its area key."""
    several_areas: bool = False
    """Whether some entry names several areas (`Entry.areas`)."""
    _word_hits: WordHits | None = field(default=None, repr=False)
    """The entries containing the words looked for lately (see `WordHits`)."""

    def positions(self, query: Query, keys: list[str], area_keys: Collection[str]) -> Sequence[int]:
        """Return the positions of the entries that match a query, as `EntryIndex.filter` does.

        Args:
            query: The parsed query.
            keys: The search key of each entry (`search_key`).
            area_keys: Every area key of the entries.

        Returns:
            The matching positions, in order.
        """
        entries = self.entries
        positions: Sequence[int] = range(len(keys))
        # Areas and kinds are judged once for each distinct one, not once for each entry.
        if query.areas or query.not_areas:
            areas = {key for key in area_keys if area_allowed(key, query)}
            area_of = self.area_of
            if not self.several_areas:
                positions = list(compress(positions, map(areas.__contains__, area_of)))
            else:
                positions = [
                    position
                    for position in positions
                    if (area_of[position] in areas and not entries[position].areas)
                    or (entries[position].areas and entry_area_allowed(entries[position], query))
                ]
        if query.kinds or query.not_kinds:
            kinds: dict[tuple[str, str], bool] = {}
            kept: list[int] = []
            for position in positions:
                entry = entries[position]
                kind = (entry.kind, entry.kind_label)
                allowed = kinds.get(kind)
                if allowed is None:
                    allowed = kinds[kind] = kind_allowed(entry.kind, entry.kind_label, query)
                if allowed:
                    kept.append(position)
            positions = kept
        if query.words:
            positions = self._containing(query.words, keys, positions)
        rest = replace(query, words=(), areas=(), kinds=(), not_areas=(), not_kinds=())
        if not rest.is_empty:
            positions = [
                position
                for position in positions
                if matches(entries[position], keys[position], rest)
            ]
        return positions

    def _containing(
        self, words: Sequence[str], keys: list[str], positions: Sequence[int]
    ) -> Sequence[int]:
        """The positions (of those given) whose keys contain every word.

        Through `WordHits` when what it remembers narrows the search more than `positions`
        (every position, or few remembered hits); else among `positions` alone.
        """
        hits = self._word_hits
        if hits is None or hits.keys is not keys:
            hits = self._word_hits = WordHits(keys)
        if hits.cost(max(words, key=len)) > len(positions):
            return [p for p in positions if all(word in keys[p] for word in words)]
        found = hits.containing(words)
        if len(positions) == len(keys):
            return found
        kept = set(positions)
        return [position for position in found if position in kept]
