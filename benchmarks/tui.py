"""TUI speed and memory: notes-tui against a bare Textual app, measured in one run.

Run as `python benchmarks/tui.py [--runs N] [--corpus DIR] [--only corpus]` (`--only corpus`:
the corpus rows alone). Everything runs headless in `App.run_test(size=(160, 50))`. Ratios
are against a bare app showing one `Static`, measured in the same run the same way. The rows:

- First paint: from constructing the app to the first frame that shows the target widget
  painted: the frame is the compositor's update handed to `App._display` (headless, Textual
  computes every frame and only skips writing it), and right after it the widget is in the
  compositor's map of visible widgets, its lines are rendered into its styles cache, and it
  has no dirty line, repaint or layout of its own pending. The target is the bare app's
  `Static`, and notes-tui's `EntryList` holding every loaded entry. notes-tui mounts its
  other panes (tree, detail, header, footer) in the frames right after its first (see
  `notes_tui.widgets.slot`): the "all panes painted" rows time, for context, the moment
  (polled on every turn of the event loop once `run_test` hands over the pilot) at which
  every pane is mounted and painted and the screen has no layout or repaint pending; the
  bare app's own row there is its `Static` painted with nothing pending. Parsing is outside
  the timing: releases are passed to the app. Median of `--runs` runs, the apps taking
  turns. "no releases" (`NotesApp([])`) shows what the widgets cost without any notes. The
  Kubernetes row opens `../shared/corpus/other/kubernetes` (parsed beforehand), target 2x.
- Large case: the Istio corpus followed by renamed copies of its releases (distinct
  versions, so distinct releases and entries) up to at least 20,000 entries.
- Filter keystroke, handler + render: `MainScreen._query_changed` (the handler of the
  debounced `FilterBar.QueryChanged`: `Session.set_query` and the view refresh), then
  rendering the visible lines of the list, the tree and the status line as the compositor
  would. Typed: `ztunnel` a letter at a time, backspaced to empty, then `area:sec fix`,
  `--runs` times. The "part" rows time `Session.set_query` (with the counts the tree asks
  for, computed on demand) and `SectionTree.set_counts` (with the tree's render) alone, on a
  second session; the tree gets the session's counts as the screen passes them.
- "incl. detail (settled)": the message (or, for the cursor, a `j` key event) from posting
  it until every widget of the screen has processed every pending message and callback
  (the detail pane updated, the footer's keys checked) and the screen has painted; the
  paint Textual's frame timer would do next is done at once. "settle overhead" is what
  settling costs when there is nothing to do.
- Cursor move: `EntryList.action_cursor_down` (what `j` runs; the screen, which watches the
  cursor, updates the detail pane within it) and rendering the list.
- Textual's stock widgets (`benchmarks/stock_app.py`), for comparison: the same panes made
  of `Header`, `Tree`, `Input`, `OptionList`, `Markdown` and `Footer`, all mounted in
  `compose`, with the bundled notes: its first paint (its `OptionList`) and every pane
  painted (a laxer test than notes-tui's, see `stock_ready`). Context, no target: what
  Textual itself needs for such a screen.
- "floor": every line of the screen composed again (`stock_app.composite_again_ms`: each
  widget's styles cache cleared, the screen painted; the widgets' own line caches kept), in
  notes-tui's large case and in the stock app. A keystroke that changes most of the screen
  costs at least this. Context, no target.
- Memory: in a fresh interpreter per app, the tracemalloc peak and the growth of resident
  memory from just before constructing the app to its first paint.
- Full garbage collections during the interaction rows are counted: their pauses land in
  whichever sample they interrupt. The app itself freezes what it has loaded and makes full
  collections rarer (`notes_tui.app.tune_garbage_collector`); that is part of what is
  measured.
- The Istio corpus loaded by the app (`NotesApp([], targets=<its 399 files>)`, the
  background worker reading them): first paint (the list painted, whatever it holds yet);
  fully loaded (every entry in the list, painted, the loading over) cold (`use_cache=False`,
  as `--no-cache`), from an empty cache folder (the default on a first run: it also fills
  the cache), and from the cache that run filled; then filter keystrokes as above, with
  everything loaded. Each run gets a fresh `NOTES_TUI_HOME` in a temporary folder. These
  rows poll every millisecond (`asyncio.sleep(0.001)`) rather than on every turn of the
  event loop: a spinning poll would keep the GIL from the loading thread, as a user's idle
  terminal does not. Their bare-app baseline is measured with the same poll. The cold
  target is the bare app's first paint plus 1.3 times the bare markdown-it-py tokenisation
  of the same 399 files (`MarkdownIt().parse` of each text, read and decoded beforehand, as
  `benchmarks/parse.py` times it), measured in this run in wall-clock time; "cache" is
  compared with the bare app's first paint (target 2x).

This is a measurement, not a test: it always exits 0 (2 for bad arguments).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import replace
from importlib.metadata import version
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
"""The checkout this script belongs to; measured rather than any installed copy."""
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from markdown_it import MarkdownIt  # noqa: E402
from rich.console import RenderableType  # noqa: E402
from stock_app import StockApp, composite_again_ms, stock_ready, stock_target  # noqa: E402
from textual import events  # noqa: E402
from textual.app import App, ComposeResult  # noqa: E402
from textual.geometry import Region  # noqa: E402
from textual.pilot import Pilot  # noqa: E402
from textual.screen import Screen  # noqa: E402
from textual.widget import Widget  # noqa: E402
from textual.widgets import Static  # noqa: E402

from notes_tui.app import NotesApp  # noqa: E402
from notes_tui.inputs import read_file  # noqa: E402
from notes_tui.loading import load  # noqa: E402
from notes_tui.model import Release, Section  # noqa: E402
from notes_tui.screens.main import MainScreen  # noqa: E402
from notes_tui.session import Session  # noqa: E402
from notes_tui.targets import plan_targets  # noqa: E402
from notes_tui.widgets.entry_detail import EntryDetail  # noqa: E402
from notes_tui.widgets.entry_list import EntryList  # noqa: E402
from notes_tui.widgets.filter_bar import FilterBar  # noqa: E402
from notes_tui.widgets.section_tree import SectionTree  # noqa: E402

SIZE = (160, 50)
"""The terminal size every app runs at."""
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "istio"
"""The Istio release notes."""
LARGE = 20_000
"""The fewest entries of the large case."""
TYPED = [
    *("ztunnel"[:n] for n in range(1, 8)),
    *("ztunnel"[:n] for n in range(6, -1, -1)),
    *("area:sec fix"[:n] for n in range(1, 13)),
]
"""The filter bar's text after each keystroke."""
FRAME_MS = 16.0
"""The p95 budget of one keystroke or cursor move."""
PAINT_TARGETS = {"small": 1.3, "large": 3.0, "kubernetes": 2.0, "corpus": 1.5, "cached": 2.0}
"""The most each first paint (or full load) may take, as a multiple of the bare app's."""
COLD_TOKENISE_FACTOR = 1.3
"""Cold loading may take the bare app's first paint plus this many bare tokenisations."""
POLL_SECONDS = 0.001
"""How the corpus rows poll (see the module docstring)."""
FLOOR_ROW = "  floor: every line of the screen composed again"
"""The row of `stock_app.composite_again_ms` (context: no target)."""


