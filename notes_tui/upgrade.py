"""What matters when upgrading: breaking entries, backported fixes, a checklist to paste."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from notes_tui.model import Entry, Release
from notes_tui.versions import parse_version

BREAKING_KINDS = frozenset({"removed", "deprecated", "breaking"})
"""Entry kinds (compared case-folded) that are breaking by themselves."""

BREAKING_DOC_KINDS = frozenset({"upgrade-notes", "security-bulletin"})
"""Document kinds whose every entry is to be read before upgrading."""

_CHANGE_VERB = (
    r"(?:chang|updat|switch|increas|decreas|reduc|lower|rais|improv|extend|restor|enabl|disabl)"
    r"(?:e|ed|es)?"
)
_DEFAULT_CHANGE = re.compile(
    # "Changed the default ...", "Updated Citadel's default root CA TTL", "Disabled default ...",
    # but not what users may do: "allowing users to disable the default ...".
    rf"(?<!\bto )\b{_CHANGE_VERB}\s+(?:(?:the|its|their|[\w.-]+'s)\s+)?defaults?\b"
    # "replaces the previous default of info", "previously defaulted to 25.0"
    r"|\bprevious(?:ly)?\s+default(?:s|ed)?\b"
    # "Promoted X to default to true", "now defaults to", "This option now defaults to true"
    r"|\b(?:now|to)\s+defaults?\s+to\b"
    # "The default threshold is now warning", "The default value now is 1"
    r"|\bdefault(?:\s+\w+)?\s+(?:is\s+|are\s+|has\s+been\s+)?now\b"
    r"|\bdefault-on\b",
    re.IGNORECASE,
)
"""Phrases that say a default changed in this release."""

_NOW_BY_DEFAULT = re.compile(
    r"\b(?:now|no\s+longer)\b.*\bby\s+default\b|\bby\s+default\b.*\bnow\b", re.IGNORECASE
)
"""A sentence that says something happens, or stops happening, by default from now on."""

_VERB_BY_DEFAULT = re.compile(
    rf"^(?:{_CHANGE_VERB}|added|turned|graduated|promoted|made)\b.*\bby\s+default\b",
    re.IGNORECASE,
)
"""A sentence that opens with a change verb and says it applies by default."""

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
_PARENTHESES = re.compile(r"\([^()]*\)")


def _sentences(text: str) -> list[str]:
    """Split plain text into sentences."""
    text = text.replace("-by-default", " by default")
    return [" ".join(part.split()) for part in _SENTENCE_END.split(text) if part.strip()]


def changes_default(entry: Entry) -> bool:
    """Tell whether an entry says that a default changed.

    Some sentence of the entry must either name a changed default (`Changed the default
    ...`, `Updated Citadel's default ...`, `... to default to true`, `now defaults to`,
    `The default ... is now ...`, `previously defaulted to`, `Default-on`), or, with
    parenthesised asides dropped (`(which is off by default)` describes, it does not
    change), say what happens by default from now on (`now` or `no longer` with `by
    default`) or open with a change verb and apply it `by default` (`Enabled Delta xDS by
    default`, `Added a startupProbe by default`, `Improved gateway deployments to run as
    non-root by default`). A new feature that is merely on or off by default (`This
    feature is disabled by default`) does not count, nor do plans (`will become the
    default`), nor what users may do (`allowing users to disable the default ...`).

    Args:
        entry: The entry.

    Returns:
        True when the entry changes a default.
    """
    if any(_DEFAULT_CHANGE.search(sentence) for sentence in _sentences(entry.text)):
        return True
    return any(
        _NOW_BY_DEFAULT.search(sentence) or _VERB_BY_DEFAULT.search(sentence)
        for sentence in _sentences(_PARENTHESES.sub(" ", entry.text))
    )


def is_breaking(entry: Entry) -> bool:
    """Tell whether an entry needs attention before upgrading.

    Breaking are: every entry of upgrade notes and of security bulletins; entries of kind
    Removed, Deprecated or Breaking; and entries that change a default (`changes_default`).

    Args:
        entry: The entry.

    Returns:
        True when the entry is breaking.
    """
    if entry.doc_kind in BREAKING_DOC_KINDS:
        return True
    if entry.kind.casefold() in BREAKING_KINDS:
        return True
    return changes_default(entry)


IssueKey = tuple[str, int]
"""An issue's identity: `(owner/name, number)`."""


