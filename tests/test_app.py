"""Pilot tests: each user flow of the app, checked on what the user sees."""

from __future__ import annotations

import pytest
from textual import events
from textual.command import CommandList, CommandPalette
from textual.widgets import Static
from tui_support import (
    AREA_COUNTS,
    SIZE,
    ZTUNNEL_SUMMARIES,
    FakeSystem,
    bundled_app,
    bundled_releases,
    entry_list,
    messages,
    notifications,
    panes_ready,
    releases_from_markdown,
    rendered_row,
    running,
    screen_lines,
    select_entry,
    settle,
    shown_summaries,
    status_text,
    tree_counts,
    wait_for,
    with_entry_replaced,
)

from notes_tui.app import NotesApp
from notes_tui.model import Link
from notes_tui.screens.help import HelpScreen
from notes_tui.screens.main import MainScreen
from notes_tui.screens.picker import LinkPicker
from notes_tui.widgets.entry_detail import EntryDetail
from notes_tui.widgets.filter_bar import FilterBar
from notes_tui.widgets.section_tree import SectionTree

FIRST_ISSUE = "https://github.com/istio/istio/issues/54127"
"""The issue of the first bundled entry (dual-stack promoted to beta)."""
COOKIE_ISSUES = (
    "https://github.com/istio/istio/issues/56468",
    "https://github.com/istio/istio/issues/49870",
)
"""The two issues of the cookie-attributes entry."""


def is_cookie_entry(entry: object) -> bool:
    return "cookie attributes" in getattr(entry, "summary", "")


def is_x_forwarded_entry(entry: object) -> bool:
    return "X-Forwarded headers" in getattr(entry, "summary", "")


def assert_ztunnel_rows(app: NotesApp) -> None:
    summaries = shown_summaries(app)
    assert len(summaries) == 4
    for summary, start in zip(summaries, ZTUNNEL_SUMMARIES, strict=True):
        assert summary.startswith(start)


# Filtering.


async def test_first_paint_shows_every_entry() -> None:
    app = bundled_app()
    async with running(app, size=SIZE):
        assert status_text(app) == "47 of 47 entries"
        assert len(shown_summaries(app)) == 47
        assert shown_summaries(app)[0].startswith("Promoted Istio dual-stack support to beta")
        assert isinstance(app.focused, type(entry_list(app)))
        assert tree_counts(app) == {"All": 47, "1.28.0 Change Notes": 47, **AREA_COUNTS}
        assert "Promoted Istio dual-stack" in rendered_row(app, 0)
        # A summary too long for its row ends in an ellipsis, with or without issue numbers.
        assert rendered_row(app, 1).endswith("…")
        assert rendered_row(app, 2).endswith("…  #56468 #49870")
        detail = app.screen.query_one(EntryDetail)
        assert detail.entry is not None and detail.entry.summary == shown_summaries(app)[0]


async def test_the_first_frame_shows_the_list_and_the_panes_follow() -> None:
    app = bundled_app()
    frames: list[tuple[int, bool, object]] = []
    display = app._display

    def on_frame(screen: object, update: object) -> None:
        display(screen, update)  # type: ignore[arg-type]
        main = app.main
        if update is not None and main is not None and main.is_mounted:
            entries = entry_list(app)
            frames.append((len(entries.entries), main.panes_ready, entries.region))

    app._display = on_frame  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await panes_ready(pilot)
        await pilot.pause()
        assert tree_counts(app)["All"] == 47
    # The list with every entry was on screen before the panes around it were mounted...
    assert frames[0][:2] == (47, False)
    # ...and they came in the frames right after it, in the places kept for them: the list
    # did not move.
    assert frames[-1][:2] == (47, True)
    assert frames[0][2] == frames[-1][2]


