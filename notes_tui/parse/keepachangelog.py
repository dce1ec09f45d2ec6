"""Keep a Changelog: `## [1.2.3] - date` releases with `### Added`, `### Fixed`... sections."""

from __future__ import annotations

from notes_tui.model import Release
from notes_tui.parse.changelog import ChangelogContext, ChangelogFormat, ReleaseBlock
from notes_tui.parse.headings import standard_heading, sub_headings
from notes_tui.parse.sectioned import read_release

NAME = "keep-a-changelog"
"""The format's name."""

SECTION_TYPES = frozenset(
    {"added", "changed", "deprecated", "removed", "fixed", "security", "fix", "add", "remove"}
)
"""The section headings that mark a release as Keep a Changelog (lower-cased, undecorated)."""


def _undecorated(title: str) -> str:
    return title.strip().strip("[]:").strip().casefold()


def detect(block: ReleaseBlock) -> bool:
    """True when some heading of the block is a Keep a Changelog type (`### Added`, `### [Fixed]`).

    Args:
        block: The release block.

    Returns:
        Whether the block is Keep a Changelog.
    """
    return any(_undecorated(title) in SECTION_TYPES for title in sub_headings(block))


def parse(block: ReleaseBlock, context: ChangelogContext) -> Release:
    """Read a Keep a Changelog release: the type headings give the kinds.

    The link of the heading (`[1.2.3]`, resolved through the file's link-reference
    footer to its compare URL) goes first in the release's prose, as `Compare: <url>`.

    Args:
        block: The release block.
        context: What the file's blocks share.

    Returns:
        The release.
    """
    return read_release(block, context, NAME, standard_heading)


FORMAT = ChangelogFormat(
    name=NAME,
    description="Keep a Changelog: ## [1.2.3] - date, ### Added / Changed / Fixed ...",
    detect=detect,
    parse=parse,
    parses_inline=True,
)
"""The format, for the registry."""
