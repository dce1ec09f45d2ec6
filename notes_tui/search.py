"""Filtering entries by a parsed query over precomputed, case-folded search keys."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from notes_tui.model import Entry, area_key
from notes_tui.query import Query
from notes_tui.upgrade import is_breaking


def search_key(entry: Entry) -> str:
    """Build the case-folded text a query's words are matched against.

    Args:
        entry: The entry.

    Returns:
        Its text, area, kind, label, issue numbers and CVE ids in one string.
    """
    numbers = " ".join(f"#{ref.number} {ref.number}" for ref in entry.issues)
    return " ".join(
        (entry.text, entry.area, entry.kind, entry.kind_label, numbers, " ".join(entry.cves))
    ).casefold()


@dataclass
class EntryIndex:
    """Entries with their search keys computed once, for fast repeated filtering."""

    entries: list[Entry] = field(default_factory=list)
    """The entries, in display order."""
    keys: list[str] = field(default_factory=list)
    """`search_key` of each entry."""

    def extend(self, entries: Iterable[Entry]) -> None:
        """Add entries (and their keys) at the end.

        Args:
            entries: The entries to add.
        """
        for entry in entries:
            self.entries.append(entry)
            self.keys.append(search_key(entry))

    def filter(self, query: Query) -> list[int]:
        """Return the positions of the entries that match a query.

        Args:
            query: The parsed query.

        Returns:
            Matching positions, in order.
        """
        if query.is_empty:
            return list(range(len(self.entries)))
        return [
            index
            for index, (entry, key) in enumerate(zip(self.entries, self.keys, strict=True))
            if matches(entry, key, query)
        ]


class WordHits:
    """The positions of the keys that contain a word, remembered for the last words looked for.

    Typing narrows: every key that contains `ztu` contains `zt`, so a word is looked for only
    among the hits of a remembered word it contains; backspacing finds the shorter words
    remembered. A few of the most recent words are kept.
    """

    REMEMBERED = 12
    """How many words are remembered."""

    def __init__(self, keys: Sequence[str]) -> None:
        self.keys = keys
        """The search keys looked in (`search_key` of each entry); never changed."""
        self._hits: dict[str, list[int]] = {}
        """Remembered words and their hits, least recently used first."""

    def cost(self, word: str) -> int:
        """How many keys `positions` would look in for a word (0 when it is remembered).

        Args:
            word: A case-folded word or phrase.

        Returns:
            A number of keys.
        """
        if word in self._hits:
            return 0
        return min(
            (len(hits) for known, hits in self._hits.items() if known in word),
            default=len(self.keys),
        )

    def positions(self, word: str) -> list[int]:
        """The positions of the keys containing a word, in order.

        Args:
            word: A case-folded word or phrase.

        Returns:
            The positions (a remembered list: do not change it).
        """
        remembered = self._hits
        hits = remembered.pop(word, None)
        if hits is None:
            keys = self.keys
            narrowest: list[int] | None = None
            for known, known_hits in remembered.items():
                if known in word and (narrowest is None or len(known_hits) < len(narrowest)):
                    narrowest = known_hits
            if narrowest is None:
                hits = [position for position, key in enumerate(keys) if word in key]
            else:
                hits = [position for position in narrowest if word in keys[position]]
            if len(remembered) >= self.REMEMBERED:
                del remembered[next(iter(remembered))]
        remembered[word] = hits
        return hits

    def containing(self, words: Sequence[str]) -> list[int]:
        """The positions of the keys containing every word, in order.

        The longest word (usually the one being typed, or a remembered one) is looked up as
        above; the others are looked for among its hits.

        Args:
            words: Case-folded words or phrases; at least one.

        Returns:
            The positions.
        """
        longest = max(words, key=len)
        positions = self.positions(longest)
        keys = self.keys
        rest = [word for word in words if word != longest]
        if rest:
            positions = [p for p in positions if all(word in keys[p] for word in rest)]
        return positions


def matches(entry: Entry, key: str, query: Query) -> bool:
    """Tell whether one entry matches a query.

    Args:
        entry: The entry.
        key: Its `search_key`.
        query: The parsed query.

    Returns:
        True when every part of the query holds.
    """
    if not entry_area_allowed(entry, query):
        return False
    if not kind_allowed(entry.kind, entry.kind_label, query):
        return False
    if query.issues and not any(ref.number in query.issues for ref in entry.issues):
        return False
    if query.cves and not any(
        cve.casefold().removeprefix("cve-").startswith(prefix)
        for cve in entry.cves
        for prefix in query.cves
    ):
        return False
    if "breaking" in query.flags and not is_breaking(entry):
        return False
    if any(word not in key for word in query.words):
        return False
    return not any(word in key for word in query.excluded)


def area_allowed(area_key: str, query: Query) -> bool:
    """Tell whether entries of an area pass the query's `area:` and `-area:` parts.

    Args:
        area_key: The area's key (`Entry.area_key`).
        query: The parsed query.

    Returns:
        True when the area is one asked for (or none is) and none left out.
    """
    if query.areas and not any(area_key.startswith(area) for area in query.areas):
        return False
    return not any(area_key.startswith(area) for area in query.not_areas)


def entry_area_allowed(entry: Entry, query: Query) -> bool:
    """Like `area_allowed`, for an entry that may name several areas (Kubernetes SIGs).

    `area:x` keeps the entry when any of its areas starts with `x`; `-area:x` leaves it
    out when any does.

    Args:
        entry: The entry.
        query: The parsed query.

    Returns:
        True when the entry passes the area parts of the query.
    """
    if not entry.areas:
        return area_allowed(entry.area_key, query)
    keys = {entry.area_key, *(area_key(area) for area in entry.areas)}
    if query.areas and not any(k.startswith(a) for k in keys for a in query.areas):
        return False
    return not any(k.startswith(a) for k in keys for a in query.not_areas)


def kind_allowed(kind: str, kind_label: str, query: Query) -> bool:
    """Tell whether entries of a kind pass the query's `kind:` and `-kind:` parts.

    Args:
        kind: The entry's kind.
        kind_label: The entry's kind as the notes word it.
        query: The parsed query.

    Returns:
        True when the kind is one asked for (or none is) and none left out.
    """
    names = (kind.casefold(), kind_label.casefold())
    if query.kinds and not any(name.startswith(k) for k in query.kinds for name in names):
        return False
    return not any(name.startswith(k) for k in query.not_kinds for name in names)
