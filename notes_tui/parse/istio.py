"""Istio's release notes: change notes, patch notes, upgrade notes, announcements, bulletins."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from markdown_it.token import Token

from notes_tui.links import DEFAULT_BASE_URL
from notes_tui.model import Entry, Release, Section, area_key
from notes_tui.parse.blocks import CVE_ID, EntryDraft, finish_entry, first_inline, leading_kind
from notes_tui.parse.front_matter import split_front_matter
from notes_tui.parse.kinds import OTHER, kind_of
from notes_tui.parse.markdown import expand_shortcodes, inline_text, tokenize

UPGRADE_NOTE = "Upgrade note"
"""The kind label of an upgrade note (its kind is Breaking)."""

WHOLE_BULLETIN = "Bulletin"
"""The kind label of the one entry of a bulletin that names no CVE in a bullet."""

DEFAULT_AREA = "Changes"
"""The area of entries that come before any heading."""

_VERSION = re.compile(r"\b(\d+\.\d+(?:\.\d+)?(?:-[0-9A-Za-z.]+)?)\b")
_BULLETIN_ID = re.compile(r"ISTIO-SECURITY-\d{4}-\d{3}", re.I)
_CONTINUING_DOCS = frozenset({"change-notes", "patch-notes"})


@dataclass
class _SectionDraft:
    title: str
    heading_line: int
    entries: list[EntryDraft] = field(default_factory=list)
    prose: list[tuple[int, int]] = field(default_factory=list)
    subsections: list[_SectionDraft] = field(default_factory=list)
    end_line: int = 0


def classify(source: str, front_matter: dict[str, Any]) -> str:
    """Tell which kind of Istio document a file is, from its path and front matter.

    Args:
        source: The file path (may be `-`).
        front_matter: The parsed front matter.

    Returns:
        One of the document kinds of the model.
    """
    path = source.replace("\\", "/")
    title = str(front_matter.get("title", "")).casefold()
    subtitle = str(front_matter.get("subtitle", "")).casefold()
    name = path.rsplit("/", 1)[-1]
    parent = path.rsplit("/", 2)[-2] if path.count("/") >= 1 else ""
    if "/upgrade-notes/" in path or "upgrade notes" in title:
        return "upgrade-notes"
    if "/change-notes/" in path or "/helm-changes/" in path or "change notes" in title:
        return "change-notes"
    if "security bulletin" in subtitle or (
        "/security/" in path and name == "index.md" and parent != "security"
    ):
        return "security-bulletin"
    if name == "_index.md" and not parent.startswith("announcing-"):
        return "index"
    if "layout" in front_matter or "list_by_publishdate" in front_matter:
        return "index"
    if "patch release" in subtitle or "security release" in subtitle:
        return "patch-notes"
    if parent.startswith("announcing-") and name == "_index.md":
        return "announcement"
    if title.startswith(("announcing", "introducing")) or "release" in subtitle:
        return "announcement"
    return "patch-notes" if front_matter.get("release") else "announcement"


def release_version(source: str, front_matter: dict[str, Any], doc_kind: str) -> str:
    """Find the version a document is about.

    Args:
        source: The file path.
        front_matter: The parsed front matter.
        doc_kind: Its document kind.

    Returns:
        The version as written (`1.28.0`; `1.3` for a minor's notes), the bulletin id
        for security bulletins, or the file's folder name when nothing better exists.
    """
    title = str(front_matter.get("title", ""))
    if doc_kind == "security-bulletin":
        match = _BULLETIN_ID.search(title) or _BULLETIN_ID.search(source)
        if match:
            return match.group(0).upper()
    folders = source.replace("\\", "/").split("/")[:-1]
    # The parent folder, then the grandparent (`announcing-1.31/upgrade-notes/index.md`).
    for candidate in (
        front_matter.get("release"),
        front_matter.get("linktitle"),
        title,
        *reversed(folders[-2:]),
    ):
        match = _VERSION.search(str(candidate or ""))
        if match:
            return match.group(1)
    folder = source.replace("\\", "/").rstrip("/").rsplit("/", 2)
    return folder[-2] if len(folder) >= 2 else title or source


def _block_end(tokens: list[Token], index: int) -> int:
    """Return the index just past the block that starts at `index`."""
    opening = tokens[index]
    if opening.nesting != 1:
        return index + 1
    for position in range(index + 1, len(tokens)):
        token = tokens[position]
        if token.level == opening.level and token.nesting == -1:
            return position + 1
    return len(tokens)


def _is_comment(token: Token) -> bool:
    return token.type == "html_block" and token.content.lstrip().startswith("<!--")


class _Walker:
    """One walk over a document's top-level blocks, building sections and entry drafts."""

    def __init__(self, tokens: list[Token], doc_kind: str) -> None:
        self.tokens = tokens
        self.doc_kind = doc_kind
        self.sections: list[_SectionDraft] = []
        self.current: _SectionDraft | None = None
        self.top: _SectionDraft | None = None
        self.intro: list[tuple[int, int]] = []
        levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open" and t.level == 0]
        self.top_level = max(2, min(levels)) if levels else 2

    def walk(self) -> None:
        index = 0
        while index < len(self.tokens):
            token = self.tokens[index]
            end = _block_end(self.tokens, index)
            if token.type == "heading_open":
                self._heading(token, self.tokens[index + 1])
            elif token.type == "bullet_list_open":
                self._list(index, end)
            elif not _is_comment(token):
                self._block(index, end)
            index = end

    def _heading(self, token: Token, inline: Token) -> None:
        title = " ".join(inline_text(inline.children or []).split()) or DEFAULT_AREA
        start = token.map[0] if token.map else 0
        section = _SectionDraft(title, start)
        if int(token.tag[1]) <= self.top_level or self.top is None:
            self.sections.append(section)
            self.top = section
        else:
            self.top.subsections.append(section)
        self.current = section

    def _section(self) -> _SectionDraft:
        if self.current is None:
            self.current = _SectionDraft(DEFAULT_AREA, 0)
            self.top = self.current
            self.sections.append(self.current)
        return self.current

    def _list(self, start: int, end: int) -> None:
        section = self._section()
        if self.doc_kind == "upgrade-notes" and section.prose:
            # Bullets after an explanation belong to it: the heading is the entry.
            self._block(start, end)
            return
        index = start + 1
        while index < end - 1:
            item_end = _block_end(self.tokens, index)
            item = self.tokens[index]
            body = self.tokens[index + 1 : item_end - 1]
            item_map = item.map or [0, 0]
            inline = first_inline(body)
            kind, label, opens_strong = leading_kind(inline)
            previous = section.entries[-1] if section.entries else None
            if (
                previous is not None
                and previous.kind != OTHER
                and previous.opens_bold
                and kind == OTHER
                and not opens_strong
                and self.doc_kind in _CONTINUING_DOCS
            ):
                # A plain bullet at column 0 right after a `**Verb**` entry: the author's
                # sub-bullet. After a plain-verb entry (`- Fix ...`) it is a sibling entry.
                previous.tokens.extend(body)
                previous.ranges.append((item_map[0], item_map[1], 0))
            else:
                draft = EntryDraft(list(body), [(item_map[0], item_map[1], 1)], kind, label)
                draft.summary_source = [inline] if inline is not None else []
                draft.opens_bold = opens_strong
                section.entries.append(draft)
            index = item_end

    def _block(self, start: int, end: int) -> None:
        token = self.tokens[start]
        block_map = token.map or [0, 0]
        section = self.current
        if section is not None and self._bold_paragraph(start, end):
            return
        previous = section.entries[-1] if section is not None and section.entries else None
        if previous is not None and previous.kind != OTHER and self.doc_kind in _CONTINUING_DOCS:
            # A column-0 paragraph after a blank line: the author meant it to continue the entry.
            previous.tokens.extend(self.tokens[start:end])
            previous.ranges.append((block_map[0], block_map[1], 0))
        elif section is None:
            self.intro.append((block_map[0], block_map[1]))
        else:
            section.prose.append((block_map[0], block_map[1]))

    def _bold_paragraph(self, start: int, end: int) -> bool:
        """Take a column-0 paragraph opening with `**Verb**` as an entry whose `- ` was lost."""
        token = self.tokens[start]
        if token.type != "paragraph_open" or self.doc_kind not in _CONTINUING_DOCS:
            return False
        inline = self.tokens[start + 1]
        kind, label, opens_strong = leading_kind(inline)
        # A verb only: `__CVE-...__:` paragraphs of old patch notes stay as they were.
        if not opens_strong or kind_of(label) is None or self.current is None:
            return False
        block_map = token.map or [0, 0]
        draft = EntryDraft(
            list(self.tokens[start:end]), [(block_map[0], block_map[1], 0)], kind, label
        )
        draft.summary_source, draft.opens_bold = [inline], True
        self.current.entries.append(draft)
        return True


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
    walker = _Walker(tokenize(body), doc_kind)
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
    draft_section: _SectionDraft,
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


def _upgrade_entries(sections: list[_SectionDraft], tokens: list[Token]) -> None:
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


def _bulletin_entries(walker: _Walker, front_matter: dict[str, Any], line_count: int) -> None:
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
    whole = _SectionDraft("Security Bulletin", 0, entries=[draft])
    walker.sections[:] = [whole]