class BareApp(App[None]):
    """The baseline: one `Static`."""

    def compose(self) -> ComposeResult:
        yield Static("notes-tui benchmark baseline", id="bare")


def rename(release: Release, copy: int) -> Release:
    """A copy of a release under a distinct version (entries renamed too)."""
    version = f"{release.version}+copy{copy}"

    def section(old: Section) -> Section:
        return replace(
            old,
            entries=tuple(replace(entry, release=version) for entry in old.entries),
            subsections=tuple(section(sub) for sub in old.subsections),
        )

    return replace(release, version=version, sections=tuple(section(s) for s in release.sections))


def scaled(releases: list[Release], minimum: int) -> list[Release]:
    """The releases followed by renamed copies, until there are at least `minimum` entries."""
    result, copy = list(releases), 0
    per_round = sum(len(release.entries) for release in releases)
    while per_round and sum(len(release.entries) for release in result) < minimum:
        copy += 1
        result += [rename(release, copy) for release in releases]
    return result


def rendered(app: App[None], widget: Widget) -> bool:
    """Whether the widget is on screen with its lines rendered and nothing of its own pending."""
    return (
        widget.is_mounted
        and widget in app.screen._compositor.visible_widgets
        and bool(widget._styles_cache._cache)
        and not widget._styles_cache._dirty_lines
        and not (widget._repaint_required or widget._layout_required)
    )


