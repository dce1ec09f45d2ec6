"""Hugo shortcodes rewritten into plain Markdown before tokenising, every line kept in place."""

from __future__ import annotations

import re
from typing import Any

_SHORTCODE = re.compile(
    r"\{\{[<%]\s*(?P<close>/?)\s*(?P<name>[A-Za-z_][\w-]*)(?P<args>.*?)[>%]\}\}", re.S
)
_CAPTION = re.compile(r'caption="(?P<caption>[^"]*)"')
_CODE_LANGUAGE = re.compile(
    r'^\s*"?(?P<lang>[\w.+-]+)"?(?:\s|$)|(?:^|\s)syntax="?(?P<named>[\w.+-]+)'
)

_URL_SHORTCODES = {
    "github_tree": "https://github.com/istio/istio/tree/master",
    "github_blob": "https://github.com/istio/istio/blob/master",
    "github_file": "https://github.com/istio/istio/blob/master",
    "source_branch_name": "master",
}


def _code_language(args: str) -> str:
    """The language of a `{{< text >}}` block: its first bare word, or its `syntax=`."""
    for match in _CODE_LANGUAGE.finditer(args):
        return match["lang"] or match["named"] or ""
    return ""


def expand_shortcodes(text: str, front_matter: dict[str, Any] | None = None) -> str:
    """Rewrite Hugo shortcodes into plain Markdown, keeping every line where it was.

    `{{< text lang >}}` blocks become fenced code, link-building shortcodes become
    their URL, `{{< image caption=... >}}` becomes its caption, and shortcodes that
    carry nothing readable here (`relnote`, `boilerplate`, `tip` markers) are dropped.

    Args:
        text: Markdown source.
        front_matter: The page's front matter, for shortcodes that name the release.

    Returns:
        The rewritten source, with the same number of lines.
    """
    if "{{" not in text:
        return text
    release = str((front_matter or {}).get("release", "")) or "the current release"

    def replace(match: re.Match[str]) -> str:
        name = match["name"].lower()
        args = match["args"]
        closing = bool(match["close"])
        newlines = "\n" * match.group(0).count("\n")
        if name == "text":
            if closing:
                return "```" + newlines
            return "```" + _code_language(args) + newlines
        if name in _URL_SHORTCODES:
            return _URL_SHORTCODES[name] + newlines
        if name in {"istio_release_name", "istio_full_version"}:
            return release + newlines
        if name == "istio_previous_version":
            return "<previous-version>" + newlines
        if name == "image":
            caption = _CAPTION.search(args)
            return (f"(image: {caption['caption']})" if caption else "(image)") + newlines
        return newlines

    return _SHORTCODE.sub(replace, text)