async def test_keys_pressed_before_the_panes_are_mounted_apply() -> None:
    app = bundled_app()
    async with app.run_test(size=SIZE) as pilot:
        # Straight after the first frame: an area key, the kind key, then a filter.
        await pilot.press("2", "t", "slash", *"jwt")
        await panes_ready(pilot)
        await wait_for(pilot, lambda: "filter: jwt" in status_text(app))
        main = app.main
        assert main is not None
        assert main.session.scope == (None, "security")
        assert all(entry.area == "Security" for entry in entry_list(app).entries)
        # The panes mounted later show the same state as the list.
        assert tree_counts(app)["Security"] == len(entry_list(app).entries)
        assert app.screen.query_one(EntryDetail).entry == entry_list(app).highlighted


@pytest.mark.parametrize("delay", [0.0, 0.005, 0.01, 0.02, 0.04, 0.08])
async def test_quitting_while_the_panes_are_mounted(delay: float) -> None:
    """Quitting in the first frames, as the panes arrive, ends cleanly (an error in the app
    would be raised here by `run_test`)."""
    for press_q in (False, True):
        app = bundled_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause(delay)
            if press_q:
                await pilot.press("q")
        # `q` exits with 0; leaving `run_test` stops the app without a code.
        assert app.return_code == (0 if press_q else None)


async def test_typing_a_word_filters_after_the_debounce() -> None:
    app = bundled_app()
    async with running(app, size=SIZE) as pilot:
        await pilot.press("slash")
        assert isinstance(app.focused, FilterBar)
        await pilot.press(*"ztunnel")
        # The debounce (0.12 s) applies the query without pressing enter. On a loaded
        # machine it may fire between two keys ("ztunne" matches the same 4 entries), so
        # wait for the whole word to be applied.
        await wait_for(pilot, lambda: status_text(app) == "4 of 47 entries · filter: ztunnel")
        assert_ztunnel_rows(app)
        assert tree_counts(app) == {
            "All": 4,
            "1.28.0 Change Notes": 4,
            "Traffic Management": 1,
            "Security": 1,
            "Telemetry": 0,
            "Extensibility": 0,
            "Installation": 1,
            "istioctl": 1,
        }
        # Still in the bar: escape clears the filter and returns to the list.
        assert isinstance(app.focused, FilterBar)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one(FilterBar).value == ""
        assert status_text(app) == "47 of 47 entries"
        assert len(shown_summaries(app)) == 47
        assert app.screen.focused is entry_list(app)


async def test_enter_applies_the_filter_at_once_and_returns_to_the_list() -> None:
    app = bundled_app()
    async with running(app, size=SIZE) as pilot:
        await pilot.press("slash", *"ztunnel", "enter")
        assert_ztunnel_rows(app)
        assert app.focused is entry_list(app)
        assert "ztunnel" in rendered_row(app, 0)
        # Back in the bar, escape clears.
        await pilot.press("slash", "escape")
        assert status_text(app) == "47 of 47 entries"


async def test_keys_right_behind_slash_reach_the_filter_bar() -> None:
    # A burst, as from a fast typist, a paste or tmux send-keys: every key is queued before
    # the app handles `/`. Keys behind it must not go to the list the focus is leaving.
    app = bundled_app()
    async with running(app, size=SIZE) as pilot:
        for character in "/ztunnel":
            app.post_message(events.Key("slash" if character == "/" else character, character))
        await wait_for(pilot, lambda: len(shown_summaries(app)) == 4)
        assert app.screen.query_one(FilterBar).value == "ztunnel"
        assert_ztunnel_rows(app)


async def test_keys_right_behind_enter_reach_the_list() -> None:
    # A burst again: `enter` leaves the bar, and the keys queued behind it move in the list
    # rather than landing in the bar the focus is leaving.
    app = bundled_app()
    async with running(app, size=SIZE) as pilot:
        for key in ("slash", *"ztunnel", "enter", "j", "j"):
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await wait_for(pilot, lambda: entry_list(app).cursor == 2)
        assert app.screen.query_one(FilterBar).value == "ztunnel"
        assert app.focused is entry_list(app)
        assert_ztunnel_rows(app)