def painted(app: App[None], widget: Widget) -> bool:
    """`rendered`, and the screen has no layout or repaint pending either."""
    screen = app.screen
    return rendered(app, widget) and not (
        screen._dirty_widgets or screen._layout_required or screen._repaint_required
    )


def bare_target(app: App[None]) -> Widget | None:
    """The bare app's `Static`, once mounted."""
    found = app.screen.query("#bare")
    return found.first() if found else None


def bare_ready(app: App[None]) -> bool:
    """The bare app's `Static` is painted and nothing is pending."""
    target = bare_target(app)
    return target is not None and painted(app, target)


def notes_target(total: int) -> Callable[[App[None]], Widget | None]:
    """notes-tui's `EntryList`, once it holds `total` entries."""

    def target(app: App[None]) -> Widget | None:
        if not isinstance(app.screen, MainScreen):
            return None
        entry_list = app.screen.query_one(EntryList)
        return entry_list if len(entry_list.entries) == total else None

    return target


def notes_ready(total: int) -> Callable[[App[None]], bool]:
    """A test that every pane of notes-tui, with `total` entries listed, is painted."""
    target = notes_target(total)

    def ready(app: App[None]) -> bool:
        entry_list = target(app)
        if entry_list is None:
            return False
        screen = app.screen
        assert isinstance(screen, MainScreen)
        panes = [entry_list, *screen.query(SectionTree), *screen.query(EntryDetail)]
        return screen.panes_ready and all(painted(app, pane) for pane in panes)

    return ready


Target = Callable[[App[None]], "Widget | None"]
"""Finds the widget whose first paint is timed (None while it is not there yet)."""
AppCase = tuple[Callable[[], App[None]], Target, Callable[[App[None]], bool]]
"""How to make an app, find its first paint's target, and tell it is all painted."""


async def first_paint(
    make_app: Callable[[], App[None]],
    target: Target,
    ready: Callable[[App[None]], bool],
    poll: float = 0.0,
) -> tuple[float, float]:
    """Seconds from constructing an app to its first paint, and to `ready` (see the docstring).

    Returns:
        The first frame showing the target rendered; the moment `ready(app)` holds, polled
        every `poll` seconds (0: every turn of the event loop).
    """
    gc.collect()
    start = time.perf_counter()
    app = make_app()
    first = watch_frames(app, target, start)
    async with app.run_test(size=SIZE):
        done = await until(app, ready, start, poll)
    return (first[0] if first else done), done


def watch_frames(app: App[None], target: Target, start: float) -> list[float]:
    """Note, in the list returned, when the first frame showing the target is displayed."""
    seen: list[float] = []
    display = app._display

    def on_frame(screen: Screen[object], update: RenderableType | None) -> None:
        display(screen, update)
        if not seen and update is not None:
            widget = target(app)
            if widget is not None and rendered(app, widget):
                seen.append(time.perf_counter() - start)

    app._display = on_frame  # type: ignore[method-assign,assignment]
    return seen


async def until(
    app: App[None], ready: Callable[[App[None]], bool], start: float, poll: float
) -> float:
    """Seconds from `start` until `ready(app)`, polled every `poll` seconds (0: every turn)."""
    while not ready(app):
        if time.perf_counter() - start > 120:
            raise RuntimeError(f"{type(app).__name__} never got there")
        await asyncio.sleep(poll)
    return time.perf_counter() - start


