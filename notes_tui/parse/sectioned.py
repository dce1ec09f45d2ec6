"""Release blocks read as headings over bullets: the walk the changelog formats share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from markdown_it.token import Token

from notes_tui.links import resolve_url
from notes_tui.model import Entry, Release, Section, area_key
from notes_tui.parse.blocks import EntryDraft, first_inline
from notes_tui.parse.changelog import ChangelogContext, ReleaseBlock, heading_text
from notes_tui.parse.credits import bold_kind, credit_and_summary, marked_text, unmarked
from notes_tui.parse.headings import (
    META_ROLE,
    HeadingRole,
    HeadingRule,
    Role,
    is_metadata_paragraph,
    pseudo_heading,
    release_date,
    release_version,
)
from notes_tui.parse.kinds import OTHER
from notes_tui.parse.vocabulary import clean_label, word_kind
from notes_tui.parse.walk import build_entry

DEFAULT_AREA = "Changes"
"""The area of entries that come before any heading of their release."""

_NO_DEFINITIONS: dict[str, str] = {}
"""Reference definitions are not kept per block: `with_definitions` finds them by the links."""


def _close(tokens: Sequence[Token], index: int) -> int:
    """The index just past the block that opens at `index`."""
    opening = tokens[index]
    if opening.nesting != 1:
        return index + 1
    level = opening.level
    for position in range(index + 1, len(tokens)):
        token = tokens[position]
        if token.nesting == -1 and token.level == level:
            return position + 1
    return len(tokens)


@dataclass
class _SectionDraft:
    title: str
    area: str
    entries: list[Entry] = field(default_factory=list)
    prose: list[tuple[int, int]] = field(default_factory=list)
    subsections: list[_SectionDraft] = field(default_factory=list)


@dataclass
class _Frame:
    level: int
    role: HeadingRole
    section: _SectionDraft | None


class _Walker:
    """One walk over a release block's top-level tokens."""

    def __init__(self, block: ReleaseBlock, context: ChangelogContext, rule: HeadingRule):
        self.block = block
        self.context = context
        self.rule = rule
        self.version = release_version(block.title)
        self.frames: list[_Frame] = []
        self.sections: list[_SectionDraft] = []
        self.default: _SectionDraft | None = None
        self.intro: list[tuple[int, int]] = []
        self.meta: list[tuple[int, int]] = []

    def walk(self) -> None:
        tokens = self.block.tokens
        index, count = 0, len(tokens)
        while index < count:
            token = tokens[index]
            kind = token.type
            if kind == "heading_open":
                self._heading(int(token.tag[1]), heading_text(tokens[index + 1]))
                index += 3
            elif kind == "paragraph_open":
                self._paragraph(token, tokens[index + 1])
                index += 3
            elif kind == "bullet_list_open":
                end = _close(tokens, index)
                self._list(index, end)
                index = end
            else:
                end = _close(tokens, index)
                # Rules (`---` between attrs' releases) and comments say nothing.
                if kind != "hr" and not (
                    kind == "html_block" and token.content.lstrip().startswith("<!--")
                ):
                    self._prose(token)
                index = end

    def _heading(self, level: int, title: str) -> None:
        frames = self.frames
        while frames and frames[-1].level >= level:
            frames.pop()
        if frames and frames[-1].role.role is Role.META:
            frames.append(_Frame(level, META_ROLE, None))
            return
        inherited = next((f.role.kind for f in reversed(frames) if f.role.role is Role.KIND), None)
        role = self.rule(title, inherited)
        if role.role is Role.META:
            frames.append(_Frame(level, role, None))
            return
        parent = next((f.section for f in reversed(frames) if f.section is not None), None)
        # `### [Fixed]` is the area `Fixed`, like `### Fixed`; the kind label keeps the brackets.
        title = clean_label(title).strip("[]") if role.role is Role.KIND else clean_label(title)
        section = _SectionDraft(title, parent.area if parent is not None else title)
        (parent.subsections if parent is not None else self.sections).append(section)
        frames.append(_Frame(level, role, section))

    def _paragraph(self, token: Token, inline: Token) -> None:
        if inline.content.startswith("#"):
            pseudo = pseudo_heading(inline)
            if pseudo is not None:
                self._heading(*pseudo)
                return
        if is_metadata_paragraph(inline):
            self._add_range(self.meta, token)
            return
        self._prose(token)

    def _prose(self, token: Token) -> None:
        frames = self.frames
        if frames and frames[-1].role.role is Role.META:
            self._add_range(self.meta, token)
        elif frames and frames[-1].section is not None:
            self._add_range(frames[-1].section.prose, token)
        else:
            self._add_range(self.intro, token)

    @staticmethod
    def _add_range(ranges: list[tuple[int, int]], token: Token) -> None:
        if token.map:
            ranges.append((token.map[0], token.map[1]))

    def _list(self, start: int, end: int) -> None:
        tokens = self.block.tokens
        frames = self.frames
        if frames and frames[-1].role.role is Role.META:
            self._add_range(self.meta, tokens[start])
            return
        section = frames[-1].section if frames else None
        if section is None:
            if self.default is None:
                self.default = _SectionDraft(DEFAULT_AREA, DEFAULT_AREA)
                self.sections.append(self.default)
            section = self.default
        heading = next((f.role for f in reversed(frames) if f.role.role is Role.KIND), None)
        index = start + 1
        while index < end - 1:
            item_end = _close(tokens, index)
            body = tokens[index + 1 : item_end - 1]
            # An item opens with a paragraph (its inline token second) but for odd ones.
            has_paragraph = len(body) > 1 and body[1].type == "inline"
            inline = body[1] if has_paragraph else first_inline(body)
            if inline is not None and inline.content.strip():
                item_map = tokens[index].map or [0, 0]
                section.entries.append(self._entry(body, item_map, inline, section, heading))
            index = item_end

    def _entry(
        self,
        body: list[Token],
        item_map: list[int],
        inline: Token,
        section: _SectionDraft,
        heading: HeadingRole | None,
    ) -> Entry:
        children = inline.children or []
        marked = marked_text(children)
        summary, authors = credit_and_summary(marked)
        lead = bold_kind(children)
        if lead is not None:
            # `**Breaking Change**, ...` under `### Changes`: the entry says more than its heading.
            kind, label = lead
        elif heading is not None and heading.kind:
            kind, label = heading.kind, heading.label
        else:
            kind, label = word_kind(summary) or (OTHER, "")
            if kind == OTHER and heading is not None:
                label = heading.label
        lines = self.context.lines
        start, end = item_map
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1  # the blank line a loose list keeps after an item
        draft = EntryDraft(body, [(start, end, 1)], kind, label)
        return build_entry(
            draft,
            self.context,
            release=self.version,
            area=section.area,
            summary=summary or unmarked(marked),
            # A one-paragraph item (most entries): its text is the paragraph's.
            text=unmarked(marked) if len(body) == 3 else None,
            author=authors,
            definitions=_NO_DEFINITIONS,
        )

    def release(self, format_name: str) -> Release:
        """Build the release from what the walk found."""
        lines = self.context.lines
        parts = [f"{_link_label(url)}: <{url}>" for url in self._heading_links()]
        parts.extend(_join(lines, self.intro))
        parts.extend(_join(lines, self.meta))
        return Release(
            version=self.version,
            title=self.block.title,
            date=release_date(self.block.title),
            doc_kind="changelog",
            source=self.context.source,
            sections=tuple(_build(section, lines) for section in self.sections),
            prose="\n\n".join(part for part in parts if part),
            project=self.context.project,
            format=format_name,
        )

    def _heading_links(self) -> list[str]:
        urls: list[str] = []
        for child in self.block.heading_inline.children or ():
            if child.type == "link_open":
                href = str(child.attrGet("href") or "")
                url = (
                    href
                    if href.startswith("https://")
                    else resolve_url(href, self.context.base_url)
                )
                if url.startswith(("http://", "https://")) and url not in urls:
                    urls.append(url)
        return urls


