"""Parsers: markdown-it-py token streams turned into releases, one module per format family."""

from __future__ import annotations

from notes_tui.links import DEFAULT_BASE_URL
from notes_tui.model import Release
from notes_tui.parse.istio import parse_istio

PARSER_VERSION = "3"
"""Bumped whenever parsing changes what it produces (it keys the cache)."""


def parse_text(text: str, source: str, base_url: str = DEFAULT_BASE_URL) -> list[Release]:
    """Parse one document of release notes.

    Args:
        text: The document's text.
        source: Where it came from (a path, or `-`).
        base_url: Base for relative links.

    Returns:
        The releases the document holds.
    """
    return [parse_istio(text, source, base_url)]
