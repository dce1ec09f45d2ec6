"""Which Istio document a file is, and which version it is about, from its path and front matter."""

from __future__ import annotations

import re
from typing import Any

_VERSION = re.compile(r"\b(\d+\.\d+(?:\.\d+)?(?:-[0-9A-Za-z.]+)?)\b")
_LEADING_V = re.compile(r"\b[vV](?=\d)")
"""The `v` of a version in a file's name (`v2.3.0.md`)."""
BULLETIN_PREFIX = "ISTIO-SECURITY-"
"""What every security bulletin's id starts with."""

_BULLETIN_ID = re.compile(re.escape(BULLETIN_PREFIX) + r"\d{4}-\d{3}", re.I)


def classify(source: str, front_matter: dict[str, Any]) -> str:
    """Tell which kind of Istio document a file is, from its path and front matter (a file
    with no front matter at all is not a page of Istio's site: a plain changelog).

    Args:
        source: The file path (may be `-`).
        front_matter: The parsed front matter.

    Returns:
        One of the document kinds of the model.
    """
    path = source.replace("\\", "/")
    title = str(front_matter.get("title", "")).casefold()
    subtitle = str(front_matter.get("subtitle", "")).casefold()
    name = path.rsplit("/", 1)[-1]
    parent = path.rsplit("/", 2)[-2] if path.count("/") >= 1 else ""
    if "/upgrade-notes/" in path or "upgrade notes" in title:
        return "upgrade-notes"
    if "/change-notes/" in path or "/helm-changes/" in path or "change notes" in title:
        return "change-notes"
    if "security bulletin" in subtitle or (
        "/security/" in path and name == "index.md" and parent != "security"
    ):
        return "security-bulletin"
    if name == "_index.md" and not parent.startswith("announcing-"):
        return "index"
    if "layout" in front_matter or "list_by_publishdate" in front_matter:
        return "index"
    if "patch release" in subtitle or "security release" in subtitle:
        return "patch-notes"
    if parent.startswith("announcing-") and name == "_index.md":
        return "announcement"
    if title.startswith(("announcing", "introducing")) or "release" in subtitle:
        return "announcement"
    if front_matter.get("release"):
        return "patch-notes"
    # No front matter at all: not a page of Istio's site, just notes in its style.
    return "announcement" if front_matter else "changelog"


def release_version(source: str, front_matter: dict[str, Any], doc_kind: str) -> str:
    """Find the version a document is about.

    Args:
        source: The file path.
        front_matter: The parsed front matter.
        doc_kind: Its document kind.

    Returns:
        The version as written (`1.28.0`; `1.3` for a minor's notes), the bulletin id
        for security bulletins; when nothing names a version, the file's name without its
        extension (`CHANGES`), or its folder's for an index page (`index.md`), however the
        path was given.
    """
    title = str(front_matter.get("title", ""))
    if doc_kind == "security-bulletin":
        match = _BULLETIN_ID.search(title) or _BULLETIN_ID.search(source)
        if match:
            return match.group(0).upper()
    *folders, name = source.replace("\\", "/").rstrip("/").split("/")
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    # The file's name (`v2.3.0.md`), then its parent folder, then the grandparent
    # (`announcing-1.31/upgrade-notes/index.md`).
    for candidate in (
        front_matter.get("release"),
        front_matter.get("linktitle"),
        title,
        _LEADING_V.sub("", stem),
        *reversed(folders[-2:]),
    ):
        match = _VERSION.search(str(candidate or ""))
        if match:
            return match.group(1)
    if stem in {"index", "_index"} and folders and folders[-1]:
        return folders[-1]
    return stem or title or source