async def test_back_in_the_bar_and_out_again_the_cursor_stays() -> None:
    app = bundled_app()
    async with running(app, size=SIZE) as pilot:
        await pilot.press("slash", *"ztunnel", "enter", "j", "j")
        await wait_for(pilot, lambda: entry_list(app).cursor == 2)
        # `/` adds a space after the query; leaving again applies nothing new.
        await pilot.press("slash", "enter")
        await pilot.pause(0.3)  # past the debounce
        assert app.screen.query_one(FilterBar).value == "ztunnel "
        assert entry_list(app).cursor == 2
        assert app.focused is entry_list(app)


async def test_a_slash_typed_in_the_filter_bar_is_text() -> None:
    app = bundled_app()
    async with running(app, size=SIZE) as pilot:
        await pilot.press("slash", *"a/b")
        assert app.screen.query_one(FilterBar).value == "a/b"
        assert isinstance(app.focused, FilterBar)


async def test_query_language_in_the_filter_bar() -> None:
    app = bundled_app()
    async with running(app, size=SIZE) as pilot:

        async def query(text: str) -> list[str]:
            # Typing every key costs ~80 ms in a pilot: set the text, then press enter.
            await pilot.press("slash")
            app.screen.query_one(FilterBar).value = text
            await pilot.press("enter")
            return shown_summaries(app)

        excluded = await query("ztunnel -istioctl")
        assert len(excluded) == 3
        assert not any("istioctl" in summary for summary in excluded)
        assert status_text(app) == "3 of 47 entries · filter: ztunnel -istioctl"

        security = await query("area:sec")
        assert len(security) == 7
        assert security[0].startswith("Improved root certificate parsing")

        by_issue = await query("#57530")
        assert [summary[:30] for summary in by_issue] == [
            "Added DISABLE_SHADOW_HOST_SUFF",
            'Added support for "persona-bas',
        ]
        combined = await query("kind:fix area:sec")
        assert len(combined) == 1
        assert combined[0].startswith("Fixed JWT filter configuration")

        # An area prefix that names no area is reported, not an error; the status line
        # stays one line, and what does not fit ends in an ellipsis.
        await query("area:nosuch")
        assert "nosuch" in status_text(app)
        await pilot.pause()
        app.screen._on_timer_update()
        painted = [line for line in screen_lines(app) if "0 of 47 entries" in line]
        assert len(painted) == 1
        assert painted[0].rstrip(" ▏").endswith("…")
        assert len(status_text(app)) > app.screen.query_one("#status").size.width


async def test_initial_query_is_applied() -> None:
    app = bundled_app(initial_query="ztunnel")
    async with running(app, size=SIZE):
        assert_ztunnel_rows(app)
        assert app.screen.query_one(FilterBar).value == "ztunnel"


async def test_area_keys_and_brackets() -> None:
    app = bundled_app()
    async with running(app, size=SIZE) as pilot:
        await pilot.press("2")
        assert status_text(app) == "7 of 47 entries · area: Security"
        assert {entry.area for entry in entry_list(app).entries} == {"Security"}
        assert "Area: Security" in messages(app)

        await pilot.press("0")
        assert status_text(app) == "47 of 47 entries"

        await pilot.press("right_square_bracket")
        assert status_text(app) == "18 of 47 entries · area: Traffic Management"
        await pilot.press("right_square_bracket")
        assert status_text(app) == "7 of 47 entries · area: Security"
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert status_text(app) == "47 of 47 entries"
        # Back from "all" wraps to the last area.
        await pilot.press("left_square_bracket")
        assert status_text(app) == "6 of 47 entries · area: istioctl"

        # There is no ninth area: nothing changes, a warning says so.
        await pilot.press("9")
        assert status_text(app) == "6 of 47 entries · area: istioctl"
        assert notifications(app)[-1].message == "There is no area 9"
        assert notifications(app)[-1].severity == "warning"