async def settle(pilot: Pilot[None]) -> None:
    """Let every widget process what is pending, then paint what changed at once.

    Pending includes a remount of the detail pane's Markdown (it parses in a thread, then
    mounts): `EntryDetail.updating`.
    """
    app = pilot.app
    for _ in range(500):
        await pilot._wait_for_screen()
        nodes = [app, *app.screen.walk_children(with_self=True)]
        if not all(node._message_queue.empty() for node in nodes):
            continue
        if any(detail.updating for detail in app.screen.query(EntryDetail)):
            await asyncio.sleep(0.0005)
            continue
        break
    app.screen._on_timer_update()


def render_visible(widget: Widget) -> None:
    """Render a widget's lines as the compositor does when painting it."""
    widget.render_lines(Region(0, 0, *widget.outer_size))


class FullCollections:
    """`with FullCollections() as pauses:` keeps the pause of each full garbage collection (ms)."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self.start = 0.0

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if info["generation"] == 2:
            if phase == "start":
                self.start = time.perf_counter()
            else:
                self.pauses.append((time.perf_counter() - self.start) * 1000)

    def __enter__(self) -> list[float]:
        gc.callbacks.append(self._on_gc)
        return self.pauses

    def __exit__(self, *exc_info: object) -> None:
        gc.callbacks.remove(self._on_gc)


async def interaction(releases: list[Release], rounds: int) -> dict[str, list[float]]:
    """Time keystrokes and cursor moves in one app (milliseconds per sample).

    The pauses of full (generation 2) garbage collections meanwhile are kept under `gc`.
    """
    samples: dict[str, list[float]] = {}
    # The "part" rows' second session is made with the notes, before the app starts: the
    # app treats what is loaded when it starts as its notes (`tune_garbage_collector`).
    session = Session()
    session.add(releases)
    with FullCollections() as pauses:
        app = NotesApp(releases)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            add = Adder(samples)
            for _ in range(20):
                with add("settle overhead (nothing to do)"):
                    await settle(pilot)
            await type_keys(pilot, session, rounds, add)
            await move_cursor(pilot, rounds, add)
            await composite_again(pilot, rounds, samples)
    samples["gc"] = pauses
    return samples


async def composite_again(pilot: Pilot[None], rounds: int, samples: dict[str, list[float]]) -> None:
    """The "floor" row: every line of the screen composed again (`composite_again_ms`)."""
    for _ in range(4 * rounds):
        await settle(pilot)
        samples.setdefault(FLOOR_ROW, []).append(composite_again_ms(pilot.app))


async def stock_interaction(releases: list[Release], rounds: int) -> dict[str, list[float]]:
    """The "floor" row for Textual's stock widgets (`stock_app.StockApp`)."""
    samples: dict[str, list[float]] = {}
    async with StockApp(releases).run_test(size=SIZE) as pilot:
        await pilot.pause()
        await composite_again(pilot, rounds, samples)
    return samples


class Adder:
    """`with add(name):` times the block into `samples[name]` (milliseconds)."""

    def __init__(self, samples: dict[str, list[float]]) -> None:
        self.samples = samples
        self.name = ""
        self.start = 0.0

    def __call__(self, name: str) -> Adder:
        self.name = name
        return self

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *exc_info: object) -> None:
        elapsed = (time.perf_counter() - self.start) * 1000
        self.samples.setdefault(self.name, []).append(elapsed)


async def type_keys(pilot: Pilot[None], session: Session | None, rounds: int, add: Adder) -> None:
    """The filter keystroke rows (the parts only when a second `session` is given)."""
    screen = pilot.app.screen
    assert isinstance(screen, MainScreen)
    filter_bar, entry_list = screen.query_one(FilterBar), screen.query_one(EntryList)
    tree, status = screen.query_one(SectionTree), screen.query_one("#status")
    for _ in range(rounds):
        for text in TYPED:
            with add("filter keystroke: handler + render"):
                screen._query_changed(FilterBar.QueryChanged(text))
                for widget in (entry_list, tree, status):
                    render_visible(widget)
            await settle(pilot)
        for text in TYPED:
            with add("filter keystroke incl. detail (settled)"):
                filter_bar.post_message(FilterBar.QueryChanged(text))
                await settle(pilot)
            assert screen.session.query_text == text
    if session is None:
        return
    # Two parts of a keystroke, on a second session (the tree follows it meanwhile).
    for _ in range(rounds):
        for text in TYPED:
            with add("  part: Session.set_query"):
                session.set_query(text)
                counts = session.counts
            with add("  part: SectionTree.set_counts + render"):
                tree.set_counts(counts)
                render_visible(tree)
            await settle(pilot)
    filter_bar.post_message(FilterBar.QueryChanged(""))
    await settle(pilot)


