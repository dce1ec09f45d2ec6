"""A long fuzzing run of the loader, parsers, query language and output, seeded with the corpus.

Run: `python fuzz/fuzz_parse.py MINUTES [--seed N]`. It feeds the code arbitrary text and bytes
and mutations of every file of `../shared/corpus/`, checks the properties the test suite checks
(no exception but `LoadError`; entry lines inside the file; issue URLs present in the entry;
`--json` output valid JSON; terminal-safe list output; the query language round-trips) and stops
after MINUTES. Each failure is written to `fuzz/findings/` with its input, to become a regression
test. The last line printed is `inputs tried: N, failures: M`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from notes_tui.inputs import LoadError, decode
from notes_tui.links import issue_from_url
from notes_tui.output import to_json, to_list
from notes_tui.parse import parse_text
from notes_tui.query import format_query, parse_query
from notes_tui.search import EntryIndex

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
FINDINGS = Path(__file__).resolve().parent / "findings"
ISTIO_PATH = "releases/1.9.x/announcing-1.9/change-notes/index.md"
"""A source path that makes the Istio parser classify the input as change notes."""

SNIPPETS = [
    "\n## Area\n",
    "\n# v1.2.3\n",
    "\n## [1.2.3] - 2024-01-01\n",
    "\n### Added\n",
    "\n- **Added** x ([Issue #1](https://github.com/o/r/issues/1))\n",
    "\n- [FEATURE] Area: text. #12\n",
    "\n* title by @user in https://github.com/o/r/pull/3\n",
    "{{< text yaml >}}\n",
    "{{< /text >}}\n",
    "{{< image caption='x'",
    "<!--",
    "-->",
    "```",
    "\n---\n",
    "---\ntitle: x\nrelease: 1.10\n---\n",
    "[link](javascript:alert(1))",
    "\x1b[31m",
    "\x1b]52;c;aGk=\x07",
    "\x9b2J",
    "[@click=app.quit]x[/]",
    "\u202e",
    "\u200b",
    "> " * 50,
    "- " * 50,
    "    ",
    "\t",
    "\r\n",
    "\r",
    "#" * 7,
    "*" * 9,
    "_" * 9,
    "[" * 30,
    "`" * 5,
    "&#0;",
    "\ufffd",
    "#99999999999999999999999999999999999999",
    "CVE-2025-12345",
]


def seeds() -> list[bytes]:
    """Every file of the shared corpus, as bytes (the mutation seeds)."""
    return [path.read_bytes() for path in sorted(CORPUS.rglob("*.md"))]


def mutate(data: bytes, rng: random.Random) -> bytes:
    """Apply a few random edits: cut, splice a snippet, flip bytes, duplicate a slice."""
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        choice = rng.random()
        position = rng.randint(0, len(buffer)) if buffer else 0
        if choice < 0.3 and buffer:
            end = min(len(buffer), position + rng.randint(1, 400))
            del buffer[position:end]
        elif choice < 0.65:
            buffer[position:position] = rng.choice(SNIPPETS).encode("utf-8")
        elif choice < 0.85 and buffer:
            for _ in range(rng.randint(1, 8)):
                index = rng.randrange(len(buffer))
                buffer[index] = rng.randrange(256)
        elif buffer:
            end = min(len(buffer), position + rng.randint(1, 2000))
            buffer[position:position] = buffer[position:end]
    return bytes(buffer[:2_000_000])


def random_text(rng: random.Random) -> bytes:
    """Text made of snippets and random characters."""
    parts = []
    for _ in range(rng.randint(1, 60)):
        if rng.random() < 0.6:
            parts.append(rng.choice(SNIPPETS))
        else:
            parts.append("".join(chr(rng.randint(0, 0x2FFF)) for _ in range(rng.randint(1, 30))))
    return "".join(parts).encode("utf-8", errors="surrogatepass")


def check(data: bytes) -> None:
    """Run the properties on one input; raise AssertionError (or anything) when one fails."""
    try:
        text, _ = decode(data, "fuzz.md")
    except LoadError:
        return
    line_count = text.count("\n") + 1
    for source in (
        "fuzz.md",
        "CHANGELOG.md",
        "releases/1.9.x/announcing-1.9/change-notes/index.md",
    ):
        releases = parse_text(text, source)
        entries = [entry for release in releases for entry in release.entries]
        for entry in entries:
            assert 1 <= entry.line <= line_count, f"entry line {entry.line} of {line_count}"
            for ref in entry.issues:
                assert issue_from_url(ref.url) is not None, ref.url
        json.loads(to_json(entries))
        listing = to_list(entries)
        assert not any(ch in listing for ch in "\x1b\x9b\x07\u202e"), "unsafe character in list"
        index = EntryIndex()
        index.extend(entries)
        query_text = text[:80]
        query = parse_query(query_text)
        assert parse_query(format_query(query)) == query, f"query round trip: {query_text!r}"
        index.filter(query)


def record(data: bytes, error: BaseException) -> Path:
    """Save a failing input and its traceback under fuzz/findings/."""
    FINDINGS.mkdir(exist_ok=True)
    digest = hashlib.sha256(data).hexdigest()[:16]
    path = FINDINGS / f"{digest}.md"
    path.write_bytes(data)
    (FINDINGS / f"{digest}.txt").write_text(
        "".join(traceback.format_exception(error)), encoding="utf-8"
    )
    return path


def main(argv: list[str] | None = None) -> int:
    """Fuzz for the given number of minutes."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("minutes", type=float, help="how long to run")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: time)")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed if args.seed is not None else time.time_ns())
    corpus = seeds()
    generators: list[Callable[[], bytes]] = [
        lambda: mutate(rng.choice(corpus), rng),
        lambda: mutate(rng.choice(corpus)[: rng.randint(0, 4000)], rng),
        lambda: random_text(rng),
        lambda: bytes(rng.randrange(256) for _ in range(rng.randint(0, 3000))),
    ]
    deadline = time.monotonic() + args.minutes * 60
    tried = failures = 0
    seen_failures: set[str] = set()
    while time.monotonic() < deadline:
        data = rng.choice(generators)()
        tried += 1
        try:
            check(data)
        except Exception as error:  # a fuzzer reports every failure
            kind = f"{type(error).__name__}:{traceback.extract_tb(error.__traceback__)[-1][:3]}"
            failures += 1
            if kind not in seen_failures:
                seen_failures.add(kind)
                print(f"failure {kind} -> {record(data, error)}", flush=True)
        if tried % 2000 == 0:
            print(f"... {tried} inputs, {failures} failures", flush=True)
    print(f"inputs tried: {tried}, failures: {failures}, distinct: {len(seen_failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