async def test_kind_cycle_and_combined_filters() -> None:
    app = bundled_app()
    async with running(app, size=SIZE) as pilot:
        await pilot.press("t")
        assert status_text(app) == "26 of 47 entries · kind: Added"
        assert {entry.kind for entry in entry_list(app).entries} == {"Added"}
        assert messages(app)[-1] == "Kind: Added"
        await pilot.press("t")
        assert status_text(app) == "8 of 47 entries · kind: Changed"
        assert {entry.kind_label for entry in entry_list(app).entries} == {
            "Updated",
            "Promoted",
            "Enabled",
            "Improved",
            "Upgraded",
        }
        await pilot.press("t", "t")
        assert status_text(app) == "10 of 47 entries · kind: Fixed"
        assert [m for m in messages(app) if m.startswith("Kind:")] == ["Kind: Fixed"]
        await pilot.press("t")
        assert messages(app)[-1] == "Kind: All kinds"
        assert status_text(app) == "47 of 47 entries"

        # Kind, area and text together: every one must hold.
        await pilot.press("t", "2")
        # One notification tells the last choice; the ones before it are gone.
        assert [m for m in messages(app) if m.startswith(("Kind:", "Area:"))] == ["Area: Security"]
        assert status_text(app) == "4 of 47 entries · area: Security · kind: Added"
        assert tree_counts(app)["Traffic Management"] == 8
        await pilot.press("slash", *"support", "enter")
        assert status_text(app) == (
            "2 of 47 entries · area: Security · kind: Added · filter: support"
        )
        summaries = shown_summaries(app)
        assert summaries[0].startswith("Added support for configuring seccompProfile")
        assert summaries[1].startswith("Added support for FrontendTLSValidation")


async def test_keys_that_filter_do_not_fire_while_typing() -> None:
    app = bundled_app()
    async with running(app, size=SIZE) as pilot:
        await pilot.press("slash", *"t2]0", "enter")
        assert app.screen.query_one(FilterBar).value == "t2]0"
        assert "kind:" not in status_text(app)
        assert "area:" not in status_text(app)


async def test_clicking_a_tree_node_filters() -> None:
    app = bundled_app()
    async with running(app, size=SIZE) as pilot:
        tree = app.screen.query_one(SectionTree)
        security = next(
            node for node in tree.root.children[0].children if str(node.label).startswith("Sec")
        )
        await pilot.click(SectionTree, offset=(6, security.line - int(tree.scroll_offset.y)))
        await pilot.pause()
        assert status_text(app) == "7 of 47 entries · release: 1.28.0 Change Notes · area: Security"
        assert len(shown_summaries(app)) == 7
        assert tree.cursor_node is security

        # The release node: every area of that release.
        release = tree.root.children[0]
        tree.select_node(release)
        await pilot.pause()
        assert status_text(app) == "47 of 47 entries · release: 1.28.0 Change Notes"

        tree.select_node(tree.root)
        await pilot.pause()
        assert status_text(app) == "47 of 47 entries"


# Opening links.


async def test_o_opens_the_single_issue_in_the_browser() -> None:
    system = FakeSystem()
    app = bundled_app(system)
    async with running(app, size=SIZE) as pilot:
        await pilot.press("o")
        await settle(pilot)
        assert system.opened == [FIRST_ISSUE]
        assert messages(app)[-1] == f"Opened {FIRST_ISSUE}"
        # Enter on the list opens too.
        await pilot.press("down", "enter")
        await settle(pilot)
        assert system.opened == [FIRST_ISSUE]  # The second entry has no link: nothing opens.
        await pilot.press("down", "enter")
        assert isinstance(app.screen, LinkPicker)


async def test_several_links_open_a_picker() -> None:
    system = FakeSystem()
    app = bundled_app(system)
    async with running(app, size=SIZE) as pilot:
        select_entry(app, is_cookie_entry)
        await pilot.pause()
        await pilot.press("o")
        assert isinstance(app.screen, LinkPicker)
        assert [link.url for link in app.screen.links] == list(COOKIE_ISSUES)
        await pilot.press("2")
        await settle(pilot)
        assert not isinstance(app.screen, LinkPicker)
        assert system.opened == [COOKIE_ISSUES[1]]

        # Escape cancels; arrows and enter choose.
        await pilot.press("o")
        assert isinstance(app.screen, LinkPicker)
        await pilot.press("escape")
        await settle(pilot)
        assert system.opened == [COOKIE_ISSUES[1]]
        await pilot.press("o", "down", "enter")
        await settle(pilot)
        assert system.opened == [COOKIE_ISSUES[1], COOKIE_ISSUES[1]]
        await pilot.press("o", "enter")
        await settle(pilot)
        assert system.opened[-1] == COOKIE_ISSUES[0]