def _oldest_first(texts: Sequence[str]) -> list[str]:
    """Sort versions oldest first; what is no version (a bulletin id) follows, in input order."""
    parsed = [(version, text) for text in texts if (version := parse_version(text)) is not None]
    ordered = [text for _, text in sorted(parsed, key=lambda pair: pair[0])]
    return ordered + [text for text in texts if parse_version(text) is None]


def backports(releases: Iterable[Release]) -> dict[IssueKey, list[str]]:
    """Find the issues referenced by more than one release: fixes shipped in several series.

    Versions that are equal (`1.28` upgrade notes and `1.28.0` change notes) count once,
    under the first spelling met. Index pages are skipped.

    Args:
        releases: The releases to look through.

    Returns:
        For each issue referenced in two or more releases, `(repo, number)` mapped to the
        versions of those releases, oldest first (bulletin ids after versions).
    """
    seen: dict[IssueKey, dict[object, str]] = {}
    for release in releases:
        if release.doc_kind == "index":
            continue
        identity: object = parse_version(release.version) or release.version
        for entry in release.entries:
            for issue in entry.issues:
                seen.setdefault((issue.repo, issue.number), {}).setdefault(
                    identity, release.version
                )
    found: dict[IssueKey, list[str]] = {}
    for key, versions in seen.items():
        if len(versions) > 1:
            found[key] = _oldest_first(list(versions.values()))
    return found


def other_releases(entry: Entry, backport_map: Mapping[IssueKey, Sequence[str]]) -> list[str]:
    """List the other releases that reference an entry's issues.

    Args:
        entry: The entry.
        backport_map: From `backports`.

    Returns:
        The versions, oldest first, without the entry's own release and without repeats.
    """
    own = parse_version(entry.release) or entry.release
    others: list[str] = []
    for issue in entry.issues:
        for version in backport_map.get((issue.repo, issue.number), ()):
            if (parse_version(version) or version) != own and version not in others:
                others.append(version)
    return _oldest_first(others)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*\[\]<>~]|(?<!\w)_|_(?!\w))")
"""Characters Markdown would take as markup; `_` only where it could start or end emphasis."""
_MENTION = re.compile(r"(?<!\w)@(?=\w)")
"""An `@name` that GitHub would turn into a notification (e-mail addresses are left alone)."""
_DOC_LABELS = {"upgrade-notes": "upgrade notes", "announcement": "announcement"}


def _escape(text: str) -> str:
    """Keep plain text plain in GitHub Markdown; `@name` would notify people."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return _MENTION.sub("@\u200b", escaped)


def to_checklist(entries: Iterable[Entry]) -> str:
    """Write entries as a Markdown upgrade checklist, ready to paste into a GitHub issue.

    `## release` (with `upgrade notes` or `announcement` for those documents), then
    `### area`, then `- [ ] summary ([#N](url), ...)`; releases and areas in the order
    the entries first name them. Summaries are escaped so that they read as written, and
    `@` gets a zero-width space so that pasting notifies nobody.

    Args:
        entries: The entries, e.g. the breaking ones of a range.

    Returns:
        The Markdown, ending with a newline; empty for no entries.
    """
    grouped: dict[tuple[str, str], dict[str, list[Entry]]] = {}
    for entry in entries:
        areas = grouped.setdefault((entry.release, entry.doc_kind), {})
        areas.setdefault(entry.area, []).append(entry)
    blocks: list[str] = []
    for (release, doc_kind), areas in grouped.items():
        label = _DOC_LABELS.get(doc_kind)
        heading = f"## {_escape(release)}"
        blocks.append(f"{heading} {label}" if label else heading)
        for area, area_entries in areas.items():
            lines = [f"### {_escape(area)}", ""]
            for entry in area_entries:
                links = ", ".join(f"[#{issue.number}]({issue.url})" for issue in entry.issues)
                item = f"- [ ] {_escape(entry.summary)}"
                lines.append(f"{item} ({links})" if links else item)
            blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n" if blocks else ""
