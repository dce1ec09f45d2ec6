"""YAML front matter: split off the top of a document, read as strings, aliases refused."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from typing import Any

import yaml


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


MAX_FRONT_MATTER = 64 * 1024
"""Longer front matter is ignored: Istio's is under 1 KB, and YAML in Python is slow."""


class _KeyWatcher:
    """Notes mapping keys a YAML document repeats (YAML forbids it; PyYAML keeps the last)."""

    repeated_keys: list[str]
    """Each repeated key, once, in order."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[str] = set()
        for key_node, _ in node.value if isinstance(node, yaml.MappingNode) else ():
            if isinstance(key_node, yaml.ScalarNode):
                key = str(key_node.value)
                if key in seen and key not in self.repeated_keys:
                    self.repeated_keys.append(key)
                seen.add(key)
        return super().construct_mapping(node, deep)  # type: ignore[misc]


class _LimitedLoader(_KeyWatcher, yaml.BaseLoader):
    """A YAML loader that keeps every scalar a string (`1.10` stays `1.10`) and refuses aliases."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("YAML aliases are not allowed in front matter")
        return super().compose_node(parent, index)


if yaml.__with_libyaml__:

    class _FastLoader(_KeyWatcher, yaml.CBaseLoader):
        """libyaml's loader: the same strings as `_LimitedLoader`, about ten times faster."""

    _FAST_LOADER: type[_KeyWatcher] | None = _FastLoader
else:
    _FAST_LOADER = None


def split_front_matter(text: str) -> SplitDocument:
    """Take YAML front matter (between `---` lines at the top) off a document.

    Args:
        text: The whole document.

    Returns:
        The parsed front matter and the rest of the document.
    """
    if not text.startswith("---"):
        return SplitDocument({}, text, 0, ())
    first_end = text.find("\n")
    if first_end < 0 or text[:first_end].rstrip() != "---":
        if first_end < 0 and text.rstrip() == "---":
            return SplitDocument({}, text, 0, (_NOT_CLOSED,))
        return SplitDocument({}, text, 0, ())
    # Line by line from the top, without splitting a document that may be megabytes long.
    start = position = first_end + 1
    while position <= len(text):
        line_end = text.find("\n", position)
        if line_end < 0:
            line_end = len(text)
        if text[position:line_end].rstrip() in {"---", "..."}:
            raw = text[start : position - 1]
            body = text[line_end + 1 :]
            front_matter, warnings = _load_yaml(raw)
            return SplitDocument(front_matter, body, text.count("\n", 0, position) + 1, warnings)
        position = line_end + 1
    return SplitDocument({}, text, 0, (_NOT_CLOSED,))


_NOT_CLOSED = "front matter is not closed by '---'; read as Markdown"

_PYTHON_YAML_ONLY = re.compile("[*!?\t\ufeff]|[|>][-+0-9]*#")
"""Characters that send front matter to `_LimitedLoader`.

`*` can start an alias, which only `_LimitedLoader` refuses. Tabs, a BOM inside the text,
tags (`!`) and `?` in flow lists are read differently by libyaml and by PyYAML's Python
scanner; Istio's front matter has none of them.
"""


def _parse_yaml(raw: str) -> tuple[Any, list[str]]:
    """Parse front matter with libyaml where that gives the same answer, else in Python.

    Text that libyaml rejects also goes to `_LimitedLoader`, so errors read as before.

    Returns:
        The data, and the mapping keys it repeats.
    """
    if _FAST_LOADER is not None and _PYTHON_YAML_ONLY.search(raw) is None:
        # ValueError: a string libyaml cannot take as UTF-8 (a lone surrogate).
        with contextlib.suppress(yaml.YAMLError, ValueError):
            return _run_loader(_FAST_LOADER, raw)
    return _run_loader(_LimitedLoader, raw)


def _run_loader(loader_class: Any, raw: str) -> tuple[Any, list[str]]:
    loader = loader_class(raw)
    loader.repeated_keys = []
    try:
        return loader.get_single_data(), loader.repeated_keys
    finally:
        loader.dispose()


def _load_yaml(raw: str) -> tuple[dict[str, Any], tuple[str, ...]]:
    if len(raw) > MAX_FRONT_MATTER:
        return {}, (f"front matter is longer than {MAX_FRONT_MATTER // 1024} KB; ignored",)
    try:
        data, repeated_keys = _parse_yaml(raw)
    except yaml.YAMLError as error:
        first_line = str(error).splitlines()[0] if str(error) else "invalid YAML"
        return {}, (f"front matter is not valid YAML ({first_line}); ignored",)
    except RecursionError:
        return {}, ("front matter is nested too deeply; ignored",)
    if data is None:
        return {}, ()
    if not isinstance(data, dict):
        return {}, ("front matter is not a mapping; ignored",)
    warnings: tuple[str, ...] = ()
    if repeated_keys:
        names = ", ".join(repr(key[:40]) for key in repeated_keys[:5])
        warnings = (f"front matter repeats {names}; the last value of each is used",)
    return {str(key): value for key, value in data.items()}, warnings
