"""Command-line output: the aligned list, JSON, and Markdown regrouped by release and area."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rich.cells import cell_len, set_cell_size

from notes_tui.model import Entry, Release
from notes_tui.sanitize import clean_line as clean
from notes_tui.upgrade import other_releases

BackportMap = Mapping[tuple[str, int], Sequence[str]]
"""Issue `(repo, number)` to the release versions it appears in."""

_COMPARE_URL = re.compile(r"https?://[^\s<>()\[\]]+/compare/[^\s<>()\[\]]+")
"""A compare URL (`https://github.com/o/r/compare/v1.0...v1.1`) in a release's prose."""


def compare_url(release: Release) -> str:
    """The URL comparing a release with the one before, when its notes give one.

    Keep a Changelog's link-reference footer (`Compare: <url>` in the release's prose) and
    GitHub's `**Full Changelog**: <url>` give it.

    Args:
        release: The release.

    Returns:
        The URL, or `""`.
    """
    if "/compare/" not in release.prose:
        return ""
    match = _COMPARE_URL.search(release.prose)
    return match.group(0).rstrip(".,;:'\"") if match is not None else ""


def entry_json(
    entry: Entry, also_in: BackportMap | None = None, release: Release | None = None
) -> dict[str, Any]:
    """The JSON object of one entry (documented in the README).

    Args:
        entry: The entry.
        also_in: Where each issue appears, to list the entry's other releases.
        release: The release the entry belongs to, for `compare_url` and `release_prose`
            (empty without it).

    Returns:
        A JSON-ready dict.
    """
    return {
        "release": entry.release,
        "doc_kind": entry.doc_kind,
        "area": entry.area,
        "kind": entry.kind,
        "kind_label": entry.kind_label,
        "summary": entry.summary,
        "markdown": entry.markdown,
        "links": [{"url": link.url, "label": link.label} for link in entry.links],
        "issues": [
            {"repo": ref.repo, "number": ref.number, "type": ref.type, "url": ref.url}
            for ref in entry.issues
        ],
        "cves": list(entry.cves),
        "also_in": other_releases(entry, also_in) if also_in else [],
        "source": entry.source,
        "line": entry.line,
        # What the release says beside its entries: New Contributors, Full Changelog...
        "compare_url": compare_url(release) if release is not None else "",
        "release_prose": release.prose if release is not None else "",
    }


def to_json(
    entries: Sequence[Entry],
    also_in: BackportMap | None = None,
    releases: Iterable[Release] = (),
) -> str:
    """Render entries as a JSON array.

    Args:
        entries: The entries.
        also_in: Where each issue appears (fills `also_in`).
        releases: The releases the entries were taken from (fills `compare_url` and
            `release_prose`; an entry of none of them gets `""`).

    Returns:
        Indented JSON, ASCII-only so no raw control character can reach a terminal.
    """
    # By identity: entries are the releases' own objects, and two releases may share a
    # version and a file (a changelog that lists one version twice).
    release_of = {id(entry): release for release in releases for entry in release.entries}
    objects = [entry_json(entry, also_in, release_of.get(id(entry))) for entry in entries]
    return json.dumps(objects, indent=2, ensure_ascii=True)


def kind_shown(entry: Entry, width: int = 9) -> str:
    """The word that names an entry's kind on screen: the notes' own label when it is one
    short word (`Promoted`, `BUGFIX`), else the kind of the one vocabulary.

    Args:
        entry: The entry.
        width: The longest label shown as it is, in terminal cells (`修复` is four).

    Returns:
        The word.
    """
    label = entry.kind_label.strip("[]:. ")
    if label and " " not in label and cell_len(label) <= width:
        return label
    return entry.kind


def issue_numbers(entry: Entry) -> str:
    """The entry's issue references as `#N` words (`owner/repo#N` outside its repository)."""
    return " ".join(
        f"#{ref.number}" if ref.repo == entry.home_repo else f"{ref.repo}#{ref.number}"
        for ref in entry.issues
    )


def to_list(entries: Sequence[Entry], also_in: BackportMap | None = None, width: int = 100) -> str:
    """Render one aligned line per entry: release, area, kind, summary, issues.

    An entry whose issues also appear in other releases (a backport) ends with
    `(also in 1.27.3)`.

    Args:
        entries: The entries.
        also_in: Where each issue appears.
        width: Characters allowed for the summary.

    Returns:
        The lines, ending with a newline (empty for no entries).
    """
    if not entries:
        return ""
    rows = [
        (
            clean(e.release),
            clean(e.area),
            clean(kind_shown(e)),
            clean(e.summary),
            clean(issue_numbers(e) + _also_in_note(e, also_in)),
        )
        for e in entries
    ]
    # Widths in terminal cells: a wide character (`修复`) takes two.
    release_width = min(24, max(cell_len(r[0]) for r in rows))
    area_width = min(28, max(cell_len(r[1]) for r in rows))
    kind_width = max(cell_len(r[2]) for r in rows)
    lines = []
    for release, area, kind, summary, issues in rows:
        if cell_len(summary) > width:
            summary = _fit(summary, width)
        line = (
            f"{_fit(release, release_width)}  {_fit(area, area_width)}  "
            f"{_fit(kind, kind_width)}  {summary}"
        )
        lines.append(f"{line}  {issues}".rstrip() if issues else line.rstrip())
    return "\n".join(lines) + "\n"


def _also_in_note(entry: Entry, also_in: BackportMap | None) -> str:
    others = other_releases(entry, also_in) if also_in else []
    return f" (also in {', '.join(others)})" if others else ""


def _fit(text: str, width: int) -> str:
    """Text cut or padded to `width` cells; cut text ends in `…`."""
    cells = cell_len(text)
    if cells > width:
        return set_cell_size(text, width - 1) + "…"
    return text + " " * (width - cells)


def to_markdown(entries: Sequence[Entry]) -> str:
    """Regroup entries as Markdown: `## release`, `### area`, one bullet per entry.

    Args:
        entries: The entries, in display order.

    Returns:
        The Markdown document.
    """
    out: list[str] = []
    release = area = None
    for entry in entries:
        if entry.release != release:
            release, area = entry.release, None
            out.append(f"## {entry.release}\n")
        if entry.area != area:
            area = entry.area
            out.append(f"### {entry.area}\n")
        body = entry.markdown.strip().split("\n")
        out.append("- " + body[0])
        out.extend(("  " + line) if line.strip() else "" for line in body[1:])
        out.append("")
    return "\n".join(out).rstrip() + "\n" if out else ""
