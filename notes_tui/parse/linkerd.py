"""Linkerd's `CHANGES.md`: `## edge-24.2.5` / `## stable-2.14.0` releases of verb-led bullets."""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it.token import Token

from notes_tui.model import Entry, Release
from notes_tui.parse.blocks import EntryDraft, first_inline
from notes_tui.parse.changelog import ChangelogContext, ChangelogFormat, ReleaseBlock
from notes_tui.parse.deferred import parse_deferred
from notes_tui.parse.kinds import OTHER, kind_of
from notes_tui.parse.markdown import inline_text, plain_text
from notes_tui.parse.vocabulary import word_kind
from notes_tui.parse.walk import build_entry, spans, walked_release

DEFAULT_AREA = "General"
"""The area of an entry outside any area bullet (edge releases are one flat list)."""

EXTRA_WORDS: dict[str, str] = {
    "new": "Added",
    "implemented": "Added",
    "exposed": "Added",
    "instrumented": "Added",
    "patched": "Fixed",
    "corrected": "Fixed",
    "resolved": "Fixed",
    "addressed": "Fixed",
    "restored": "Fixed",
    "ensured": "Fixed",
    "eliminated": "Removed",
    "modified": "Changed",
    "made": "Changed",
    "simplified": "Changed",
    "refactored": "Changed",
    "lowered": "Changed",
    "decreased": "Changed",
    "expanded": "Changed",
    "relaxed": "Changed",
    "converted": "Changed",
    "separated": "Changed",
    "stopped": "Changed",
    "migrated": "Changed",
    "restricted": "Changed",
}
"""Leading words Linkerd uses that the shared vocabulary does not know, lower-cased."""

AREA_WORDS = 4
"""The most words an area bullet (`* Control Plane`, `* Conduit proxy (data plane)`) has."""

LABEL_WORDS = 2
"""The most words a label paragraph that names an area (`Known Issues:`, `Caveats:`) has."""

_HEADING = re.compile(r"^(?:edge|stable)-\d", re.I)
_BARE_VERSION = re.compile(r"v?\d+\.\d+\.\d+")
"""A heading that is a version and nothing else: `## v18.9.1`, `## v0.5.0` (before channels)."""
_CREDIT = re.compile(
    r"\b(?:thanks?|thank you|also)\b,?\s*(?:to\s+)?((?:[\s,&]*(?:and\s+)?@[\w-]+)+)", re.I
)
_HANDLE = re.compile(r"@([\w-]+)")
_TRAILING = re.compile(
    r"(?:\s*\((?:[^()]*?(?:#\d+|\bthanks?\b|@[\w-]+)[^()]*)\)[!.]?|\s*\bthanks?\b[^.()]*@[\w-]+[!.]*)+\s*$",
    re.I,
)
_DEFINITION = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*(\S+)")


def detect(block: ReleaseBlock) -> bool:
    """Tell whether a release block is a Linkerd release.

    Args:
        block: The block.

    Returns:
        True when its heading names an `edge-...` or `stable-...` version, or when it is
        a bare version (`## v18.9.1`, `## v0.5.0`: Linkerd 2 before its channels, and
        Conduit) over a list of area bullets only (`* Web UI` over its changes).
    """
    title = block.title
    if _HEADING.match(title):
        return True
    if not _BARE_VERSION.fullmatch(title):
        return False
    parse_deferred(block.tokens, block.inline_env)  # the area bullets' text is read
    return _opens_with_area_bullets(block.tokens)


def _opens_with_area_bullets(tokens: Sequence[Token]) -> bool:
    """Whether the first list of a block, before any heading, holds area bullets only.

    An item that opens with a verb (`Fix crash on startup` over its details) is a change,
    not an area.
    """
    for start, end in spans(tokens, 0, len(tokens), 0):
        kind = tokens[start].type
        if kind == "heading_open":
            return False
        if kind == "bullet_list_open":
            items = list(spans(tokens, start + 1, end - 1, 1))
            labels = [_area_label(tokens, i, j) for i, j in items]
            return all(label is not None and not _opens_with_a_verb(label) for label in labels)
    return False


def credits(text: str) -> tuple[str, ...]:
    """Find who an entry thanks: `(thanks @user!)`, `Thanks @a and @b`, `(also @user)`.

    Args:
        text: The entry's plain text.

    Returns:
        The handles, `@user`, in order, without repeats.
    """
    found: dict[str, None] = {}
    for match in _CREDIT.finditer(text):
        found.update((f"@{name}", None) for name in _HANDLE.findall(match[1]))
    return tuple(found)


def entry_kind(inline: Token | None) -> tuple[str, str]:
    """Read the kind an entry's leading word (plain or bold) names.

    Args:
        inline: The inline token of the entry's first paragraph.

    Returns:
        `(kind, word as written)`; `("Other", "")` when the word names none.
    """
    if inline is None:
        return OTHER, ""
    return _text_kind(inline_text(inline.children or []))


def _text_kind(text: str) -> tuple[str, str]:
    """`entry_kind` of the plain text of an entry's first paragraph."""
    text = text.lstrip()
    found = word_kind(text)
    if found is not None:
        return found
    word = text.split(" ", 1)[0].strip(":.,")
    kind = EXTRA_WORDS.get(word.casefold())
    return (kind, word) if kind is not None else (OTHER, "")


def _opens_with_a_verb(label: str) -> bool:
    """`Fix crash on startup`: words after a verb of the kinds (`Security` alone is an area)."""
    words = label.split()
    return len(words) > 1 and kind_of(words[0]) is not None


