"""The main screen's key actions: filter keys (area, kind, the bar) and open and copy."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.notifications import Notification, Notify

from notes_tui.messages import CopyText, OpenLink
from notes_tui.model import Entry
from notes_tui.sanitize import clean_line
from notes_tui.screens.panes import PaneLayout
from notes_tui.screens.picker import LinkPicker
from notes_tui.session import Session
from notes_tui.widgets.entry_detail import numbered_links
from notes_tui.widgets.entry_list import EntryList
from notes_tui.widgets.filter_bar import FilterBar


def issue_urls(entries: list[Entry]) -> list[str]:
    """The issue URLs of entries, without duplicates, in order.

    Args:
        entries: The entries.

    Returns:
        URLs.
    """
    return list(dict.fromkeys(ref.url for entry in entries for ref in entry.issues))


class ScreenActions(PaneLayout):
    """The main screen's keys and what they do, on the state the screen holds (`MainScreen`)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: the app runs it as the key arrives, so that keys right behind `/` (typed
        # fast, pasted) already go to the bar rather than to the list the focus is leaving.
        Binding("slash", "focus_filter", "Filter", id="focus-filter", priority=True),
        Binding("t", "cycle_kind", "Kind", id="cycle-kind"),
        Binding("left_square_bracket", "step_area(-1)", "Prev area", show=False, id="prev-area"),
        Binding("right_square_bracket", "step_area(1)", "Next area", show=False, id="next-area"),
        *(
            Binding(str(n), f"select_area({n})", f"Area {n}", show=False, id=f"area-{n}")
            for n in range(10)
        ),
        Binding("o", "open", "Open", id="open-issue"),
        Binding("enter", "open", "Open", show=False, id="open-issue-enter"),
        Binding("y", "copy_issues", "Copy URL", id="copy-issues"),
        Binding("Y", "copy_all_issues", "Copy all", id="copy-all-issues"),
        Binding("c", "copy_markdown", "Copy MD", show=False, id="copy-markdown"),
    ]

    session: Session
    _entry_list: EntryList
    _filter_bar: FilterBar
    _choice_shown: Notification | None

    def _refresh_view(self) -> None:
        """Show the session as it now is (`MainScreen` does)."""
        raise NotImplementedError

    @property
    def current(self) -> Entry | None:
        """The highlighted entry."""
        return self._entry_list.highlighted

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """True: available. None: nothing to open or copy now, the key shown dimmed (so the
        footer keeps its layout as the cursor moves). False: not while typing a filter."""
        typing_disables = {"open", "select_area", "step_area", "cycle_kind", "focus_filter"}
        if action in typing_disables and isinstance(self.focused, FilterBar):
            return False
        if action in {"open", "copy_markdown", "copy_issues"}:
            entry = self.current
            if entry is None:
                return None
            if action == "open":
                return True if numbered_links(entry) else None
            if action == "copy_issues":
                return True if entry.issues else None
        if action == "copy_all_issues":
            return True if any(entry.issues for entry in self.session.visible) else None
        return True

    def action_focus_filter(self) -> None:
        # Focus at once, so keys typed right after `/` already reach the bar.
        self._filter_bar.ready_for_more()
        self.set_focus(self._filter_bar)

    def action_cycle_kind(self) -> None:
        chosen = self.session.cycle_kind()
        self._refresh_view()
        self._tell_choice(f"Kind: {chosen}")

    def action_select_area(self, number: int) -> None:
        chosen = self.session.select_area(number)
        if chosen is None:
            self.notify(f"There is no area {number}", severity="warning", timeout=2)
            return
        self._refresh_view()
        self._tell_choice(f"Area: {chosen}")

    def action_step_area(self, delta: int) -> None:
        chosen = self.session.step_area(delta)
        self._refresh_view()
        self._tell_choice(f"Area: {chosen}")

    def _tell_choice(self, message: str) -> None:
        """Show what an area or kind key chose, in place of the choice shown before.

        Pressing `t` five times shows the kind chosen last, not five notifications.
        """
        notifications = self.app._notifications
        if self._choice_shown is not None and self._choice_shown in notifications:
            self.app._unnotify(self._choice_shown)
        self._choice_shown = Notification(message, timeout=1.5, markup=False)
        self.app.post_message(Notify(self._choice_shown))

    def _tell_problems(self, problems: list[str]) -> None:
        """Notify how many problems reading the notes met, and the first."""
        self.notify(
            f"{len(problems)} problem(s) while reading; the first: {clean_line(problems[0])[:300]}",
            severity="warning",
            timeout=8,
            markup=False,
        )

    def set_kind(self, kind: str | None) -> None:
        """Choose a kind (from the command palette).

        Args:
            kind: The kind, or None for all.
        """
        self.session.set_kind(kind)
        self._refresh_view()

    def set_area(self, area_key: str | None) -> None:
        """Choose an area across releases (from the command palette).

        Args:
            area_key: The area key, or None for all.
        """
        self.session.set_scope((None, area_key))
        self._refresh_view()

    def action_open(self) -> None:
        entry = self.current
        if entry is None:
            return
        links = numbered_links(entry)
        if len(links) == 1:
            self.post_message(OpenLink(links[0].url))
            return

        def chosen(url: str | None) -> None:
            if url:
                self.post_message(OpenLink(url))

        self.app.push_screen(LinkPicker(links), chosen)

    def action_copy_issues(self) -> None:
        entry = self.current
        if entry is not None:
            urls = issue_urls([entry])
            self.post_message(CopyText("\n".join(urls), _plural(len(urls), "issue URL")))

    def action_copy_all_issues(self) -> None:
        urls = issue_urls(self.session.visible)
        self.post_message(CopyText("\n".join(urls), _plural(len(urls), "issue URL")))

    def action_copy_markdown(self) -> None:
        entry = self.current
        if entry is not None:
            self.post_message(CopyText(entry.markdown, "the entry's Markdown"))


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")
