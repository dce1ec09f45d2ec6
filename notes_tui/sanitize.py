"""Make text from files safe to show: no control, escape, zero-width or bidi-override characters."""

from __future__ import annotations

import re

_UNSAFE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
"""C0 and C1 controls (ESC and CSI start every escape sequence), zero-width and bidi overrides."""

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 controls but tab and newline, DEL and C1 controls: what a terminal acts on."""


def clean_block(text: str) -> str:
    """Replace unsafe characters with `?`, keeping newlines; tabs become spaces.

    Escape sequences cannot act once their introducer (ESC, `\\x9b`...) is gone, so
    what remains of them shows as inert text.

    Args:
        text: Text from a file.

    Returns:
        The text, safe for a terminal.
    """
    return _UNSAFE.sub("?", text.replace("\t", "    "))


def clean_line(text: str) -> str:
    """Like `clean_block`, and on one line: newlines become spaces.

    Args:
        text: Text from a file.

    Returns:
        The text on one line, safe for a terminal.
    """
    return clean_block(text.replace("\r", " ").replace("\n", " "))


def clean_controls(text: str) -> str:
    """Replace control characters with `?`, keeping newlines and tabs.

    For text written to files and pipes (`--markdown`): a terminal that later shows it
    finds no escape sequence, while zero-width joiners and bidi marks, which are text
    in emoji and right-to-left writing, stay as written.

    Args:
        text: Text from a file.

    Returns:
        The text without C0 (but tab and newline), DEL or C1 characters.
    """
    return _CONTROLS.sub("?", text)
