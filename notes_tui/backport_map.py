"""Backports found one issue at a time: what the detail pane asks for, without a pass over all."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from notes_tui.model import Entry, Release
from notes_tui.upgrade import IssueKey, backports


class Backports(Mapping[IssueKey, list[str]]):
    """`upgrade.backports` of some releases, each issue's versions found when asked for.

    The detail pane asks for the issues of one entry at a time; `backports` parses every
    release's version and sorts the versions of every issue, some 15 ms for the Istio notes,
    on the frame that shows the loaded notes. Here an issue's versions are those `backports`
    finds among the releases that reference it, which is what it finds among all of them.
    Iterating (or asking for the length) computes them all.
    """

    def __init__(self, releases: Sequence[Release], entries: Sequence[Sequence[Entry]]) -> None:
        """Args:
        releases: The releases.
        entries: Each release's entries (`Release.entries`), by release position.
        """
        self._releases = releases
        self._entries = entries
        self._referenced: dict[IssueKey, list[int]] | None = None
        """The positions of the releases (not index pages) that reference each issue."""
        self._found: dict[IssueKey, list[str] | None] = {}
        self._every: dict[IssueKey, list[str]] | None = None

    def _referencing(self) -> dict[IssueKey, list[int]]:
        if self._referenced is None:
            referenced: dict[IssueKey, list[int]] = {}
            for position, release in enumerate(self._releases):
                if release.doc_kind == "index":
                    continue
                for entry in self._entries[position]:
                    for issue in entry.issues:
                        positions = referenced.setdefault((issue.repo, issue.number), [])
                        if not positions or positions[-1] != position:
                            positions.append(position)
            self._referenced = referenced
        return self._referenced

    def __getitem__(self, key: IssueKey) -> list[str]:
        if self._every is not None:
            return self._every[key]
        if key in self._found:
            found = self._found[key]
        else:
            positions = self._referencing().get(key, [])
            found = None
            if len(positions) > 1:
                found = backports([self._releases[p] for p in positions]).get(key)
            self._found[key] = found
        if found is None:
            raise KeyError(key)
        return found

    def _everything(self) -> dict[IssueKey, list[str]]:
        if self._every is None:
            self._every = backports(self._releases)
        return self._every

    def __iter__(self) -> Iterator[IssueKey]:
        return iter(self._everything())

    def __len__(self) -> int:
        return len(self._everything())
