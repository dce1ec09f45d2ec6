"""The release a sectioned walk builds: section drafts, their sections and the release's prose."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from notes_tui.links import resolve_url
from notes_tui.model import Entry, Release, Section, area_key
from notes_tui.parse.changelog import ChangelogContext, ReleaseBlock
from notes_tui.parse.headings import release_date


@dataclass(slots=True)
class SectionDraft:
    """A section as the walk fills it in: entries and prose line ranges, and its subsections."""

    title: str
    """The heading's title, cleaned."""
    area: str
    """The area of its entries: the title of the outermost enclosing section."""
    area_key: str
    """`model.area_key` of `area`."""
    entries: list[Entry] = field(default_factory=list)
    """Its entries, in order."""
    prose: list[tuple[int, int]] = field(default_factory=list)
    """The `(start, end)` line ranges of its prose."""
    subsections: list[SectionDraft] = field(default_factory=list)
    """The sections of its sub-headings."""


def build_release(
    block: ReleaseBlock,
    context: ChangelogContext,
    format_name: str,
    version: str,
    sections: Sequence[SectionDraft],
    intro: Sequence[tuple[int, int]],
    meta: Sequence[tuple[int, int]],
) -> Release:
    """Build the release from what the walk found.

    The release's prose is the links of its heading (`Compare: <url>`), then the text
    before any heading, then the metadata.

    Args:
        block: The release block walked.
        context: What the file's blocks share.
        format_name: The format's name, recorded in the release.
        version: The release's version, as its heading writes it.
        sections: The top-level section drafts, in order.
        intro: The line ranges of the text before any heading.
        meta: The line ranges of metadata (`New Contributors`, `**Full Changelog**:`).

    Returns:
        The release.
    """
    lines = context.lines
    parts = [f"{_link_label(url)}: <{url}>" for url in _heading_links(block, context.base_url)]
    if intro:
        parts.extend(_join(lines, intro))
    if meta:
        parts.extend(_join(lines, meta))
    return Release(
        version=version,
        title=block.title,
        date=release_date(block.title),
        doc_kind="changelog",
        source=context.source,
        sections=tuple([_build(section, lines) for section in sections]),
        prose="\n\n".join([part for part in parts if part]) if parts else "",
        project=context.project,
        format=format_name,
    )


def _heading_links(block: ReleaseBlock, base_url: str) -> list[str]:
    urls: list[str] = []
    for child in block.heading_inline.children or ():
        if child.type == "link_open":
            href = str(child.attrGet("href") or "")
            url = href if href.startswith("https://") else resolve_url(href, base_url)
            if url.startswith(("http://", "https://")) and url not in urls:
                urls.append(url)
    return urls


def _link_label(url: str) -> str:
    return "Compare" if "/compare/" in url else "Release"


def _join(lines: Sequence[str], ranges: Sequence[tuple[int, int]]) -> list[str]:
    return ["\n".join(lines[start:end]).strip("\n") for start, end in ranges]


def _build(draft: SectionDraft, lines: Sequence[str]) -> Section:
    subsections = draft.subsections
    return Section(
        title=draft.title,
        key=draft.area_key if draft.title == draft.area else cached_area_key(draft.title),
        entries=tuple(draft.entries),
        subsections=tuple([_build(sub, lines) for sub in subsections]) if subsections else (),
        prose="\n\n".join(_join(lines, draft.prose)).strip() if draft.prose else "",
    )


@lru_cache(maxsize=1024)
def cached_area_key(title: str) -> str:
    """`model.area_key`, once per title: a changelog repeats its few headings in every release."""
    return area_key(title)
