"""One walk over a krel release block: entries by kind heading, areas from `[SIG ...]` trailers."""

from __future__ import annotations

import re

from markdown_it.token import Token

from notes_tui.model import Entry
from notes_tui.parse.blocks import EntryDraft, first_inline
from notes_tui.parse.changelog import ChangelogContext, ReleaseBlock, heading_text
from notes_tui.parse.markdown import inline_text
from notes_tui.parse.walk import build_entry, spans

KIND_HEADINGS: dict[str, str] = {
    "deprecation": "Deprecated",
    "api change": "Changed",
    "feature": "Added",
    "documentation": "Docs",
    "failing test": "Fixed",
    "bug or regression": "Fixed",
    "other (cleanup or flake)": "Other",
    "design": "Other",
    "uncategorized": "Other",
}
"""The `### ...` headings under `## Changes by Kind`, lower-cased, and the kind each gives."""

URGENT = "Urgent Upgrade Notes"
"""The `##` heading whose bullets must be read before upgrading (kind Breaking)."""
DEPENDENCIES = "Dependencies"
"""The `##` heading of module bumps, and the area of their entries."""
SECURITY_AREA = "Security"
"""The area of the `### CVE-...` entries of `## Important Security Information`."""
NO_SIG = "General"
"""The area of an entry whose trailer names no SIG."""

SIG_NAMES = (
    "API Machinery",
    "Apps",
    "Architecture",
    "Auth",
    "Autoscaling",
    "CLI",
    "Cloud Provider",
    "Cluster Lifecycle",
    "Contributor Experience",
    "Docs",
    "Etcd",
    "Instrumentation",
    "K8s Infra",
    "Multicluster",
    "Network",
    "Node",
    "Release",
    "Scalability",
    "Scheduling",
    "Security",
    "Storage",
    "Testing",
    "UI",
    "Windows",
)
"""The SIGs as krel spells them; a label written otherwise (`cloud-provider`) is mapped to these."""
_SIG_BY_KEY = {name.casefold(): name for name in SIG_NAMES}

_TRAILER = re.compile(
    r"\(#(?P<pr>\d+)(?P<authors>(?:[,\s]+@?[\w-]+)*)\)\s*(?:\[SIG (?P<sigs>[^\]]*)\])?\s*$"
)
"""The end of an entry's plain text: `(#123, @author) [SIG A, B and C]` (once `(#123 author)`)."""
_SIG_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")
_AUTHOR = re.compile(r"@?([\w-]+)")
_CVE_HEADING = re.compile(r"^CVE-\d{4}-\d{4,}")


def split_sigs(text: str) -> tuple[str, ...]:
    """Split a SIG label into areas: `Node, Scheduling and Testing` gives three `SIG ...`.

    Names krel knows are spelled its way (`cloud-provider` gives `SIG Cloud Provider`).

    Args:
        text: What follows `[SIG ` up to `]`.

    Returns:
        The areas, each `SIG <name>`, in the order written.
    """
    names = [name.strip() for name in _SIG_SEPARATOR.split(text.strip())]
    spelled = (_SIG_BY_KEY.get(name.replace("-", " ").casefold(), name) for name in names if name)
    return tuple(f"SIG {name}" for name in spelled)


