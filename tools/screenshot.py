"""Save an SVG screenshot of the main view with the bundled notes: python tools/screenshot.py."""

from __future__ import annotations

import asyncio
from pathlib import Path

from notes_tui.app import NotesApp
from notes_tui.loading import load

OUT = Path(__file__).resolve().parents[1] / "assets" / "screenshot.svg"


async def main() -> None:
    """Open the app headless, filter to a few entries, and save the screen."""
    app = NotesApp(load([]).releases)
    async with app.run_test(size=(160, 40)) as pilot:
        while app.main is None or not app.main.panes_ready:
            await pilot.pause(0.02)
        await pilot.press("slash", *"gateway", "enter", "j")
        await pilot.pause(0.5)
        app.save_screenshot(filename=OUT.name, path=str(OUT.parent))
    print(f"saved {OUT}")


if __name__ == "__main__":
    asyncio.run(main())