async def move_cursor(pilot: Pilot[None], rounds: int, add: Adder) -> None:
    """The cursor rows."""
    entry_list = pilot.app.screen.query_one(EntryList)
    for _ in range(rounds):
        for _ in range(20):
            with add("cursor move (j): handler + list render"):
                entry_list.action_cursor_down()
                render_visible(entry_list)
            await settle(pilot)
        for _ in range(8):
            before = entry_list.cursor
            with add("cursor move (j) incl. detail render"):
                pilot.app.post_message(events.Key("j", "j"))
                await settle(pilot)
            assert entry_list.cursor == before + 1


def corpus_target(app: App[None]) -> Widget | None:
    """The corpus app's `EntryList`, whatever it holds yet."""
    screen = app.screen
    return screen.query_one(EntryList) if isinstance(screen, MainScreen) else None


def corpus_loaded(total: int) -> Callable[[App[None]], bool]:
    """A test that the corpus app is done loading and every pane, with every entry, painted."""
    panes_painted = notes_ready(total)

    def ready(app: App[None]) -> bool:
        screen = app.screen
        return (
            isinstance(screen, MainScreen)
            and screen.session.progress is None
            and panes_painted(app)
        )

    return ready


async def corpus_run(
    targets: list[str | Path], use_cache: bool, total: int, rounds: int = 0
) -> tuple[float, float, dict[str, list[float]]]:
    """One app loading the corpus in the background: first paint, fully loaded, keystrokes.

    Returns:
        Seconds to the first paint, seconds to fully loaded, and (with `rounds`) the filter
        keystroke samples with everything loaded, full collections under `gc`.
    """
    gc.collect()
    start = time.perf_counter()
    app = NotesApp([], targets=targets, use_cache=use_cache)
    first = watch_frames(app, corpus_target, start)
    samples: dict[str, list[float]] = {}
    async with app.run_test(size=SIZE) as pilot:
        full = await until(app, corpus_loaded(total), start, POLL_SECONDS)
        if rounds:
            await pilot.pause()
            with FullCollections() as pauses:
                await type_keys(pilot, None, rounds, Adder(samples))
            samples["gc"] = pauses
    return (first[0] if first else full), full, samples


def tokenise_seconds(paths: Sequence[str | Path], runs: int) -> list[float]:
    """Wall-clock seconds of bare markdown-it-py tokenisation of the files, once per run."""
    texts = [read_file(Path(path))[0] for path in paths]
    bare = MarkdownIt()
    for text in texts:  # warm-up
        bare.parse(text)
    timings = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        for text in texts:
            bare.parse(text)
        timings.append(time.perf_counter() - start)
    return timings


def loader_seconds(corpus: Path, use_cache: bool) -> float:
    """Wall-clock seconds of `load` alone (no app), for context."""
    gc.collect()
    start = time.perf_counter()
    load([str(corpus)], use_cache=use_cache)
    return time.perf_counter() - start