def _link_label(url: str) -> str:
    return "Compare" if "/compare/" in url else "Release"


def _join(lines: Sequence[str], ranges: Sequence[tuple[int, int]]) -> list[str]:
    return ["\n".join(lines[start:end]).strip("\n") for start, end in ranges]


def _build(draft: _SectionDraft, lines: Sequence[str]) -> Section:
    return Section(
        title=draft.title,
        key=area_key(draft.title),
        entries=tuple(draft.entries),
        subsections=tuple(_build(sub, lines) for sub in draft.subsections),
        prose="\n\n".join(_join(lines, draft.prose)).strip(),
    )


def read_release(
    block: ReleaseBlock, context: ChangelogContext, format_name: str, rule: HeadingRule
) -> Release:
    """Read a release block whose headings are areas or kinds and whose bullets are entries.

    Headings below the release heading become sections. A heading that names a kind
    (`### Fixed`) gives its entries that kind and is their area only when no area heading
    encloses it; metadata headings (`New Contributors`) and `**Full Changelog**:` lines go
    to the release's prose, after any link of the release heading (`Compare: <url>`).
    Top-level bullets are entries: their kind comes from the nearest kind heading, else
    from a bold lead or their first word; trailing references and `by @user` credits are
    kept out of the summary, and the credit becomes the entry's author.

    Args:
        block: The release block.
        context: What the file's blocks share.
        format_name: The format's name, recorded in the release.
        rule: How this format classifies headings.

    Returns:
        The release.
    """
    walker = _Walker(block, context, rule)
    walker.walk()
    return walker.release(format_name)
