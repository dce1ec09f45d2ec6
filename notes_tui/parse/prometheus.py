"""Prometheus-style changelogs: `## 3.5.0 / 2025-07-14`, then `* [TAG] Area: text. #123` bullets."""

from __future__ import annotations

import functools
import re

from markdown_it.token import Token

from notes_tui.model import Entry, Release
from notes_tui.parse.blocks import EntryDraft, first_inline
from notes_tui.parse.changelog import ChangelogContext, ChangelogFormat, ReleaseBlock
from notes_tui.parse.markdown import inline_text
from notes_tui.parse.walk import build_entry, spans, walked_release

TAG_KINDS: dict[str, str] = {
    "SECURITY": "Security",
    "CHANGE": "Changed",
    "FEATURE": "Added",
    "ENHANCEMENT": "Changed",
    "BUGFIX": "Fixed",
    "PERF": "Performance",
    "PERFORMANCE": "Performance",
    "BREAKING": "Breaking",
    "DEPRECATION": "Deprecated",
    "DEPRECATED": "Deprecated",
    "REMOVED": "Removed",
    "DOCS": "Docs",
    "CLEANUP": "Other",
    "MAINTENANCE": "Other",
    # Typos the Prometheus changelog has kept.
    "BUFGIX": "Fixed",
    "ENHANCEMEMT": "Changed",
}
"""The `[TAG]`s, and the kind each gives; `[A/B]` gives the kind of A (Security wins)."""

DETECT_ITEMS = 10
"""How many top-level bullets detection looks at, when the heading does not say."""

DEFAULT_AREA = "General"
"""The area of an entry that names none (`[BUGFIX] Fix race condition ...`)."""

_HEADING = re.compile(
    r"^(?P<version>v?\d+\.\d+(?:\.\d+)?\S*)\s+/\s+(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b"
)
_TAG = re.compile(r"^\s*\[(?P<tag>[A-Z]+(?:/[A-Z]+)*)\]:?\s*")
_AREA = re.compile(r"^(?:\[?(?:experimental|breaking)\]?\s+)?(?P<area>[^:\"`]{1,48}?):\s", re.I)
_LABEL_BREAKING = re.compile(r"\bbreaking\b", re.I)
_LABEL_DEPRECATED = re.compile(r"\bdeprecat", re.I)
_LABEL_THANKS = re.compile(r"\bthank", re.I)


@functools.cache
def _tag_kind(tag: str) -> str | None:
    """The kind of a tag (`BUGFIX`, `SECURITY/BUGFIX`), or None when it is no known tag."""
    parts = tag.split("/")
    kinds = [TAG_KINDS.get(part) for part in parts]
    if any(kind is None for kind in kinds):
        return None
    return "Security" if "Security" in kinds else kinds[0]


def tag_of(inline: Token | None) -> tuple[str, str] | None:
    """Read the `[TAG]` an item opens with.

    Args:
        inline: The inline token of the item's first paragraph.

    Returns:
        `(kind, tag as written)`, or None when the item opens with no known tag.
    """
    if inline is None:
        return None
    match = _TAG.match(inline.content)
    if match is None:
        return None
    kind = _tag_kind(match["tag"])
    return (kind, match["tag"]) if kind is not None else None


def detect(block: ReleaseBlock) -> bool:
    """Tell whether a release block is written the Prometheus way.

    Args:
        block: The block.

    Returns:
        True when the heading is `<version> / YYYY-MM-DD`, the block has no sub-headings
        and either no bullet or a `[TAG]`ged one; or when at least half the first
        `DETECT_ITEMS` top-level bullets (one at least) open with a known `[TAG]`, one of
        them `[CHANGE]`, `[FEATURE]`, `[ENHANCEMENT]` or `[BUGFIX]`.
    """
    tokens = block.tokens
    dated = _HEADING.match(block.title) is not None
    # Unless it has sections (`### Added`): npm's History.md writes that heading too.
    if dated and any(token.type == "heading_open" for token in tokens):
        return False
    items = tagged = core = 0
    for index, token in enumerate(tokens):
        if token.type == "list_item_open" and token.level == 1:
            items += 1
            found = tag_of(first_inline(tokens[index + 1 : index + 4]))
            if found is not None:
                tagged += 1
                core += found[1].split("/")[0] in {"CHANGE", "FEATURE", "ENHANCEMENT", "BUGFIX"}
            if dated and tagged:
                break  # the heading and one tag are enough
            if not dated and items == DETECT_ITEMS:
                break
    if dated:
        # npm's History.md writes that heading over plain bullets (`Fix ...`, `deps: ...`).
        return items == 0 or tagged > 0
    return tagged > 0 and core > 0 and 2 * tagged >= items