async def test_unsafe_urls_are_refused() -> None:
    system = FakeSystem()
    app = bundled_app(system)
    async with running(app, size=SIZE) as pilot:
        app.open_link("javascript:alert(1)")
        await settle(pilot)
        assert system.opened == []
        assert system.planned == []
        assert notifications(app)[-1].severity == "warning"
        assert "Refused to open 'javascript:alert(1)'" in messages(app)[-1]


async def test_an_entry_with_an_unsafe_link_never_reaches_the_browser() -> None:
    release = with_entry_replaced(
        bundled_releases()[0], 1, links=(Link("javascript:alert(document.cookie)", "evil"),)
    )
    system = FakeSystem()
    app = NotesApp([release], system=system)
    async with running(app, size=SIZE) as pilot:
        await pilot.press("down", "o")
        await settle(pilot)
        assert system.opened == []
        assert messages(app)[-1].startswith("Refused to open 'javascript:")


async def test_when_no_browser_opens_the_url_is_copied() -> None:
    system = FakeSystem(browser_works=False)
    app = bundled_app(system)
    async with running(app, size=SIZE) as pilot:
        await pilot.press("o")
        await settle(pilot)
        assert system.opened == [FIRST_ISSUE]
        assert system.copied == [FIRST_ISSUE]
        assert system.copied_on_main_thread == [False]
        assert app.clipboard == FIRST_ISSUE
        assert notifications(app)[-1].severity == "warning"
        assert messages(app)[-1] == (
            f"No browser could open it; copied the URL instead: {FIRST_ISSUE}"
        )


async def test_a_console_browser_without_a_terminal_to_hand_over_copies_the_url() -> None:
    # A console browser (lynx in $BROWSER) needs the terminal; a headless or served app
    # cannot suspend, so the URL is copied instead of the app failing.
    system = FakeSystem(console=True)
    app = bundled_app(system)
    async with running(app, size=SIZE) as pilot:
        await pilot.press("o")
        await settle(pilot)
        assert app.is_running
        assert system.opened == []
        assert system.copied == [FIRST_ISSUE]
        assert messages(app)[-1].startswith("No browser could open it; copied the URL instead")


# Copying.


async def test_y_copies_the_entry_issue_urls() -> None:
    system = FakeSystem()
    app = bundled_app(system)
    async with running(app, size=SIZE) as pilot:
        await pilot.press("y")
        await settle(pilot)  # the native copy runs in a thread
        assert system.copied == [FIRST_ISSUE]
        assert system.copied_on_main_thread == [False]  # the clipboard tool may take a while
        assert app.clipboard == FIRST_ISSUE
        assert messages(app)[-1] == "Copied 1 issue URL"

        select_entry(app, is_cookie_entry)
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)  # the native copy runs in a thread
        assert system.copied[-1] == "\n".join(COOKIE_ISSUES)
        assert messages(app)[-1] == "Copied 2 issue URLs"


async def test_copy_without_a_native_clipboard_says_so() -> None:
    system = FakeSystem(clipboard_works=False)
    app = bundled_app(system)
    async with running(app, size=SIZE) as pilot:
        await pilot.press("y")
        await settle(pilot)  # the native copy runs in a thread
        assert app.clipboard == FIRST_ISSUE
        assert messages(app)[-1] == "Copied 1 issue URL (through the terminal)"