def measure_corpus(corpus: Path, runs: int) -> dict[str, list[float]]:
    """The corpus rows' timings (seconds) and the keystroke samples (ms, `keys:` names)."""
    targets = plan_targets([str(corpus)], [])
    total = sum(len(release.entries) for release in load([str(corpus)]).releases)
    found: dict[str, list[float]] = {
        "tokenise": tokenise_seconds(targets, runs),
        "total": [float(total)],
        "files": [float(len(targets))],
    }
    saved_home = os.environ.get("NOTES_TUI_HOME")
    try:
        asyncio.run(corpus_run(targets, False, total))  # warm-up
        for run in range(runs):
            bare_first, bare_settled = asyncio.run(
                first_paint(BareApp, bare_target, bare_ready, POLL_SECONDS)
            )
            found.setdefault("bare", []).append(bare_first)
            found.setdefault("bare settled", []).append(bare_settled)
            with tempfile.TemporaryDirectory(prefix="notes-tui-bench-") as home:
                os.environ["NOTES_TUI_HOME"] = home
                first, cold, samples = asyncio.run(
                    corpus_run(targets, False, total, rounds=1 if run == 0 else 0)
                )
                found.setdefault("first", []).append(first)
                found.setdefault("cold", []).append(cold)
                for name, values in samples.items():
                    found.setdefault(f"keys:{name}", []).extend(values)
                found.setdefault("empty cache", []).append(
                    asyncio.run(corpus_run(targets, True, total))[1]
                )
                found.setdefault("cached", []).append(
                    asyncio.run(corpus_run(targets, True, total))[1]
                )
                found.setdefault("loader cold", []).append(loader_seconds(corpus, False))
                found.setdefault("loader cached", []).append(loader_seconds(corpus, True))
    finally:
        if saved_home is None:
            os.environ.pop("NOTES_TUI_HOME", None)
        else:
            os.environ["NOTES_TUI_HOME"] = saved_home
    return found


def corpus_rows(found: dict[str, list[float]]) -> list[list[str]]:
    """The corpus loading rows, against the bare app (and the bare tokenisation)."""
    med = {
        name: statistics.median(values) * 1000
        for name, values in found.items()
        if values and not name.startswith("keys:")
    }
    # First paints compare with the bare app's first frame; full loads (every pane painted,
    # nothing pending) with the bare app's `Static` painted with nothing pending.
    bare, settled, tokenise = med["bare"], med["bare settled"], med["tokenise"]
    files = int(found["files"][0])
    cold_limit = settled + COLD_TOKENISE_FACTOR * tokenise
    rows = [
        [
            f"corpus ({files} files in the background): first paint",
            f"{med['first']:.0f} ms",
            f"{bare:.0f} ms",
            f"{med['first'] / bare:.2f}x",
            f"<= {PAINT_TARGETS['corpus']}x",
            verdict(med["first"] / bare <= PAINT_TARGETS["corpus"]),
        ]
    ]
    for name, label in (
        ("cold", "fully loaded, cold (no cache)"),
        ("empty cache", "fully loaded, empty cache (fills it)"),
    ):
        rows.append(
            [
                f"corpus: {label}",
                f"{med[name]:.0f} ms",
                f"{settled:.0f} ms; tokenise {tokenise:.0f} ms",
                f"{med[name] / settled:.2f}x",
                f"<= {cold_limit:.0f} ms (bare + {COLD_TOKENISE_FACTOR}x tokenise)",
                verdict(med[name] <= cold_limit),
            ]
        )
    rows.append(
        [
            "corpus: fully loaded from the cache",
            f"{med['cached']:.0f} ms",
            f"{settled:.0f} ms",
            f"{med['cached'] / settled:.2f}x",
            f"<= {PAINT_TARGETS['cached']}x",
            verdict(med["cached"] / settled <= PAINT_TARGETS["cached"]),
        ]
    )
    for name, label in (("loader cold", "no cache"), ("loader cached", "from the cache")):
        rows.append(
            [
                f"  context: the loader alone (`load`, no app), {label}",
                f"{med[name]:.0f} ms",
                f"{settled:.0f} ms; tokenise {tokenise:.0f} ms",
                f"{med[name] / settled:.2f}x",
                "-",
                "-",
            ]
        )
    return rows


def probe_memory(kind: str, corpus: Path) -> dict[str, float]:
    """In this process: memory of one app from construction to first paint (MiB)."""
    if kind == "bare":
        make: Callable[[], App[None]] = BareApp
        target: Target = bare_target
        ready: Callable[[App[None]], bool] = bare_ready
    else:
        releases = scaled(load([str(corpus)]).releases, LARGE)
        total = sum(len(release.entries) for release in releases)
        make, target, ready = (lambda: NotesApp(releases)), notes_target(total), notes_ready(total)
    gc.collect()
    rss_before = resident_mib()
    asyncio.run(first_paint(make, target, ready))
    rss_growth = resident_mib() - rss_before
    gc.collect()
    tracemalloc.start()
    asyncio.run(first_paint(make, target, ready))
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return {"rss_growth": rss_growth, "peak": peak}


