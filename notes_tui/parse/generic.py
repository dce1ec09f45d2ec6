"""The fallback for any changelog: headings are areas (or kinds), top-level bullets are entries."""

from __future__ import annotations

from notes_tui.model import Release
from notes_tui.parse.changelog import ChangelogContext, ChangelogFormat, ReleaseBlock
from notes_tui.parse.headings import standard_heading
from notes_tui.parse.sectioned import read_release

NAME = "generic"
"""The format's name."""


def detect(block: ReleaseBlock) -> bool:
    """Every block can be read this way: the format of last resort."""
    return True


def parse(block: ReleaseBlock, context: ChangelogContext) -> Release:
    """Read a release of unknown format.

    Headings below the release heading are areas, except those that name a kind
    (`Added`, `Bug Fixes`), which give it; top-level bullets are entries, with the kind
    of their heading, else of their first word (`Fix ...`), else `Other`.

    Args:
        block: The release block.
        context: What the file's blocks share.

    Returns:
        The release.
    """
    return read_release(block, context, NAME, standard_heading)


FORMAT = ChangelogFormat(
    name=NAME,
    description="any other changelog: headings are areas, top-level bullets are entries",
    detect=detect,
    parse=parse,
    parses_inline=True,
)
"""The format, for the registry."""
