"""GitHub's generated release notes: `What's Changed`, `* title by @user in <PR>`, categories."""

from __future__ import annotations

import re
from functools import lru_cache

from notes_tui.model import Release
from notes_tui.parse.changelog import (
    VERSION_TOKEN,
    ChangelogContext,
    ChangelogFormat,
    ReleaseBlock,
)
from notes_tui.parse.headings import (
    AREA_ROLE,
    META_ROLE,
    HeadingRole,
    Role,
    is_metadata_heading,
)
from notes_tui.parse.sectioned import read_release
from notes_tui.parse.vocabulary import clean_label, heading_kind

NAME = "github"
"""The format's name."""

WHATS_CHANGED = frozenset({"what's changed", "whats changed", "what changed"})
"""The heading GitHub opens its generated notes with (lower-cased, apostrophe straightened)."""

_CREDITED_ENTRY = re.compile(
    r"\bby @[\w-]+.{0,100}?\bin (?:https?://github\.com/\S+/pull/\d+|\[#\d+\]\(|#\d+\b)"
    r"|#\d+(?:\]\([^)]*\))?(?:,? ?&? ?\[?#\d+(?:\]\([^)]*\))?)*"
    r" by @[\w-]+(?:(?:, | and )@[\w-]+)*[.:]?[ \t]*$",
    re.MULTILINE,
)
"""An entry credited the way GitHub writes it: `by @user in <PR>`, or, ending a line,
`[#12](url) by @user` (`#12 by @user`). What may come between the credit and its `in` is
bounded: unbounded, a line of many `by @` took time quadratic in its length."""


_MARKER_LINE = re.compile(
    r"\s*(?:What['\u2019]?s changed|What changed|New contributors|\W*Full Changelog\b.*)\s*",
    re.IGNORECASE | re.DOTALL,
)
"""A heading or paragraph that only GitHub's generated notes have."""


def _is_whats_changed(title: str) -> bool:
    return clean_label(title).casefold().replace("\u2019", "'") in WHATS_CHANGED


def detect(block: ReleaseBlock) -> bool:
    """True when the block has GitHub's markers.

    A `What's Changed` or `New Contributors` heading, a `**Full Changelog**:` line, or
    an entry credited `by @user in <PR>` (or `[#12](url) by @user`).

    Args:
        block: The release block.

    Returns:
        Whether the block is GitHub release notes.
    """
    for token in block.tokens:
        if token.type != "inline":
            continue
        content = token.content
        if "by @" in content and _CREDITED_ENTRY.search(content):
            return True
        # A heading's or a top-level paragraph's whole text (both inline at level 1).
        if token.level == 1 and content[:1] in "WNF*_" and _MARKER_LINE.fullmatch(content):
            return True
    return False


@lru_cache(maxsize=1024)
def github_heading(title: str, inherited: str | None) -> HeadingRole:
    """Classify a heading of generated notes.

    `What's Changed` is an area; `New Contributors` is metadata; any other heading is a
    category, a kind: the one it names (`Fixes`, `New Features`, `v1.9.0 (...) Changes`),
    else that of the enclosing category, else each entry's own (its label is the heading).

    Args:
        title: The heading's plain text.
        inherited: The kind of the enclosing category heading, if any.

    Returns:
        Its role.
    """
    if is_metadata_heading(title):
        return META_ROLE
    if _is_whats_changed(title):
        return AREA_ROLE
    kind = heading_kind(title)
    if kind is None and VERSION_TOKEN.search(title):
        kind = heading_kind(title.split()[-1])
    return HeadingRole(Role.KIND, kind or inherited or "", clean_label(title))


def parse(block: ReleaseBlock, context: ChangelogContext) -> Release:
    """Read a release of GitHub generated notes (and the older styles of the same files).

    Entries keep their author (`by @user`); `New Contributors` and `**Full Changelog**:`
    go to the release's prose.

    Args:
        block: The release block.
        context: What the file's blocks share.

    Returns:
        The release.
    """
    return read_release(block, context, NAME, github_heading)


FORMAT = ChangelogFormat(
    name=NAME,
    description="GitHub generated release notes: What's Changed, * title by @user in <PR url>",
    detect=detect,
    parse=parse,
    parses_inline=True,
)
"""The format, for the registry."""