async def test_shift_y_copies_every_shown_issue_url_once_in_order() -> None:
    system = FakeSystem()
    app = bundled_app(system)
    async with running(app, size=SIZE) as pilot:
        await pilot.press("slash", *"ztunnel", "enter", "Y")
        await settle(pilot)  # the native copy runs in a thread
        assert system.copied == [
            "https://github.com/istio/istio/issues/56251\n"
            "https://github.com/istio/api/issues/56877\n"
            "https://github.com/istio/istio/issues/57530"
        ]
        assert messages(app)[-1] == "Copied 3 issue URLs"

        # Security: issue 43966 is on two entries and is copied once.
        await pilot.press("slash", "escape", "2", "Y")
        await settle(pilot)  # the native copy runs in a thread
        urls = system.copied[-1].split("\n")
        assert urls == [
            "https://github.com/istio/istio/issues/43966",
            "https://github.com/istio/api/issues/56877",
            "https://github.com/istio/istio/issues/57004",
            "https://github.com/istio/istio/issues/56873",
        ]
        assert messages(app)[-1] == "Copied 4 issue URLs"
        expected = list(
            dict.fromkeys(ref.url for entry in entry_list(app).entries for ref in entry.issues)
        )
        assert urls == expected


async def test_c_copies_the_entry_markdown() -> None:
    system = FakeSystem()
    app = bundled_app(system)
    async with running(app, size=SIZE) as pilot:
        await pilot.press("c")
        await settle(pilot)  # the native copy runs in a thread
        assert system.copied == [
            f"**Promoted** Istio dual-stack support to beta.\n([Issue #54127]({FIRST_ISSUE}))"
        ]
        assert messages(app)[-1] == "Copied the entry's Markdown"


async def test_open_and_copy_are_disabled_without_a_link() -> None:
    system = FakeSystem()
    app = bundled_app(system)
    async with running(app, size=SIZE) as pilot:
        select_entry(app, is_x_forwarded_entry)
        await pilot.pause()
        screen = app.screen
        # Disabled, the keys shown dimmed.
        assert screen.check_action("copy_issues", ()) is None
        assert screen.check_action("open", ()) is None
        assert screen.check_action("copy_markdown", ()) is True
        await pilot.press("y", "o")
        await settle(pilot)
        assert system.copied == []
        assert system.opened == []
        assert app.clipboard == ""
        assert not isinstance(app.screen, LinkPicker)
        assert messages(app) == []

        # An entry with a link but no issue: `o` works, `y` does not.
        select_entry(app, lambda entry: entry.summary.startswith("Removed use of MD5"))
        await pilot.pause()
        assert screen.check_action("copy_issues", ()) is None
        assert screen.check_action("open", ()) is True


async def test_nothing_to_copy_or_open_when_no_entry_matches() -> None:
    system = FakeSystem()
    app = bundled_app(system)
    async with running(app, size=SIZE) as pilot:
        await pilot.press("slash", *"zzzz", "enter")
        assert status_text(app) == "0 of 47 entries · filter: zzzz"
        assert shown_summaries(app) == []
        for action in ("open", "copy_issues", "copy_all_issues", "copy_markdown"):
            assert app.screen.check_action(action, ()) is None
        await pilot.press("o", "y", "Y", "c")
        await settle(pilot)
        assert system.copied == [] and system.opened == []
        assert str(app.screen.query_one("#detail-header", Static).content) == "No entry matches."


# Help, keymaps and the command palette.


def help_text(app: NotesApp) -> str:
    assert isinstance(app.screen, HelpScreen)
    return "\n".join(str(static.content) for static in app.screen.query(Static))


async def test_question_mark_and_f1_open_the_help() -> None:
    app = bundled_app()
    async with running(app, size=SIZE) as pilot:
        for key in ("question_mark", "f1"):
            await pilot.press(key)
            assert isinstance(app.screen, HelpScreen)
            text = help_text(app)
            assert "y  " in text and "Copy the entry's issue URLs" in text
            assert "area:sec" in text and "#57530" in text
            await pilot.press("escape")
            assert not isinstance(app.screen, HelpScreen)
            assert status_text(app) == "47 of 47 entries"


