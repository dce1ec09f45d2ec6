"""A small picker of an entry's links: choose one by number key or arrows."""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from notes_tui.model import Link
from notes_tui.sanitize import clean_line


class LinkPicker(ModalScreen[str | None]):
    """Lists links numbered as in the detail pane; dismisses with the chosen URL."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "cancel", "Cancel", id="picker-cancel"),
    ]

    def __init__(self, links: list[Link]) -> None:
        super().__init__()
        self.links = links

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(Content("Open which link? (number, or arrows and enter)"))
            options = []
            for number, link in enumerate(self.links, 1):
                label = clean_line(link.label)
                url = clean_line(link.url)
                text = f"{label} — {url}" if label != link.url else url
                options.append(Option(Content(f"[{number}] {text}"), id=str(number - 1)))
            yield OptionList(*options, id="picker-options")

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.links[int(event.option.id or 0)].url)

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit():
            number = int(event.character)
            if 1 <= number <= len(self.links):
                event.stop()
                self.dismiss(self.links[number - 1].url)

    def action_cancel(self) -> None:
        self.dismiss(None)
