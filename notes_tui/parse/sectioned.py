"""Release blocks read as headings over bullets: the walk the changelog formats share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

from markdown_it.token import Token

from notes_tui.model import Release, area_key
from notes_tui.parse.blocks import first_inline
from notes_tui.parse.changelog import ChangelogContext, ReleaseBlock
from notes_tui.parse.deferred import parse_deferred
from notes_tui.parse.headings import (
    LABEL_LEVEL,
    META_ROLE,
    HeadingRole,
    HeadingRule,
    Role,
    heading_title,
    is_metadata_paragraph,
    label_heading,
    pseudo_heading,
    release_version,
)
from notes_tui.parse.sectioned_entries import item_entry
from notes_tui.parse.sectioned_release import SectionDraft, build_release, cached_area_key
from notes_tui.parse.vocabulary import clean_label

DEFAULT_AREA = "Changes"
"""The area of entries that come before any heading of their release."""
_DEFAULT_KEY = area_key(DEFAULT_AREA)


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


_PendingEntry = tuple[list[Token], list[int], Token, SectionDraft, HeadingRole | None]
"""A list item to build an entry from: its tokens, line map, first inline, section, kind heading."""


@dataclass(slots=True)
class _Frame:
    level: int
    role: HeadingRole
    section: SectionDraft | None


class _Walker:
    """One walk over a release block's top-level tokens."""

    __slots__ = (
        "block",
        "context",
        "default",
        "frames",
        "intro",
        "meta",
        "numbered",
        "pending",
        "rule",
        "saw_numbered",
        "sections",
        "version",
    )

    def __init__(
        self,
        block: ReleaseBlock,
        context: ChangelogContext,
        rule: HeadingRule,
        numbered: bool = False,
    ):
        self.block = block
        self.context = context
        self.rule = rule
        self.numbered = numbered
        """Whether top-level numbered lists are read as entries too (see `read_release`)."""
        self.saw_numbered = False
        """Whether the walk met a top-level numbered list."""
        self.version = release_version(block.title)
        self.frames: list[_Frame] = []
        self.sections: list[SectionDraft] = []
        self.default: SectionDraft | None = None
        self.intro: list[tuple[int, int]] = []
        self.meta: list[tuple[int, int]] = []
        self.pending: list[_PendingEntry] = []
        """The list items that are entries, in order: built once the walk has found them all."""

    def walk(self) -> None:
        tokens = self.block.tokens
        index, count = 0, len(tokens)
        while index < count:
            token = tokens[index]
            kind = token.type
            if kind == "heading_open":
                self._heading(int(token.tag[1]), heading_title(tokens[index + 1]))
                index += 3
            elif kind == "paragraph_open":
                self._paragraph(token, tokens[index + 1])
                index += 3
            elif kind == "bullet_list_open" or (kind == "ordered_list_open" and self.numbered):
                index = self._list(index)
            else:
                self.saw_numbered = self.saw_numbered or kind == "ordered_list_open"
                end = _close(tokens, index)
                # Rules (`---` between attrs' releases) and comments say nothing.
                if kind != "hr" and not (
                    kind == "html_block" and token.content.lstrip().startswith("<!--")
                ):
                    self._prose(token)
                index = end
        pending = self.pending
        if pending:
            # The entries' inline Markdown in one go; prose and metadata stay unparsed.
            parse_deferred(chain.from_iterable(item[0] for item in pending), self.block.inline_env)
            version, context = self.version, self.context
            for body, item_map, inline, section, heading in pending:
                entry = item_entry(body, item_map, inline, section, heading, version, context)
                section.entries.append(entry)

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
        area = parent.area if parent is not None else title
        section = SectionDraft(title, area, cached_area_key(area))
        (parent.subsections if parent is not None else self.sections).append(section)
        frames.append(_Frame(level, role, section))

    def _end_label(self) -> None:
        """A label paragraph (`**Added**`) covers the list right after it only."""
        frames = self.frames
        if frames and frames[-1].level == LABEL_LEVEL:
            frames.pop()

    def _paragraph(self, token: Token, inline: Token) -> None:
        self._end_label()
        if inline.content.startswith("#"):
            pseudo = pseudo_heading(inline)
            if pseudo is not None:
                self._heading(*pseudo)
                return
        if is_metadata_paragraph(inline):
            self._add_range(self.meta, token)
            return
        label = label_heading(inline) if len(inline.content) < 48 else None
        if label is not None:  # `**Added**` alone: the bullets after it are Added
            self._heading(LABEL_LEVEL, label)
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

    def _list(self, start: int) -> int:
        """Read a top-level bullet list's items as entries; return the index past the list."""
        tokens = self.block.tokens
        frames = self.frames
        if frames and frames[-1].role.role is Role.META:
            self._add_range(self.meta, tokens[start])
            return _close(tokens, start)
        section = frames[-1].section if frames else None
        if section is None:
            if self.default is None:
                self.default = SectionDraft(DEFAULT_AREA, DEFAULT_AREA, _DEFAULT_KEY)
                self.sections.append(self.default)
            section = self.default
        heading = None
        for frame in reversed(frames):
            if frame.role.role is Role.KIND:
                heading = frame.role
                break
        index, count = start + 1, len(tokens)
        while index < count and tokens[index].type == "list_item_open":
            item = tokens[index]
            past = index + 5
            # One paragraph (`<li><p>inline</p></li>`, most entries) needs no search for its end.
            if not (
                past <= count
                and tokens[index + 1].type == "paragraph_open"
                and tokens[past - 1].type == "list_item_close"
            ):
                past = _close(tokens, index)
            body = tokens[index + 1 : past - 1]
            # An item opens with a paragraph (its inline token second) but for odd ones.
            inline = body[1] if len(body) > 1 and body[1].type == "inline" else first_inline(body)
            if inline is not None and inline.content.strip():
                self.pending.append((body, item.map or [0, 0], inline, section, heading))
            index = past
        self._end_label()
        return index + 1  # past `bullet_list_close` (or `ordered_list_close`)

    def release(self, format_name: str) -> Release:
        """Build the release from what the walk found."""
        return build_release(
            self.block,
            self.context,
            format_name,
            self.version,
            self.sections,
            self.intro,
            self.meta,
        )


def read_release(
    block: ReleaseBlock, context: ChangelogContext, format_name: str, rule: HeadingRule
) -> Release:
    """Read a release block whose headings are areas or kinds and whose bullets are entries.

    Headings below the release heading become sections. A heading that names a kind
    (`### Fixed`) gives its entries that kind and is their area only when no area heading
    encloses it; metadata headings (`New Contributors`) and `**Full Changelog**:` lines go
    to the release's prose, after any link of the release heading (`Compare: <url>`).
    Top-level bullets are entries; in a release that has none, top-level numbered items are
    (beside bullets, a numbered list is prose: upgrade steps, notes). An entry's kind comes
    from a bold lead that names one (`**Breaking Change**`), else from the nearest kind
    heading, else from its first word (`Fix ...`, `[Docs] ...`); trailing references and
    `by @user` credits are kept out of the summary, and the credit becomes the entry's
    author (`@user`).

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
    if not walker.pending and walker.saw_numbered:
        walker = _Walker(block, context, rule, numbered=True)
        walker.walk()
    return walker.release(format_name)