class _Walker:
    """One walk over a release block: tagged bullets (and tagged paragraphs) are entries."""

    def __init__(self, block: ReleaseBlock, ctx: ChangelogContext, version: str) -> None:
        self.block = block
        self.ctx = ctx
        self.version = version
        self.prose: list[tuple[int, int]] = []
        self.entries: list[Entry] = []
        self.label = ""
        """The kind a label paragraph (`BREAKING CHANGES:`) gives the untagged bullets after it;
        `prose` after a thank-you paragraph; empty otherwise."""
        self.label_text = ""
        """That paragraph's text, the kind label of those bullets."""

    def walk(self) -> None:
        tokens = self.block.tokens
        for start, end in spans(tokens, 0, len(tokens), 0):
            token = tokens[start]
            block_map = token.map or [0, 0]
            if token.type == "bullet_list_open":
                for item_start, item_end in spans(tokens, start + 1, end - 1, 1):
                    self._item(item_start, item_end)
                continue
            if token.type == "paragraph_open":
                inline = tokens[start + 1]
                found = tag_of(inline)
                if found is not None:
                    # A tagged line whose `* ` was lost (2.51.2).
                    body = list(tokens[start:end])
                    self._add(body, (block_map[0], block_map[1], 0), inline, found)
                    continue
                self._set_label(inline_text(inline.children or []))
            self.prose.append((block_map[0], block_map[1]))

    def _set_label(self, text: str) -> None:
        text = " ".join(text.split())
        if _LABEL_THANKS.search(text):
            self.label, self.label_text = "prose", ""
        elif not text.endswith(":") or len(text) > 60:
            self.label, self.label_text = "", ""
        elif _LABEL_DEPRECATED.search(text):
            # `Future breaking changes / deprecated features:` (0.16.0) announces deprecations.
            self.label, self.label_text = "Deprecated", text.rstrip(":")
        elif _LABEL_BREAKING.search(text):
            self.label, self.label_text = "Breaking", text.rstrip(":")
        else:
            self.label, self.label_text = "", ""

    def _item(self, start: int, end: int) -> None:
        tokens = self.block.tokens
        item_map = tokens[start].map or [0, 0]
        body = list(tokens[start + 1 : end - 1])
        # `paragraph_open, inline, ...` for all but empty items.
        inline = body[1] if len(body) > 1 and body[1].type == "inline" else first_inline(body)
        found = tag_of(inline)
        if found is None:
            if self.label == "prose":
                self.prose.append((item_map[0], item_map[1]))
                return
            found = (self.label or "Other", self.label_text)
        self._add(body, (item_map[0], item_map[1], 1), inline, found)

    def _add(
        self,
        body: list[Token],
        first_range: tuple[int, int, int],
        inline: Token | None,
        found: tuple[str, str],
    ) -> None:
        kind, label = found
        draft = EntryDraft(body, [first_range], kind, label)
        area = DEFAULT_AREA
        summary = ""
        plain: str | None = None
        if inline is not None:
            text = inline_text(inline.children or [])
            if len(body) == 3:
                # One paragraph: its text is the entry's (what `plain_text` would make).
                folded = "\n" not in text and "  " not in text and text == text.strip()
                plain = text if folded else " ".join(text.split())
            tag = _TAG.match(text)
            if tag is not None:
                text = text[tag.end() :]
            area_match = _AREA.match(text)
            if area_match is not None:
                area = area_match["area"].strip()
                if kind == "Changed" and area_match[0][:8].casefold() == "breaking":
                    # `[CHANGE] **breaking** TSDB: ...` (2.42.0).
                    draft.kind = "Breaking"
            # The summary keeps the area (`PromQL: Fix ...`): the list shows no area column.
            summary = strip_numbers(text)
        self.entries.append(
            build_entry(
                draft,
                self.ctx,
                release=self.version,
                area=area,
                summary=summary,
                text=plain,
                bare_type="pull",
            )
        )


def strip_numbers(text: str) -> str:
    """Take trailing `#123`, `#1, #2` and `(#123)` references off a summary.

    Args:
        text: The entry's opening text.

    Returns:
        The text without them (unchanged when that would leave nothing).
    """
    rest = text.rstrip()
    while True:
        hash_at = rest.rfind("#")
        if hash_at < 0 or not rest[hash_at + 1 :].rstrip(").,").isdigit():
            break
        head = rest[:hash_at].removesuffix("(")
        if head and not head[-1].isspace() and head[-1] != ",":
            break  # `tsdb#660`, `foo#1`: not a bare reference
        rest = head.rstrip(" ,")
    return rest or text


def parse(block: ReleaseBlock, ctx: ChangelogContext) -> Release:
    """Read a Prometheus-style release block.

    Each bullet opening with a `[TAG]` is an entry: the tag gives the kind (kept as
    `kind_label`), the text before the first `: ` the area (`General` when there is
    none), and bare `#N` are pull requests of `ctx.repo`. Untagged bullets after a
    `BREAKING CHANGES:` paragraph are Breaking entries; other untagged bullets are entries
    of kind Other, except those after a thank-you paragraph, which are prose. Sections
    are areas, in order of first appearance.

    Args:
        block: The release block (`## 3.5.0 / 2025-07-14`).
        ctx: What the file's blocks share.

    Returns:
        The release.
    """
    heading = _HEADING.match(block.title)
    if heading is not None:
        version = heading["version"]
        date: str | None = (
            f"{heading['year']}-{int(heading['month']):02d}-{int(heading['day']):02d}"
        )
    else:
        version = block.title.split(" ", 1)[0] if block.title else ""
        date = None
    walker = _Walker(block, ctx, version)
    walker.walk()
    return walked_release(
        block,
        ctx,
        version=version,
        entries=walker.entries,
        prose=walker.prose,
        format_name=FORMAT_NAME,
        date=date,
    )


FORMAT_NAME = "prometheus"
"""The format's name."""

FORMAT = ChangelogFormat(
    name=FORMAT_NAME,
    description="Prometheus style: ## X.Y.Z / YYYY-MM-DD, then * [TAG] Area: text #PR",
    detect=detect,
    parse=parse,
)
"""The Prometheus format."""