async def test_a_keymap_moves_a_binding_and_the_help_follows() -> None:
    system = FakeSystem()
    app = bundled_app(system)
    async with running(app, size=SIZE) as pilot:
        app.set_keymap({"copy-issues": "x"})
        await pilot.press("y")
        assert system.copied == []
        await pilot.press("x")
        assert system.copied == [FIRST_ISSUE]
        await pilot.press("question_mark")
        rows = help_text(app).splitlines()
        row = next(line for line in rows if "Copy the entry's issue URLs" in line)
        assert row.split()[0] == "x"


async def test_command_palette_filters_by_area() -> None:
    app = bundled_app()
    async with running(app, size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"Security")

        def offered() -> bool:
            commands = app.screen.query_one(CommandList)
            return commands.option_count > 0 and "Filter by area: Security" in str(
                commands.get_option_at_index(0).prompt
            )

        await wait_for(pilot, offered)
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, CommandPalette))
        await wait_for(pilot, lambda: len(shown_summaries(app)) == 7)
        assert status_text(app) == "7 of 47 entries · area: Security"


# Layout and safety.


async def test_small_terminal_layout() -> None:
    app = bundled_app()
    async with running(app, size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.has_class("-narrow")
        assert not app.screen.query_one(SectionTree).display
        entries = entry_list(app)
        assert entries.region.height >= 3
        assert len(entries.entries) == 47
        # Everything fits the screen's width: the issue numbers and the detail are not cut off.
        assert entries.region.right <= 80
        assert app.screen.query_one(EntryDetail).region.right <= 80
        assert rendered_row(app, 0).strip().startswith("Promoted   Promoted Istio dual-stack")
        assert rendered_row(app, 0).rstrip().endswith("#54127")
        assert app.screen.query_one(EntryDetail).region.height >= 3
        # Growing the terminal brings the tree back.
        await pilot.resize_terminal(160, 50)
        await pilot.pause()
        assert not app.screen.has_class("-narrow")
        assert app.screen.query_one(SectionTree).display


MARKUP_NOTES = """\
# Markup test notes

## Traffic Management

- **Added** [@click=app.quit]click[/] \x1b[31mred [b]x[/b] and [link=https://evil.example]y[/link]
"""


async def test_markup_in_entries_shows_literally_and_does_nothing() -> None:
    releases = releases_from_markdown(MARKUP_NOTES)
    system = FakeSystem()
    app = NotesApp(releases, system=system)
    async with running(app, size=SIZE) as pilot:
        row = rendered_row(app, 0)
        assert "[@click=app.quit]click[/]" in row
        assert "[b]x[/b]" in row
        assert "\x1b" not in row and "?[31mred" in row
        assert "[link=https://evil.example]y[/link]" in entry_list(app).entries[0].summary
        # Clicking the row, then the detail pane, runs no action hidden in the text.
        await pilot.click(type(entry_list(app)), offset=(20, 0))
        await pilot.click(type(entry_list(app)), offset=(20, 0))
        detail = app.screen.query_one(EntryDetail)
        for y in range(1, 8):
            await pilot.click(EntryDetail, offset=(12, y))
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None
        assert isinstance(app.screen, MainScreen)
        assert detail.entry is not None
        header = str(app.screen.query_one("#detail-header", Static).content)
        assert "Traffic Management" in header and "\x1b" not in header
        # On the terminal: the list row and the detail pane both show the brackets as text.
        painted = "\n".join(screen_lines(app))
        assert painted.count("[@click=app.quit]click[/] ?[31mred") == 2
        assert "\x1b" not in painted
        assert system.opened == []


async def test_problems_met_before_the_app_started_are_shown_in_it() -> None:
    # Printed on standard error before the app took the screen, they were hidden by it.
    problem = "notes.md:3: invalid UTF-8; undecodable bytes shown as \ufffd"
    app = NotesApp(list(bundled_releases()), system=FakeSystem(), warnings=[problem])
    async with running(app, size=SIZE) as pilot:
        await pilot.pause()
        assert messages(app) == [f"1 problem(s) while reading; the first: {problem}"]
        assert notifications(app)[-1].severity == "warning"
    assert app.load_warnings == [problem]  # The command line prints them once it has quit.
