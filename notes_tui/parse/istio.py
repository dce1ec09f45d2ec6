"""Istio's release notes: change notes, patch notes, upgrade notes, announcements, bulletins."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from markdown_it.token import Token

from notes_tui.links import DEFAULT_BASE_URL
from notes_tui.model import Entry, Release, Section, area_key
from notes_tui.parse.blocks import CVE_ID, EntryDraft, finish_entry
from notes_tui.parse.front_matter import split_front_matter
from notes_tui.parse.istio_docs import classify, release_version
from notes_tui.parse.istio_walk import SectionDraft, Walker
from notes_tui.parse.markdown import inline_text, tokenize
from notes_tui.parse.shortcodes import expand_shortcodes

UPGRADE_NOTE = "Upgrade note"
"""The kind label of an upgrade note (its kind is Breaking)."""

WHOLE_BULLETIN = "Bulletin"
"""The kind label of the one entry of a bulletin that names no CVE in a bullet."""


def parse_istio(
    text: str, source: str, base_url: str = DEFAULT_BASE_URL, default_repo: str = "istio/istio"
) -> Release:
    """Parse one Istio release-notes page.

    Args:
        text: The file's text.
        source: Its path, used to classify it (`-` for standard input).
        base_url: Base for relative links.
        default_repo: Repository for bare `#N` references.

    Returns:
        The release, with its sections and entries.
    """
    split = split_front_matter(text)
    front_matter = split.front_matter
    doc_kind = classify(source, front_matter)
    version = release_version(source, front_matter, doc_kind)
    body = expand_shortcodes(split.body, front_matter)
    lines = body.split("\n")
    walker = Walker(tokenize(body), doc_kind)
    walker.walk()
    cves = tuple(str(c) for c in front_matter.get("cves", []) or [] if CVE_ID.fullmatch(str(c)))

    last_line = text.count("\n") + 1

    def finish(draft: EntryDraft, area: str) -> Entry:
        entry = _finish(draft, area)
        # A bulletin that is all front matter has its one entry past the body's end.
        return entry if entry.line <= last_line else replace(entry, line=last_line)

    def _finish(draft: EntryDraft, area: str) -> Entry:
        return finish_entry(
            draft,
            lines=lines,
            line_offset=split.body_line,
            release=version,
            area=area,
            source=source,
            doc_kind=doc_kind,
            base_url=base_url,
            default_repo=default_repo,
            extra_cves=cves if draft.kind_label == WHOLE_BULLETIN else (),
        )

    if doc_kind == "upgrade-notes":
        _upgrade_entries(walker.sections, walker.tokens)
    if doc_kind == "security-bulletin":
        _bulletin_entries(walker, front_matter, len(lines))

    if doc_kind == "index":
        sections: tuple[Section, ...] = ()
    else:
        sections = tuple(_build(s, s.title, finish, lines) for s in walker.sections)
    date = front_matter.get("publishdate") or front_matter.get("date")
    return Release(
        version=version,
        title=str(front_matter.get("title", "")).strip() or version,
        date=str(date)[:10] if date else None,
        doc_kind=doc_kind,
        source=source,
        sections=sections,
        front_matter=front_matter,
        prose=_prose(lines, walker.intro),
        cves=cves,
        cvss=str(front_matter["cvss"]) if front_matter.get("cvss") else None,
        warnings=split.warnings,
        project=default_repo,
    )


def _build(
    draft_section: SectionDraft,
    area: str,
    finish: Callable[[EntryDraft, str], Entry],
    lines: list[str],
) -> Section:
    """A section and its subsections, their entries finished.

    A function of the module, not a closure calling itself: that would be a reference
    cycle, keeping the document's lines alive after the parse until the next collection.
    """
    return Section(
        title=draft_section.title,
        key=area_key(draft_section.title),
        entries=tuple(finish(d, area) for d in draft_section.entries),
        subsections=tuple(_build(s, area, finish, lines) for s in draft_section.subsections),
        prose=_prose(lines, draft_section.prose),
    )


def _prose(lines: list[str], ranges: list[tuple[int, int]]) -> str:
    return "\n\n".join("\n".join(lines[s:e]).strip("\n") for s, e in ranges).strip()


def _upgrade_entries(sections: list[SectionDraft], tokens: list[Token]) -> None:
    """In upgrade notes, each heading without bullets of its own is one entry."""
    for section in sections:
        # The parent too: 1.5's "Mixer deprecation" has prose of its own before its sub-headings.
        targets = [section, *section.subsections]
        for target in targets:
            if target.entries or not target.prose:
                continue
            start = target.heading_line
            end = max(e for _, e in target.prose)
            body = [t for t in tokens if t.map and start <= t.map[0] < end]
            ranges = [(start, start + 1, 0), *((s, e, 0) for s, e in target.prose)]
            draft = EntryDraft(body, ranges, "Breaking", UPGRADE_NOTE)
            draft.summary_override = target.title
            target.entries.append(draft)
            target.prose = []


def _bulletin_entries(walker: Walker, front_matter: dict[str, Any], line_count: int) -> None:
    """In a security bulletin, the bullets that name a CVE are the entries.

    A bulletin with no such bullet becomes one entry that holds its whole text.
    """
    kept = 0
    for section in [*walker.sections, *(s for top in walker.sections for s in top.subsections)]:
        for draft in list(section.entries):
            if CVE_ID.search(" ".join(inline_text(t.children or []) for t in draft.summary_source)):
                draft.kind, draft.kind_label = "Security", draft.kind_label or "CVE"
                kept += 1
            else:
                section.entries.remove(draft)
                section.prose.append((draft.ranges[0][0], draft.ranges[-1][1]))
    if kept:
        return
    description = str(front_matter.get("description", "")).strip()
    draft = EntryDraft(list(walker.tokens), [(0, line_count, 0)], "Security", WHOLE_BULLETIN)
    draft.summary_override = description or str(front_matter.get("title", "Security bulletin"))
    whole = SectionDraft("Security Bulletin", 0, entries=[draft])
    walker.sections[:] = [whole]