class Walker:
    """One walk over a release block's top-level blocks, building entry drafts by area."""

    def __init__(self, block: ReleaseBlock, ctx: ChangelogContext) -> None:
        self.block = block
        self.ctx = ctx
        self.version = block.title.split()[0] if block.title else ""
        self.h2 = ""
        self.h3 = ""
        self.prose: list[tuple[int, int]] = []
        self.entries: list[Entry] = []
        self.pending: list[tuple[EntryDraft, str]] = []
        """Drafts not yet finished (a continuation paragraph may still follow), with their area."""

    def walk(self) -> None:
        """Read the block's top-level blocks once, filling `entries` and `prose`."""
        tokens = self.block.tokens
        for start, end in spans(tokens, 0, len(tokens), 0):
            token = tokens[start]
            if token.type == "heading_open":
                self._heading(token, tokens[start + 1])
            elif self.h2.startswith("Downloads for"):
                continue
            elif self.h3 and _CVE_HEADING.match(self.h3) and self.pending:
                self._continue(start, end)
            elif token.type == "bullet_list_open" and self._takes_entries():
                self._flush()
                self._list(start, end)
            elif token.type == "paragraph_open" and self.pending and self._continues():
                self._continue(start, end)
            else:
                self._flush()
                if token.map and not self._is_nothing(start):
                    self.prose.append((token.map[0], token.map[1]))
        self._flush()

    def _heading(self, token: Token, inline: Token) -> None:
        self._flush()
        title = heading_text(inline)
        if token.tag == "h2":
            self.h2, self.h3 = title, ""
            if title.startswith("Changelog since") and token.map:
                self.prose.append((token.map[0], token.map[1]))
        elif token.tag == "h3":
            self.h3 = title
            if self.h2 == "Important Security Information" and _CVE_HEADING.match(title):
                start, end = token.map or (0, 1)
                draft = EntryDraft([inline], [(start, end, 0)], "Security", "CVE")
                draft.summary_override = title
                self.pending.append((draft, SECURITY_AREA))

    def _takes_entries(self) -> bool:
        return self.h2 in {URGENT, DEPENDENCIES} or (self.h2 == "Changes by Kind" and bool(self.h3))

    def _continues(self) -> bool:
        """A column-0 paragraph after a bullet continues it (a too-shallow indent)."""
        return self.h2 in {URGENT, "Changes by Kind"}

    def _is_nothing(self, start: int) -> bool:
        tokens = self.block.tokens
        if start + 1 >= len(tokens):
            return False  # the block ends with a token that has no inline (`---`)
        inline = tokens[start + 1]
        return inline.type == "inline" and inline.content.strip() == "_Nothing has changed._"

    def _kind(self) -> tuple[str, str]:
        if self.h2 == URGENT:
            return "Breaking", URGENT
        if self.h2 == DEPENDENCIES:
            return "Dependency", self.h3
        return KIND_HEADINGS.get(self.h3.casefold(), "Other"), self.h3

    def _list(self, start: int, end: int) -> None:
        tokens = self.block.tokens
        kind, label = self._kind()
        for item_start, item_end in spans(tokens, start + 1, end - 1, 1):
            item_map = tokens[item_start].map or [0, 0]
            body = list(tokens[item_start + 1 : item_end - 1])
            draft = EntryDraft(body, [(item_map[0], item_map[1], 1)], kind, label)
            inline = first_inline(body)
            draft.summary_source = [inline] if inline is not None else []
            if kind != "Dependency" and inline is not None and _action_required(inline):
                # krel's marker for what must be read before upgrading, wherever it is filed.
                draft.kind = "Breaking"
            area = DEPENDENCIES if self.h2 == DEPENDENCIES else NO_SIG
            self.pending.append((draft, area))

    def _continue(self, start: int, end: int) -> None:
        draft, _ = self.pending[-1]
        block_map = self.block.tokens[start].map or [0, 0]
        draft.tokens.extend(self.block.tokens[start:end])
        draft.ranges.append((block_map[0], block_map[1], 0))

    def _flush(self) -> None:
        for draft, area in self.pending:
            self.entries.append(self._finish(draft, area))
        self.pending = []

    def _finish(self, draft: EntryDraft, area: str) -> Entry:
        authors: tuple[str, ...] = ()
        areas: tuple[str, ...] = ()
        first = draft.summary_source[0] if draft.summary_source else None
        summary = draft.summary_override or ""
        if first is not None:
            summary = inline_text(first.children or [])
        last = next((t for t in reversed(draft.tokens) if t.type == "inline"), None)
        if last is not None and draft.kind_label != "CVE":
            text = summary if last is first else inline_text(last.children or [])
            opening = text.rfind("(#")
            trailer = _TRAILER.match(text, opening) if opening >= 0 else None
            if trailer is not None:
                authors = tuple(f"@{name}" for name in _AUTHOR.findall(trailer["authors"]))
                areas = split_sigs(trailer["sigs"]) if trailer["sigs"] else ()
                area = areas[0] if areas else area
                if last is first:
                    summary = text[:opening]
        return build_entry(
            draft,
            self.ctx,
            release=self.version,
            area=area,
            summary=summary,
            areas=areas if len(areas) > 1 else (),
            author=", ".join(authors),
        )


def _action_required(inline: Token) -> bool:
    return inline_text(inline.children or []).lstrip().startswith("ACTION REQUIRED")
