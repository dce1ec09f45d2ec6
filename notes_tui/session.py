"""What the app shows, computed without Textual: filters, visible entries, counts, status."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from notes_tui.backport_map import Backports
from notes_tui.counts import EntryCounts
from notes_tui.filtering import EntryFilter
from notes_tui.model import Entry, Release
from notes_tui.outline import display_order
from notes_tui.parse.kinds import kind_rank
from notes_tui.query import Query, parse_query, prefix_error
from notes_tui.ranges import RangeError
from notes_tui.search import EntryIndex, search_key
from notes_tui.selection import releases_in_ranges
from notes_tui.versions import Version, release_version

ScopeKey = tuple[frozenset[int] | None, str | None]
"""`(release positions or None, area key or None)`: a node of the section tree."""


@dataclass
class Session:
    """Loaded releases and the filters applied to them."""

    releases: list[Release] = field(default_factory=list)
    """Everything loaded, in order."""
    index: EntryIndex = field(default_factory=EntryIndex)
    """Every entry, in display order; the search keys are filled in when a query needs them."""
    release_of: list[int] = field(default_factory=list)
    """For each entry of the index, the position of its release."""
    scope: ScopeKey = (None, None)
    """The release and area chosen in the tree (or by number keys)."""
    kind: str | None = None
    """The kind chosen with `t`, or None for every kind."""
    query_text: str = ""
    """The filter bar's text."""
    query: Query = field(default_factory=Query)
    """The parsed query."""
    query_error: str | None = None
    """Why part of the query was ignored, if it was."""
    visible: list[Entry] = field(default_factory=list)
    """The entries that pass every filter, in order."""
    scope_label: str = ""
    """How the chosen tree node is named in the status line."""
    release_entries: list[list[Entry]] = field(default_factory=list)
    """Each release's entries, by release position."""
    area_titles: dict[str, str] = field(default_factory=dict)
    """Area keys and titles, in order of first appearance."""
    kinds_present: set[str] = field(default_factory=set)
    """The kinds of the loaded entries."""
    node_of: list[tuple[int, str]] = field(default_factory=list)
    """For each entry of the index, its tree node: `(release position, area key)`."""
    progress: tuple[int, int] | None = None
    """`(files read, files to read)` while loading goes on; None once it is done."""
    _release_keys: list[list[str] | None] = field(default_factory=list, repr=False)
    """Each release's search keys, by release position; None until a query needs them."""
    _versions: list[Version | None] = field(default_factory=list, repr=False)
    """Each release's version (`release_version`), parsed once."""
    _passing: Sequence[int] = field(default_factory=list, repr=False)
    """The index positions that pass the kind and text filters (what `counts` counts)."""
    _counts: EntryCounts | None = field(default=None, repr=False)
    """`counts`, once asked for since the last `refresh`."""
    _spans: list[tuple[int, int]] = field(default_factory=list, repr=False)
    """Each release's `(start, end)` in the index, by release position."""
    _entry_filter: EntryFilter = field(default_factory=EntryFilter, repr=False)
    """Filters the index by the query; made anew by `add`."""
    _backports: Backports | None = field(default=None, repr=False)
    """`backports`, once asked for since the last `add`."""

    def add(self, releases: Iterable[Release]) -> None:
        """Add releases (as they arrive) and refresh what is shown.

        Entries are listed release by release in `display_order`: newest first. Only what
        the list needs is computed here; search keys, counts and backports wait until asked
        for, so that the first screen does not wait for them.

        Args:
            releases: Newly loaded releases.
        """
        for release in releases:
            self.releases.append(release)
            entries = list(release.entries)
            self.release_entries.append(entries)
            self._release_keys.append(None)
            self._versions.append(release_version(release))
            area_titles = self.area_titles
            for entry in entries:
                if entry.area_key not in area_titles:
                    area_titles[entry.area_key] = entry.area
            self.kinds_present.update([entry.kind for entry in entries])
        index = EntryIndex()
        release_of: list[int] = []
        node_of: list[tuple[int, str]] = []
        spans = [(0, 0)] * len(self.releases)
        for position in display_order(self.releases, self._versions):
            entries = self.release_entries[position]
            spans[position] = (len(index.entries), len(index.entries) + len(entries))
            index.entries.extend(entries)
            release_of.extend([position] * len(entries))
            node_of.extend([(position, entry.area_key) for entry in entries])
        self.index, self.release_of, self.node_of = index, release_of, node_of
        self._entry_filter = EntryFilter(
            index.entries,
            [area for _, area in node_of],
            any(entry.areas for entry in index.entries),
        )
        self._spans, self._backports = spans, None
        self.refresh()

    @property
    def versions(self) -> list[Version | None]:
        """`release_version` of each release, by release position."""
        return self._versions

    @property
    def backports(self) -> Backports:
        """Issue `(repo, number)` to the releases it appears in (see `upgrade.backports`).

        Each issue's releases are found when asked for (`Backports`): the detail pane asks
        for one entry's issues at a time.
        """
        if self._backports is None:
            self._backports = Backports(self.releases, self.release_entries)
        return self._backports

    @property
    def counts(self) -> EntryCounts:
        """Entries passing the kind and text filters, by release and area (`EntryCounts`).

        Keys are `(release position, area key)`, either part None for all of it.
        """
        if self._counts is None:
            self._counts = EntryCounts(self._passing, self._spans, self.node_of)
        return self._counts

    def search_keys(self) -> list[str]:
        """The search key of each entry of the index, computed for each release once.

        Returns:
            `index.keys`, filled in.
        """
        index = self.index
        if len(index.keys) != len(index.entries):
            keys: list[str] = []
            for position in dict.fromkeys(self.release_of):
                release_keys = self._release_keys[position]
                if release_keys is None:
                    release_keys = [search_key(entry) for entry in self.release_entries[position]]
                    self._release_keys[position] = release_keys
                keys.extend(release_keys)
            index.keys = keys
        return index.keys

    @property
    def total(self) -> int:
        """How many entries are loaded."""
        return len(self.index.entries)

    def areas(self) -> list[tuple[str, str]]:
        """The areas, in the order the notes give them (first appearance).

        Returns:
            `(key, title)` pairs.
        """
        return list(self.area_titles.items())

    def kinds(self) -> list[str]:
        """The kinds present, in the house order.

        Returns:
            Kind names.
        """
        return sorted(self.kinds_present, key=lambda kind: (kind_rank(kind), kind))

    def set_query(self, text: str) -> None:
        """Apply the filter bar's text.

        Args:
            text: The query as typed.
        """
        self.query_text = text
        self.query = parse_query(text)
        self.refresh()

    def set_scope(self, scope: ScopeKey, label: str = "") -> None:
        """Choose a tree node (releases and area).

        Args:
            scope: The node's key.
            label: How the node is named, for the status line.
        """
        self.scope = scope
        self.scope_label = label
        self.refresh()

    def select_area(self, number: int) -> str | None:
        """Choose the Nth area (1-based) across every release; 0 chooses all.

        Args:
            number: The area's number.

        Returns:
            The area's title, or None when there is no such area (nothing changes).
        """
        if number == 0:
            self.set_scope((None, None))
            return "All areas"
        areas = self.areas()
        if not 1 <= number <= len(areas):
            return None
        key, title = areas[number - 1]
        self.set_scope((None, key))
        return title

    def step_area(self, delta: int) -> str:
        """Choose the previous or next area, wrapping through "all".

        Args:
            delta: -1 or +1.

        Returns:
            The chosen area's title, or `All areas`.
        """
        keys = [None, *(key for key, _ in self.areas())]
        current = self.scope[1] if self.scope[1] in keys else None
        chosen = keys[(keys.index(current) + delta) % len(keys)]
        self.set_scope((None, chosen))
        return self.area_titles.get(chosen, "All areas") if chosen else "All areas"

    def cycle_kind(self) -> str:
        """Move the kind filter to the next kind present (after the last: all kinds).

        Returns:
            The kind now chosen, or `All kinds`.
        """
        choices: list[str | None] = [None, *self.kinds()]
        current = self.kind if self.kind in choices else None
        self.kind = choices[(choices.index(current) + 1) % len(choices)]
        self.refresh()
        return self.kind or "All kinds"

    def set_kind(self, kind: str | None) -> None:
        """Choose a kind, or None for every kind.

        Args:
            kind: The kind.
        """
        self.kind = kind
        self.refresh()

    def refresh(self) -> None:
        """Recompute the visible entries (and, when next asked for, the counts)."""
        query = self.query
        self.query_error = prefix_error(query, [title for _, title in self.areas()], self.kinds())
        positions = self._filter(query)
        entries, node_of = self.index.entries, self.node_of
        if query.versions:
            try:
                kept = releases_in_ranges(self.releases, query.versions)
            except RangeError as error:
                self.query_error = str(error)
                kept = None
            if kept is not None:
                release_of = self.release_of
                positions = [position for position in positions if release_of[position] in kept]
        if self.kind is not None:
            kind = self.kind
            positions = [position for position in positions if entries[position].kind == kind]
        self._passing, self._counts = positions, None
        release, area = self.scope
        if release is None and area is None:
            everything = isinstance(positions, range)
            visible = list(entries) if everything else list(map(entries.__getitem__, positions))
        else:
            visible = [
                entries[position]
                for position in positions
                if (release is None or node_of[position][0] in release)
                and (area is None or area == node_of[position][1])
            ]
        self.visible = visible

    def _filter(self, query: Query) -> Sequence[int]:
        """`EntryIndex.filter`, cheaply (`EntryFilter`), with search keys only when needed.

        Returns:
            The matching positions; `range` of every position when the query is empty.
        """
        if query.is_empty:
            return range(len(self.index.entries))
        return self._entry_filter.positions(query, self.search_keys(), self.area_titles)

    def status(self) -> str:
        """The status line: `12 of 47 entries` and the active filters.

        Returns:
            Plain text.
        """
        parts = [f"{len(self.visible)} of {self.total} entries"]
        release, area = self.scope
        if release is not None:
            parts.append(f"release: {self.scope_label}")
        if area is not None:
            parts.append(f"area: {self.area_titles.get(area, area)}")
        if self.kind is not None:
            parts.append(f"kind: {self.kind}")
        if self.query_text.strip():
            parts.append(f"filter: {self.query_text.strip()}")
        if self.query_error:
            parts.append(self.query_error)
        if self.progress is not None:
            parts.append(f"loading {self.progress[0]} of {self.progress[1]} files…")
        return " · ".join(parts)
