"""The app under stress: a tiny terminal, many resizes, many keystrokes, a key held down."""

from __future__ import annotations

import dataclasses
import random

from textual import events
from tui_support import FakeSystem, bundled_releases, entry_list, running, status_text, wait_for

from notes_tui.app import NotesApp
from notes_tui.model import Release
from notes_tui.widgets.filter_bar import FilterBar


def post_keys(app: NotesApp, keys: list[str]) -> None:
    """Queue key presses as fast as they can be sent, without waiting for each (a key held
    down, or a paste): the app must take them all in order."""
    for key in keys:
        app.post_message(events.Key(key, KEY_CHARACTERS.get(key, key if len(key) == 1 else None)))


KEY_CHARACTERS = {"space": " ", "minus": "-", "colon": ":", "number_sign": "#",
                  "quotation_mark": '"', "backspace": None}  # fmt: skip


def many_releases(copies: int) -> list[Release]:
    """The bundled release repeated under distinct versions (47 entries each)."""
    (seed,) = bundled_releases()
    return [dataclasses.replace(seed, version=f"1.28.{n}") for n in range(copies)]


async def test_a_20x10_terminal() -> None:
    app = NotesApp(list(bundled_releases()), system=FakeSystem())
    async with running(app, size=(20, 10)) as pilot:
        await pilot.pause()
        assert app.screen.has_class("-narrow")
        await pilot.press("j", "j", "slash", *"gateway", "enter", "t", "y", "question_mark")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running


async def test_500_resizes_in_a_row() -> None:
    app = NotesApp(list(bundled_releases()), system=FakeSystem())
    rng = random.Random(500)
    async with running(app, size=(160, 50)) as pilot:
        for _ in range(500):
            await pilot.resize_terminal(rng.randint(10, 220), rng.randint(5, 70))
        await pilot.resize_terminal(160, 50)
        await pilot.pause()
        assert app.is_running
        assert not app.screen.has_class("-narrow")
        assert status_text(app) == "47 of 47 entries"
        assert len(entry_list(app).entries) == 47


async def test_2000_keystrokes_into_the_filter() -> None:
    app = NotesApp(many_releases(20), system=FakeSystem())
    rng = random.Random(2000)
    alphabet = 'abcdefghijklmnopqrstuvwxyz -:#"0123456789'
    names = {" ": "space", "-": "minus", ":": "colon", "#": "number_sign", '"': "quotation_mark"}
    text = "".join(rng.choice(alphabet) for _ in range(1800))
    async with running(app, size=(160, 50)) as pilot:
        await pilot.press("slash")
        bar = app.screen.query_one(FilterBar)
        # 1,800 characters as fast as they can be queued (a paste, or a key-repeat storm):
        # every one reaches the bar, in order.
        post_keys(app, [names.get(character, character) for character in text])
        await wait_for(pilot, lambda: bar.value == text, timeout=120)
        # Then 200 backspaces. (Posted after the characters landed: Textual runs a bound
        # key such as backspace as soon as the app takes it, ahead of characters still
        # queued for the input, so a mix queued at once would not keep its order.)
        post_keys(app, ["backspace"] * 200)
        await wait_for(pilot, lambda: bar.value == text[:-200], timeout=120)
        await pilot.press("enter")
        # The list shows what the query keeps once the debounce is over.
        main = app.main
        assert main is not None
        await wait_for(pilot, lambda: main.session.query_text == text[:-200])
        assert len(entry_list(app).entries) == len(main.session.visible)
        assert app.is_running


async def test_j_held_for_5000_rows() -> None:
    releases = many_releases(110)  # 5,170 entries
    app = NotesApp(releases, system=FakeSystem())
    async with running(app, size=(160, 50)) as pilot:
        post_keys(app, ["j"] * 5000)
        await wait_for(pilot, lambda: entry_list(app).cursor == 5000, timeout=120)
        await pilot.pause()
        listing = entry_list(app)
        assert listing.cursor == 5000
        assert listing.highlighted is listing.entries[5000]
        # The row under the cursor is on screen.
        top = int(listing.scroll_offset.y)
        assert top <= 5000 < top + listing.scrollable_content_region.height
