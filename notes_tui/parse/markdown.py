"""The one markdown-it configuration, Hugo shortcodes, front matter and token helpers."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from notes_tui.links import resolve_url
from notes_tui.model import Link


def make_parser() -> MarkdownIt:
    """Build the markdown-it configuration shared by the parsers and the detail pane.

    CommonMark with GitHub tables. Strikethrough stays off: release notes do not use it,
    and the detail pane draws query matches with its token. HTML is kept as raw tokens
    and never rendered as HTML.

    Returns:
        A configured parser.
    """
    parser = MarkdownIt("commonmark", {"html": True}).enable(["table"])
    return parser


_PARSER = make_parser()


def tokenize(text: str) -> list[Token]:
    """Tokenise Markdown with the shared parser.

    Args:
        text: Markdown source.

    Returns:
        The block token stream (inline tokens carry children).
    """
    return _PARSER.parse(text)


# --- Hugo shortcodes -------------------------------------------------------------------

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


# --- Front matter ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SplitDocument:
    """A Markdown document with its front matter taken off."""

    front_matter: dict[str, Any]
    """The YAML front matter, parsed; empty when absent or unreadable."""
    body: str
    """The Markdown after the front matter."""
    body_line: int
    """How many source lines come before the body (add to 0-based body lines)."""
    warnings: tuple[str, ...]
    """Problems with the front matter."""


class _LimitedLoader(yaml.BaseLoader):
    """A YAML loader that keeps every scalar a string (`1.10` stays `1.10`) and refuses aliases."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("YAML aliases are not allowed in front matter")
        return super().compose_node(parent, index)


def split_front_matter(text: str) -> SplitDocument:
    """Take YAML front matter (between `---` lines at the top) off a document.

    Args:
        text: The whole document.

    Returns:
        The parsed front matter and the rest of the document.
    """
    if not text.startswith("---"):
        return SplitDocument({}, text, 0, ())
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return SplitDocument({}, text, 0, ())
    for index in range(1, len(lines)):
        if lines[index].rstrip() in {"---", "..."}:
            raw = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            front_matter, warnings = _load_yaml(raw)
            return SplitDocument(front_matter, body, index + 1, warnings)
    return SplitDocument({}, text, 0, ("front matter is not closed by '---'; read as Markdown",))


_FAST_LOADER = yaml.CBaseLoader if yaml.__with_libyaml__ else None
"""libyaml's loader, when PyYAML was built with it: the same strings, about ten times faster."""

_PYTHON_YAML_ONLY = re.compile("[*!?\t\ufeff]|[|>][-+0-9]*#")
"""Characters that send front matter to `_LimitedLoader`.

`*` can start an alias, which only `_LimitedLoader` refuses. Tabs, a BOM inside the text,
tags (`!`) and `?` in flow lists are read differently by libyaml and by PyYAML's Python
scanner; Istio's front matter has none of them.
"""


def _parse_yaml(raw: str) -> Any:
    """Parse front matter with libyaml where that gives the same answer, else in Python.

    Text that libyaml rejects also goes to `_LimitedLoader`, so errors read as before.
    """
    if _FAST_LOADER is not None and _PYTHON_YAML_ONLY.search(raw) is None:
        # ValueError: a string libyaml cannot take as UTF-8 (a lone surrogate).
        with contextlib.suppress(yaml.YAMLError, ValueError):
            return yaml.load(raw, Loader=_FAST_LOADER)
    return yaml.load(raw, Loader=_LimitedLoader)


def _load_yaml(raw: str) -> tuple[dict[str, Any], tuple[str, ...]]:
    try:
        data = _parse_yaml(raw)
    except yaml.YAMLError as error:
        first_line = str(error).splitlines()[0] if str(error) else "invalid YAML"
        return {}, (f"front matter is not valid YAML ({first_line}); ignored",)
    except RecursionError:
        return {}, ("front matter is nested too deeply; ignored",)
    if data is None:
        return {}, ()
    if not isinstance(data, dict):
        return {}, ("front matter is not a mapping; ignored",)
    return {str(key): value for key, value in data.items()}, ()


# --- Token helpers ---------------------------------------------------------------------


def inline_children(tokens: Sequence[Token]) -> Iterator[Token]:
    """Yield every inline child token of a block token range, in order.

    Args:
        tokens: Block tokens.

    Yields:
        The children of their inline tokens.
    """
    for token in tokens:
        if token.type == "inline" and token.children:
            yield from token.children


def plain_text(tokens: Sequence[Token]) -> str:
    """Render block tokens as plain text: words only, one space between blocks.

    Args:
        tokens: Block tokens.

    Returns:
        The text with white space folded.
    """
    parts: list[str] = []
    for token in tokens:
        if token.type == "inline":
            _add_inline_text(token.children or (), parts)
            parts.append(" ")
        elif token.type in {"fence", "code_block"}:
            parts.append(token.content)
            parts.append(" ")
    return " ".join("".join(parts).split())


def inline_text(children: Sequence[Token]) -> str:
    """Render inline tokens as plain text.

    Args:
        children: Inline child tokens.

    Returns:
        The text, with breaks as spaces and markup dropped.
    """
    parts: list[str] = []
    _add_inline_text(children, parts)
    return "".join(parts)


def _add_inline_text(children: Sequence[Token], parts: list[str]) -> None:
    """Append the plain text of inline tokens to `parts` (one list for a whole entry)."""
    for child in children:
        kind = child.type
        if kind in {"text", "code_inline"}:
            parts.append(child.content)
        elif kind in {"softbreak", "hardbreak"}:
            parts.append(" ")
        elif kind == "image":
            _add_inline_text(child.children or (), parts)


def links_of(tokens: Sequence[Token], base_url: str) -> list[Link]:
    """Collect the links of block tokens, made absolute.

    Markdown links and autolinks are found in the token stream; bare URLs in text are
    found in the text of `text` tokens.

    Args:
        tokens: Block tokens.
        base_url: The base for relative links.

    Returns:
        Links in order of appearance, without duplicate URLs.
    """
    found: list[Link] = []
    seen: set[str] = set()

    def add(url: str, label: str) -> None:
        if url and not url.startswith("#") and url not in seen:
            seen.add(url)
            found.append(Link(url, label or url))

    # One pass over one iterator: a link's inner tokens are consumed by the inner loop.
    stream = inline_children(tokens)
    for child in stream:
        if child.type == "link_open":
            href = str(child.attrGet("href") or "")
            depth, label_parts = 1, []
            for inner in stream:
                if inner.type == "link_open":
                    depth += 1
                elif inner.type == "link_close":
                    depth -= 1
                    if not depth:
                        break
                elif inner.type in {"text", "code_inline"}:
                    label_parts.append(inner.content)
            add(resolve_url(href, base_url), " ".join("".join(label_parts).split()))
        elif child.type == "text" and "http" in child.content:
            # Every bare URL starts with `http`; most text has none, and skips the regex.
            for match in BARE_URL.finditer(child.content):
                url = match.group(0).rstrip(".,;:)'\"")
                add(url, url)
    return found


BARE_URL = re.compile(r"https?://[^\s<>()\[\]`]+")
"""A bare URL in running text."""
