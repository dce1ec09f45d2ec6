"""Requests that screens send up to the app, which owns the clipboard and the browser."""

from __future__ import annotations

from textual.message import Message


class OpenLink(Message):
    """Open a URL in the browser (the app checks it is safe first)."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url


class CopyText(Message):
    """Copy text to the clipboard and say what was copied."""

    def __init__(self, text: str, what: str) -> None:
        super().__init__()
        self.text = text
        self.what = what


class LoadFailed(Message):
    """Nothing at all could be read: the app ends with this error."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error