def _area_label(tokens: Sequence[Token], start: int, end: int) -> str | None:
    """The area an item names when it is `* Proxy` over a list of sub-items, else None."""
    first = tokens[start + 1] if start + 1 < end else None
    if first is None or first.type != "paragraph_open":
        return None
    after = start + 4  # list_item_open, paragraph_open, inline, paragraph_close
    if after >= end or tokens[after].type != "bullet_list_open":
        return None
    label = " ".join(inline_text(tokens[start + 2].children or []).split()).rstrip(":")
    if not label or label.endswith(".") or len(label.split()) > AREA_WORDS:
        return None
    return label


class _Walker:
    """One walk over a release block: bullets are entries, area bullets name their area."""

    def __init__(self, block: ReleaseBlock, ctx: ChangelogContext) -> None:
        self.block = block
        self.ctx = ctx
        self.version = block.title.split()[0] if block.title else ""
        self.prose: list[tuple[int, int]] = []
        self.entries: list[Entry] = []
        self.area = DEFAULT_AREA
        self.credits_list = False
        """True after a thank-you paragraph: the list that follows names people."""
        self.definitions = _definitions(ctx.lines, block.heading_line, block.end_line)

    def walk(self) -> None:
        tokens = self.block.tokens
        for start, end in spans(tokens, 0, len(tokens), 0):
            token = tokens[start]
            block_map = token.map or [0, 0]
            if token.type == "bullet_list_open" and not self.credits_list:
                for item_start, item_end in spans(tokens, start + 1, end - 1, 1):
                    self._item(item_start, item_end)
                continue
            if token.type == "paragraph_open":
                self._label(inline_text(tokens[start + 1].children or []))
            elif token.type == "heading_open":
                self.credits_list = False
            self.prose.append((block_map[0], block_map[1]))

    def _label(self, text: str) -> None:
        """A paragraph before a list: thanks name people; `Known Issues:` names an area.

        Only a one- or two-word label names an area: `Full release notes:` does not.
        """
        text = " ".join(text.split())
        self.credits_list = "thank" in text.casefold() and text.endswith(":")
        if text.endswith(":") and len(text.split()) <= LABEL_WORDS:
            self.area = text.rstrip(":").strip()

    def _item(self, start: int, end: int) -> None:
        tokens = self.block.tokens
        label = _area_label(tokens, start, end)
        if label is None:
            self._add(start, end, self.area)
            return
        for sub_start, sub_end in spans(tokens, start + 4, end - 1, 3):
            self._add(sub_start, sub_end, label)

    def _add(self, start: int, end: int, area: str) -> None:
        tokens = self.block.tokens
        item_map = tokens[start].map or [0, 0]
        body = tokens[start + 1 : end - 1]
        # `paragraph_open, inline, ...` for all but odd items.
        inline = body[1] if len(body) > 1 and body[1].type == "inline" else first_inline(body)
        if inline is not None:
            # The first paragraph's text once: for the kind, the summary and (alone) the text.
            raw = inline_text(inline.children or [])
            kind, label = _text_kind(raw)
            first = " ".join(raw.split())
        else:
            kind, label = OTHER, ""
            first = ""
        draft = EntryDraft(body, [(item_map[0], item_map[1], 1)], kind, label)
        # Trailing `([#123])` and `(thanks @user!)` say nothing a one-line summary needs.
        summary = _TRAILING.sub("", first) if first.endswith((")", "!", ".")) else first
        # One paragraph (most entries): its folded text is what `plain_text` makes of it.
        text = first if len(body) == 3 and inline is body[1] else plain_text(body)
        self.entries.append(
            build_entry(
                draft,
                self.ctx,
                release=self.version,
                area=area,
                summary=summary or first,
                text=text,
                author=", ".join(credits(text)) if "@" in text else "",
                definitions=self.definitions,
            )
        )


def _definitions(lines: Sequence[str], start: int, end: int) -> dict[str, str]:
    """The reference definitions of a block (`[#12098]: https://...`), labels case-folded."""
    found: dict[str, str] = {}
    for line in lines[start:end]:
        if line.startswith("[") or line.startswith(" ["):
            match = _DEFINITION.match(line)
            if match is not None:
                found.setdefault(" ".join(match[1].split()).casefold(), match[2])
    return found


def parse(block: ReleaseBlock, ctx: ChangelogContext) -> Release:
    """Read a Linkerd release block.

    Every bullet is an entry, its kind from its leading verb (plain or bold), its author
    from `(thanks @user)`, its issues from `[#N]` reference links (resolved by the
    whole-file parse) and bare `(#N)`. A bullet that is a short label over sub-bullets
    (`* Proxy`) is an area, its sub-bullets the entries. Paragraphs are release prose, and
    so is the list after a thank-you paragraph (contributors). Sections are areas, in order
    of first appearance.

    Args:
        block: The release block (`## edge-24.2.5`).
        ctx: What the file's blocks share.

    Returns:
        The release.
    """
    walker = _Walker(block, ctx)
    walker.walk()
    return walked_release(
        block,
        ctx,
        version=walker.version,
        entries=walker.entries,
        prose=walker.prose,
        format_name=FORMAT_NAME,
    )


FORMAT_NAME = "linkerd"
"""The format's name."""

FORMAT = ChangelogFormat(
    name=FORMAT_NAME,
    description="Linkerd CHANGES.md: ## edge-YY.M.N / ## stable-X.Y.Z, verb-led bullets by area",
    detect=detect,
    parse=parse,
)
"""The Linkerd format."""
