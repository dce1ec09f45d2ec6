"""towncrier's Markdown output: `## [version](url) - date` with type sections such as `Changes`."""

from __future__ import annotations

from notes_tui.model import Release
from notes_tui.parse.changelog import ChangelogContext, ChangelogFormat, ReleaseBlock
from notes_tui.parse.headings import standard_heading, sub_headings
from notes_tui.parse.keepachangelog import SECTION_TYPES
from notes_tui.parse.sectioned import read_release

NAME = "towncrier"
"""The format's name."""

TYPE_HEADINGS = frozenset(
    {
        # towncrier's defaults.
        "features",
        "bugfixes",
        "improved documentation",
        "deprecations and removals",
        "misc",
        # Types projects configure (attrs, pip).
        "backwards-incompatible changes",
        "backward-incompatible changes",
        "deprecations",
        "changes",
        "trivial/internal changes",
        "vendored libraries",
        "process changes",
    }
)
"""towncrier's default types and some that projects configure (lower-cased).

conventional-changelog's `Bug Fixes` is not one: such blocks stay generic, which reads
them the same way.
"""


def detect(block: ReleaseBlock) -> bool:
    """True when the block's type headings are towncrier's and none is Keep a Changelog's.

    `Changes` alone is towncrier (attrs); beside `### Fixed` it is a Keep a Changelog typo.

    Args:
        block: The release block.

    Returns:
        Whether the block is towncrier output.
    """
    titles = [title.strip().rstrip(":").strip().casefold() for title in sub_headings(block)]
    return any(title in TYPE_HEADINGS for title in titles) and not any(
        title.strip("[]") in SECTION_TYPES for title in titles
    )


def parse(block: ReleaseBlock, context: ChangelogContext) -> Release:
    """Read a towncrier release: type headings give the kinds (`Backwards-incompatible Changes`
    is Breaking, `Deprecations` Deprecated, `Changes` Changed), issue links end the entries.

    Args:
        block: The release block.
        context: What the file's blocks share.

    Returns:
        The release.
    """
    return read_release(block, context, NAME, standard_heading)


FORMAT = ChangelogFormat(
    name=NAME,
    description="towncrier (Markdown): ## [version](url) - date, ### Features / Bugfixes / ...",
    detect=detect,
    parse=parse,
    parses_inline=True,
)
"""The format, for the registry."""
