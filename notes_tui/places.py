"""Short names for the files a session was read from, as the detail pane shows them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from notes_tui.reading import STDIN


def short_places(sources: Collection[str]) -> dict[str, str]:
    """Name each file by the shortest end of its path that no other file's path ends with.

    Notes laid out as a site (`announcing-1.28/change-notes/index.md`) all end in the same
    file name, which alone tells nothing; one file alone is named by its file name.

    Args:
        sources: The files' paths, as given (`-` for standard input).

    Returns:
        Each source's short name: `istio-1.28.0-change-notes.md`,
        `announcing-1.28/change-notes/index.md`; the whole path when no shorter end is
        its own; `standard input` for `-`.
    """
    parts = {source: _parts(source) for source in set(sources) if source != STDIN}
    ends: Counter[tuple[str, ...]] = Counter()
    for path in parts.values():
        for length in range(1, len(path) + 1):
            ends[path[-length:]] += 1
    names: dict[str, str] = {}
    for source, path in parts.items():
        names[source] = source
        for length in range(1, len(path) + 1):
            if ends[path[-length:]] == 1:
                names[source] = "/".join(path[-length:])
                break
    if STDIN in sources:
        names[STDIN] = "standard input"
    return names


def _parts(source: str) -> tuple[str, ...]:
    """A path's parts, `/` and `\\` alike, with no empty or `.` parts."""
    parts = source.replace("\\", "/").split("/")
    return tuple(part for part in parts if part not in ("", "."))