def resident_mib() -> float:
    """The resident memory of this process now (Linux), else its peak."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory(kind: str, corpus: Path) -> dict[str, float]:
    """Run `probe_memory` in a fresh interpreter (empty if it fails: reported, not raised)."""
    command = [sys.executable, __file__, "--memory-probe", kind, "--corpus", str(corpus)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        return dict(json.loads(done.stdout.strip().splitlines()[-1]))
    except (IndexError, ValueError):
        print(f"memory probe ({kind}) failed: {done.stderr.strip()[-500:]}", file=sys.stderr)
        return {}


def percentiles(values: Sequence[float]) -> tuple[float, float, float]:
    """p50, p95 (nearest rank) and max."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95, ordered[-1]


def verdict(met: bool) -> str:
    """The `met?` cell."""
    return "yes" if met else "NO"


def paint_rows(
    paints: dict[str, list[tuple[float, float]]], labels: dict[str, str]
) -> list[list[str]]:
    """The first-paint rows (medians, ratios to the bare app, targets), then "all panes"."""
    rows = []
    for column, what in ((0, "first paint"), (1, "all panes painted")):
        bare = statistics.median(paint[column] for paint in paints["bare"]) * 1000
        for name, label in labels.items():
            mine = statistics.median(paint[column] for paint in paints[name]) * 1000
            target = PAINT_TARGETS.get(name) if column == 0 else None
            rows.append(
                [
                    f"{what}, {label}",
                    f"{mine:.0f} ms",
                    f"{bare:.0f} ms",
                    f"{mine / bare:.2f}x",
                    f"<= {target}x" if target else "- (context)",
                    verdict(mine / bare <= target) if target else "-",
                ]
            )
    return rows


def interaction_rows(samples: dict[str, list[float]], label: str) -> list[list[str]]:
    """The keystroke and cursor rows: p50, p95 and max in milliseconds."""
    rows = []
    for name, values in samples.items():
        if name == "gc" or not values:
            continue
        p50, p95, worst = percentiles(values)
        targeted = not name.startswith(("  part", "  floor", "settle"))
        rows.append(
            [
                f"{name}, {label} [n={len(values)}]",
                f"p50 {p50:.1f} / p95 {p95:.1f} / max {worst:.1f} ms",
                "-",
                "-",
                f"p95 <= {FRAME_MS:.0f} ms" if targeted else "-",
                verdict(p95 <= FRAME_MS) if targeted else "-",
            ]
        )
    return rows


