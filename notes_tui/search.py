"""The query language and filtering over precomputed search keys."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from notes_tui.model import Entry, area_key
from notes_tui.upgrade import is_breaking

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


def search_key(entry: Entry) -> str:
    """Build the case-folded text a query's words are matched against.

    Args:
        entry: The entry.

    Returns:
        Its text, area, kind, label, issue numbers and CVE ids in one string.
    """
    numbers = " ".join(f"#{ref.number} {ref.number}" for ref in entry.issues)
    return " ".join(
        (entry.text, entry.area, entry.kind, entry.kind_label, numbers, " ".join(entry.cves))
    ).casefold()


@dataclass
class EntryIndex:
    """Entries with their search keys computed once, for fast repeated filtering."""

    entries: list[Entry] = field(default_factory=list)
    """The entries, in display order."""
    keys: list[str] = field(default_factory=list)
    """`search_key` of each entry."""

    def extend(self, entries: Iterable[Entry]) -> None:
        """Add entries (and their keys) at the end.

        Args:
            entries: The entries to add.
        """
        for entry in entries:
            self.entries.append(entry)
            self.keys.append(search_key(entry))

    def filter(self, query: Query) -> list[int]:
        """Return the positions of the entries that match a query.

        Args:
            query: The parsed query.

        Returns:
            Matching positions, in order.
        """
        if query.is_empty:
            return list(range(len(self.entries)))
        return [
            index
            for index, (entry, key) in enumerate(zip(self.entries, self.keys, strict=True))
            if matches(entry, key, query)
        ]


class WordHits:
    """The positions of the keys that contain a word, remembered for the last words looked for.

    Typing narrows: every key that contains `ztu` contains `zt`, so a word is looked for only
    among the hits of a remembered word it contains; backspacing finds the shorter words
    remembered. A few of the most recent words are kept.
    """

    REMEMBERED = 12
    """How many words are remembered."""

    def __init__(self, keys: Sequence[str]) -> None:
        self.keys = keys
        """The search keys looked in (`search_key` of each entry); never changed."""
        self._hits: dict[str, list[int]] = {}
        """Remembered words and their hits, least recently used first."""

    def cost(self, word: str) -> int:
        """How many keys `positions` would look in for a word (0 when it is remembered).

        Args:
            word: A case-folded word or phrase.

        Returns:
            A number of keys.
        """
        if word in self._hits:
            return 0
        return min(
            (len(hits) for known, hits in self._hits.items() if known in word),
            default=len(self.keys),
        )

    def positions(self, word: str) -> list[int]:
        """The positions of the keys containing a word, in order.

        Args:
            word: A case-folded word or phrase.

        Returns:
            The positions (a remembered list: do not change it).
        """
        remembered = self._hits
        hits = remembered.pop(word, None)
        if hits is None:
            keys = self.keys
            narrowest: list[int] | None = None
            for known, known_hits in remembered.items():
                if known in word and (narrowest is None or len(known_hits) < len(narrowest)):
                    narrowest = known_hits
            if narrowest is None:
                hits = [position for position, key in enumerate(keys) if word in key]
            else:
                hits = [position for position in narrowest if word in keys[position]]
            if len(remembered) >= self.REMEMBERED:
                del remembered[next(iter(remembered))]
        remembered[word] = hits
        return hits

    def containing(self, words: Sequence[str]) -> list[int]:
        """The positions of the keys containing every word, in order.

        The longest word (usually the one being typed, or a remembered one) is looked up as
        above; the others are looked for among its hits.

        Args:
            words: Case-folded words or phrases; at least one.

        Returns:
            The positions.
        """
        longest = max(words, key=len)
        positions = self.positions(longest)
        keys = self.keys
        rest = [word for word in words if word != longest]
        if rest:
            positions = [p for p in positions if all(word in keys[p] for word in rest)]
        return positions


def matches(entry: Entry, key: str, query: Query) -> bool:
    """Tell whether one entry matches a query.

    Args:
        entry: The entry.
        key: Its `search_key`.
        query: The parsed query.

    Returns:
        True when every part of the query holds.
    """
    if not entry_area_allowed(entry, query):
        return False
    if not kind_allowed(entry.kind, entry.kind_label, query):
        return False
    if query.issues and not any(ref.number in query.issues for ref in entry.issues):
        return False
    if query.cves and not any(
        cve.casefold().removeprefix("cve-").startswith(prefix)
        for cve in entry.cves
        for prefix in query.cves
    ):
        return False
    if "breaking" in query.flags and not is_breaking(entry):
        return False
    if any(word not in key for word in query.words):
        return False
    return not any(word in key for word in query.excluded)


def area_allowed(area_key: str, query: Query) -> bool:
    """Tell whether entries of an area pass the query's `area:` and `-area:` parts.

    Args:
        area_key: The area's key (`Entry.area_key`).
        query: The parsed query.

    Returns:
        True when the area is one asked for (or none is) and none left out.
    """
    if query.areas and not any(area_key.startswith(area) for area in query.areas):
        return False
    return not any(area_key.startswith(area) for area in query.not_areas)


def entry_area_allowed(entry: Entry, query: Query) -> bool:
    """Like `area_allowed`, for an entry that may name several areas (Kubernetes SIGs).

    `area:x` keeps the entry when any of its areas starts with `x`; `-area:x` leaves it
    out when any does.

    Args:
        entry: The entry.
        query: The parsed query.

    Returns:
        True when the entry passes the area parts of the query.
    """
    if not entry.areas:
        return area_allowed(entry.area_key, query)
    keys = {entry.area_key, *(area_key(area) for area in entry.areas)}
    if query.areas and not any(k.startswith(a) for k in keys for a in query.areas):
        return False
    return not any(k.startswith(a) for k in keys for a in query.not_areas)


def kind_allowed(kind: str, kind_label: str, query: Query) -> bool:
    """Tell whether entries of a kind pass the query's `kind:` and `-kind:` parts.

    Args:
        kind: The entry's kind.
        kind_label: The entry's kind as the notes word it.
        query: The parsed query.

    Returns:
        True when the kind is one asked for (or none is) and none left out.
    """
    names = (kind.casefold(), kind_label.casefold())
    if query.kinds and not any(name.startswith(k) for k in query.kinds for name in names):
        return False
    return not any(name.startswith(k) for k in query.not_kinds for name in names)


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
