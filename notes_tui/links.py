"""URL resolution, issue identity from URLs, and the safe-scheme check."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from notes_tui.model import IssueRef
from notes_tui.sanitize import clean_line

DEFAULT_BASE_URL = "https://istio.io/latest"
"""Where relative links of Istio's notes point."""

SAFE_SCHEMES = frozenset({"http", "https"})
"""The only schemes notes-tui ever opens."""

_ISSUE_URL = re.compile(
    r"^https?://(?:www\.)?github\.com/"
    r"(?P<owner>[A-Za-z0-9_.-]+)/(?P<name>[A-Za-z0-9_.-]+)/"
    r"(?P<type>issues|pull|pulls)/(?P<number>[0-9]{1,12})(?:[/?#].*)?$"
)
_SHORTHAND = re.compile(
    r"(?<![\w/.#-])(?P<owner>[A-Za-z0-9_.-]+)/(?P<name>[A-Za-z0-9_.-]+)#(?P<number>[0-9]{1,12})\b"
)
_BARE_NUMBER = re.compile(r"(?<![\w/&#])#(?P<number>[0-9]{1,12})\b")


def is_safe_url(url: str) -> bool:
    """Tell whether a URL may be handed to a browser.

    Only absolute `http`/`https` URLs with a host and no white space or control
    characters pass.

    Args:
        url: The URL to check.

    Returns:
        True when the URL is safe to open.
    """
    if not url or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return False
    if clean_line(url) != url:
        # C1 controls, zero-width or bidi characters: what opens must be what was shown.
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in SAFE_SCHEMES and bool(parts.netloc)


def resolve_url(url: str, base_url: str = DEFAULT_BASE_URL) -> str:
    """Make a link target absolute.

    Site-relative (`/docs/...`) and page-relative links are joined to `base_url`;
    fragments alone (`#section`) and absolute URLs are returned unchanged.

    Args:
        url: The link target as written.
        base_url: The site the notes were published on.

    Returns:
        The absolute URL, or `url` unchanged when it cannot be resolved.
    """
    url = url.strip()
    if not url or url.startswith(("#", "https://", "http://")):
        return url  # nothing to resolve (most links are absolute: no need to parse them)
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.scheme:
        return url
    if url.startswith("//"):
        return "https:" + url
    base = base_url.rstrip("/")
    if url.startswith("/"):
        return base + url
    try:
        return urljoin(base + "/", url)
    except ValueError:
        return url


def issue_from_url(url: str) -> IssueRef | None:
    """Return the issue or pull request a GitHub URL points at, if any.

    Identity is taken from the URL alone: a link labelled `Issue #1` that points
    at `/pull/2` is pull request 2.

    Args:
        url: An absolute URL.

    Returns:
        The reference, or None when the URL is not a GitHub issue or pull request.
    """
    match = _ISSUE_URL.match(url)
    if match is None:
        return None
    return make_issue(
        f"{match['owner']}/{match['name']}",
        int(match["number"]),
        "pull" if match["type"].startswith("pull") else "issue",
    )


def make_issue(repo: str, number: int, kind: str = "issue") -> IssueRef:
    """Build an issue reference with its canonical URL.

    Args:
        repo: `owner/name`.
        number: The number.
        kind: `issue` or `pull`.

    Returns:
        The reference.
    """
    path = "pull" if kind == "pull" else "issues"
    return IssueRef(repo, number, kind, f"https://github.com/{repo}/{path}/{number}")


def issues_in_text(text: str, default_repo: str | None = None) -> list[IssueRef]:
    """Find `owner/repo#N` shorthands, and bare `#N` when a default repository is known.

    Args:
        text: Plain text (not Markdown source: link targets must be gone).
        default_repo: The repository bare `#N` refers to, if known.

    Returns:
        The references in order of appearance.
    """
    found: list[tuple[int, IssueRef]] = []
    for match in _SHORTHAND.finditer(text):
        repo = f"{match['owner']}/{match['name']}"
        found.append((match.start(), make_issue(repo, int(match["number"]))))
    if default_repo:
        for match in _BARE_NUMBER.finditer(text):
            found.append((match.start(), make_issue(default_repo, int(match["number"]))))
    found.sort(key=lambda pair: pair[0])
    return [ref for _, ref in found]


def repo_from_url(url: str) -> str | None:
    """Return `owner/name` for any github.com URL inside a repository.

    Args:
        url: An absolute URL.

    Returns:
        The repository, or None.
    """
    match = re.match(r"^https?://(?:www\.)?github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)", url)
    if match is None:
        return None
    return f"{match[1]}/{match[2]}"