def memory_rows(mine: dict[str, float], bare: dict[str, float], entries: int) -> list[list[str]]:
    """The memory rows, notes-tui against the bare app."""
    rows = []
    for key, label in (("peak", "tracemalloc peak"), ("rss_growth", "RSS growth")):
        if key not in mine or key not in bare:
            continue
        rows.append(
            [
                f"memory to first paint, {entries:,} entries: {label}",
                f"{mine[key]:.1f} MiB",
                f"{bare[key]:.1f} MiB",
                f"{mine[key] / bare[key]:.0f}x" if bare[key] > 0.05 else "-",
                "-",
                "-",
            ]
        )
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Measure and print the table; always 0 (except for bad arguments: 2)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per paint row, rounds of typing")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="Istio notes folder")
    parser.add_argument("--memory-probe", choices=["bare", "notes"], help=argparse.SUPPRESS)
    parser.add_argument(
        "--only", choices=["corpus"], help="measure only these rows (corpus: the Istio loading)"
    )
    args = parser.parse_args(argv)
    if args.memory_probe:
        print(json.dumps(probe_memory(args.memory_probe, args.corpus)))
        return 0
    if args.runs < 1 or not args.corpus.is_dir():
        print("--runs must be at least 1 and --corpus a folder", file=sys.stderr)
        return 2
    began = time.perf_counter()
    if args.only == "corpus":
        return corpus_only(args.corpus, args.runs, began)
    bundled = load([]).releases
    large = scaled(load([str(args.corpus)]).releases, LARGE)
    kubernetes = load([str(args.corpus.parent / "other" / "kubernetes")]).releases
    small_total = sum(len(release.entries) for release in bundled)
    large_total = sum(len(release.entries) for release in large)
    kubernetes_total = sum(len(release.entries) for release in kubernetes)

    def notes(releases: list[Release], total: int) -> AppCase:
        return (lambda: NotesApp(releases)), notes_target(total), notes_ready(total)

    apps: dict[str, AppCase] = {
        "bare": (BareApp, bare_target, bare_ready),
        "empty": notes([], 0),
        "small": notes(bundled, small_total),
        "large": notes(large, large_total),
        "kubernetes": notes(kubernetes, kubernetes_total),
        "stock": ((lambda: StockApp(bundled)), stock_target, stock_ready),
    }
    paints: dict[str, list[tuple[float, float]]] = {name: [] for name in apps}
    for app in apps.values():  # warm-up: imports, CSS, caches
        asyncio.run(first_paint(*app))
    for run in range(args.runs):
        for name in list(apps) if run % 2 == 0 else reversed(apps):
            paints[name].append(asyncio.run(first_paint(*apps[name])))
    samples = asyncio.run(interaction(large, args.runs))
    stock_samples = asyncio.run(stock_interaction(bundled, args.runs))
    corpus = measure_corpus(args.corpus, args.runs)
    corpus_keys = {
        name.removeprefix("keys:"): values
        for name, values in corpus.items()
        if name.startswith("keys:")
    }
    notes_memory, bare_memory = memory("notes", args.corpus), memory("bare", args.corpus)
    labels = {
        "small": f"{small_total} entries",
        "large": f"{large_total:,} entries",
        "kubernetes": f"Kubernetes 1.32 changelog, {kubernetes_total:,} entries (parsed before)",
        "empty": "no releases",
        "stock": f"Textual's stock widgets, same panes, {small_total} entries (stock_app.py)",
    }
    rows = [
        ["measurement", "notes-tui", "bare app", "ratio", "target", "met?"],
        *paint_rows(paints, labels),
        *interaction_rows(samples, f"{large_total:,} entries"),
        *interaction_rows(stock_samples, f"Textual's stock widgets, {small_total} entries"),
        *corpus_rows(corpus),
        *interaction_rows(corpus_keys, f"corpus loaded, {int(corpus['total'][0]):,} entries"),
        *memory_rows(notes_memory, bare_memory, large_total),
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(6)]
    print(
        f"notes-tui TUI benchmark: {args.runs} runs, {os.cpu_count()} CPUs, "
        f"Python {sys.version.split()[0]}, Textual {version('textual')}, "
        f"terminal {SIZE[0]}x{SIZE[1]}, {len(large):,} releases in the large case"
    )
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    for where, pauses in (("large case", samples["gc"]), ("corpus", corpus_keys.get("gc", []))):
        print(
            f"full garbage collections during the interaction rows ({where}): {len(pauses)}"
            + (
                f", {statistics.median(pauses):.0f} ms median, {max(pauses):.0f} ms max pause"
                if pauses
                else ""
            )
        )
    elapsed = time.perf_counter() - began
    print(f"(took {elapsed:.0f} s; times are wall clock: a busy machine inflates them)")
    return 0


def corpus_only(corpus: Path, runs: int, began: float) -> int:
    """`--only corpus`: the corpus loading rows and their keystrokes, nothing else."""
    found = measure_corpus(corpus, runs)
    keys = {
        name.removeprefix("keys:"): values
        for name, values in found.items()
        if name.startswith("keys:")
    }
    rows = [
        ["measurement", "notes-tui", "bare app", "ratio", "target", "met?"],
        *corpus_rows(found),
        *interaction_rows(keys, f"corpus loaded, {int(found['total'][0]):,} entries"),
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(6)]
    print(f"notes-tui TUI benchmark, corpus rows only: {runs} runs, {os.cpu_count()} CPUs")
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    for name in ("cached", "cold", "empty cache", "bare settled", "tokenise"):
        values = sorted(value * 1000 for value in found[name])
        print(f"  spread, {name}: {', '.join(f'{value:.0f}' for value in values)} ms")
    print(f"(took {time.perf_counter() - began:.0f} s; times are wall clock)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
