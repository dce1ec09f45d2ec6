"""The query language: parsing and writing back queries, and resolving area and kind prefixes."""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass

_FIELD = re.compile(r"^(?P<neg>-?)(?P<name>area|kind|issue|cve|is|version):(?P<value>.*)$", re.I)
_ISSUE = re.compile(r"^-?#(?P<number>\d{1,40})$")


class QueryError(ValueError):
    """A query that cannot be applied (for example an area prefix that names no area)."""


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: every part must hold for an entry to match."""

    words: tuple[str, ...] = ()
    """Words and phrases that must all appear (case-folded)."""
    excluded: tuple[str, ...] = ()
    """Words and phrases that must not appear (case-folded)."""
    areas: tuple[str, ...] = ()
    """Area prefixes (case-folded); an entry matches one of them."""
    kinds: tuple[str, ...] = ()
    """Kind prefixes (case-folded); an entry matches one of them."""
    issues: tuple[int, ...] = ()
    """Issue numbers; an entry must reference one of them."""
    cves: tuple[str, ...] = ()
    """CVE id prefixes (case-folded, without `cve-`)."""
    flags: tuple[str, ...] = ()
    """`is:` flags, such as `breaking`."""
    versions: tuple[str, ...] = ()
    """`version:` ranges as written."""
    not_areas: tuple[str, ...] = ()
    """Area prefixes to leave out (`-area:sec`)."""
    not_kinds: tuple[str, ...] = ()
    """Kind prefixes to leave out (`-kind:fix`)."""

    @property
    def is_empty(self) -> bool:
        """True when the query keeps every entry."""
        return not any(
            (
                self.words,
                self.excluded,
                self.areas,
                self.kinds,
                self.issues,
                self.cves,
                self.flags,
                self.versions,
                self.not_areas,
                self.not_kinds,
            )
        )

    @property
    def highlights(self) -> tuple[str, ...]:
        """The words and phrases worth highlighting in matches."""
        return self.words


def split_terms(text: str) -> list[str]:
    """Split a query into terms, honouring double quotes; never raises.

    Args:
        text: The query as typed.

    Returns:
        The terms, quotes removed.
    """
    lexer = shlex.shlex(text, posix=True)
    lexer.whitespace_split = True
    lexer.quotes = '"'
    lexer.escape = ""
    lexer.commenters = ""
    try:
        return list(lexer)
    except ValueError:
        # An unclosed quote: the rest is one phrase.
        head, _, tail = text.rpartition('"')
        return [*split_terms(head), tail] if tail.strip() else split_terms(head)


def parse_query(text: str) -> Query:
    """Parse the query language.

    Words must all match (case-insensitively) the entry's text, area, kind and issue
    numbers; `"quoted phrases"` match as a whole; `-word` excludes; `area:sec` and
    `kind:fix` take prefixes; `#57530` and `issue:57530` name an issue; `cve:2025-`
    a CVE prefix; `is:breaking` and `version:A..B` are kept for later filters.

    Args:
        text: The query as typed.

    Returns:
        The parsed query.
    """
    words: list[str] = []
    excluded: list[str] = []
    areas: list[str] = []
    kinds: list[str] = []
    issues: list[int] = []
    cves: list[str] = []
    flags: list[str] = []
    versions: list[str] = []
    not_areas: list[str] = []
    not_kinds: list[str] = []
    for term in split_terms(text):
        if not term:
            continue
        issue = _ISSUE.match(term)
        field_match = _FIELD.match(term)
        if issue and not term.startswith("-"):
            issues.append(int(issue["number"]))
        elif field_match and field_match["value"]:
            name, value = field_match["name"].lower(), field_match["value"].casefold()
            if field_match["neg"] and name in {"area", "kind"}:
                (not_areas if name == "area" else not_kinds).append(value)
            elif field_match["neg"]:
                excluded.append(term[1:].casefold())
            elif name == "area":
                areas.append(value)
            elif name == "kind":
                kinds.append(value)
            elif name == "issue" and value.lstrip("#").isdigit():
                issues.append(int(value.lstrip("#")[:40]))
            elif name == "cve":
                cves.append(value.removeprefix("cve-"))
            elif name == "is":
                flags.append(value)
            elif name == "version":
                versions.append(value)
            else:
                words.append(term.casefold())
        elif term.startswith("-") and len(term) > 1:
            excluded.append(term[1:].casefold())
        else:
            words.append(term.casefold())
    return Query(
        tuple(words), tuple(excluded), tuple(areas), tuple(kinds), tuple(issues),
        tuple(cves), tuple(flags), tuple(versions), tuple(not_areas), tuple(not_kinds),
    )  # fmt: skip


def format_query(query: Query) -> str:
    """Write a query back in the query language (`parse_query` reads it back equal).

    Args:
        query: A parsed query.

    Returns:
        The query text.
    """

    def quote(term: str) -> str:
        return f'"{term}"' if any(ch.isspace() for ch in term) or not term else term

    parts = [quote(w) for w in query.words]
    parts += ["-" + quote(w) for w in query.excluded]
    parts += [f"area:{quote(a)}" for a in query.areas]
    parts += [f"kind:{quote(k)}" for k in query.kinds]
    parts += [f"#{n}" for n in query.issues]
    parts += [f"cve:{quote(c)}" for c in query.cves]
    parts += [f"is:{quote(f)}" for f in query.flags]
    parts += [f"version:{quote(v)}" for v in query.versions]
    parts += [f"-area:{quote(a)}" for a in query.not_areas]
    parts += [f"-kind:{quote(k)}" for k in query.not_kinds]
    return " ".join(parts)


def resolve_prefix(prefix: str, names: Sequence[str], what: str) -> str:
    """Resolve a unique, case-insensitive prefix among names.

    An exact match wins over longer names that share the prefix.

    Args:
        prefix: What the user typed.
        names: The names to choose from.
        what: What they are (`area`, `kind`), for the error message.

    Returns:
        The name the prefix names.

    Raises:
        QueryError: When the prefix names none or several.
    """
    folded = prefix.casefold().strip()
    unique = list(dict.fromkeys(names))
    exact = [name for name in unique if name.casefold() == folded]
    if exact:
        return exact[0]
    found = [name for name in unique if name.casefold().startswith(folded)]
    if len(found) == 1:
        return found[0]
    if not found:
        known = ", ".join(unique) or "none"
        raise QueryError(f"no {what} matches {prefix!r} (known: {known})")
    raise QueryError(f"{what} {prefix!r} is ambiguous: {', '.join(found)}")


def prefix_error(query: Query, area_names: Sequence[str], kind_names: Sequence[str]) -> str | None:
    """Tell why the query's `area:` or `kind:` prefixes cannot be applied, if they cannot.

    Args:
        query: The parsed query.
        area_names: The areas' titles.
        kind_names: The kinds present.

    Returns:
        The message of the last prefix that names no name or several (see
        `resolve_prefix`), or None when each names one.
    """
    error = None
    for prefixes, names, what in (
        (query.areas, area_names, "area"),
        (query.kinds, kind_names, "kind"),
    ):
        for prefix in prefixes:
            try:
                resolve_prefix(prefix, names, what)
            except QueryError as problem:
                error = str(problem)
    return error
