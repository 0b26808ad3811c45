"""Helpers for the TUI tests: the real app on a seeded, frozen-clock demo simulator."""

from __future__ import annotations

import io

from textual.widgets import Input, TextArea
from textual.worker import WorkerCancelled

from smstui.tui import DemoLauncher, DemoSettings, make_app
from support.simulators import SIM_START as START


def demo_app(language: str = "en", **settings):
    """The app as `smstui --demo` builds it, but seeded, with a frozen clock and an in-memory store."""
    options = {"seed": 7, "clock": "frozen", "start_time": START, "store_path": ":memory:", "poll_interval": 3600.0,
               **settings}
    app = make_app(DemoLauncher(DemoSettings(**options), language=language), language=language)
    app.animation_level = "none"
    return app


async def until_ready(pilot) -> None:
    """Wait until the service is open, the balance is shown and every worker is done; stop cursors blinking."""
    app = pilot.app
    for _ in range(200):
        await pilot.pause(0.02)
        if app.service is not None and app.status.balance is not None:
            break
    await settle(pilot)


async def settle(pilot) -> None:
    """Let workers finish and the screen redraw; no blinking cursors in pictures."""
    app = pilot.app
    for _ in range(20):
        try:
            await app.workers.wait_for_complete()
            break
        except WorkerCancelled:  # an exclusive worker a newer one replaced (a reload on arrivals): wait for that one
            continue
    await pilot.pause()
    for widget in app.screen.query("TextArea, Input"):
        widget.cursor_blink = False
    await pilot.pause()


async def type_into(pilot, selector: str, text: str) -> None:
    """Put text into a TextArea or Input the way a paste does, then let the screen react."""
    widget = pilot.app.screen.query_one(selector)
    if isinstance(widget, TextArea):
        widget.load_text(text)
    elif isinstance(widget, Input):
        widget.value = text
    await settle(pilot)


def text_of(app, selector: str) -> str:
    """What a widget of the current screen shows, as plain text."""
    return str(app.screen.query_one(selector).render())


async def wait_until(pilot, condition, rounds: int = 100, workers: bool = True) -> bool:
    """Let the app run until the condition holds (without waiting on workers when they must still be running)."""
    for _ in range(rounds):
        if workers:
            await settle(pilot)
        else:
            await pilot.pause(0.05)
        if condition():
            return True
    return False


def in_16_colours(app):
    """The app whose screenshots show what a 16-colour terminal (TERM=xterm) shows: every colour downgraded."""
    from rich.color import ColorSystem
    from rich.console import Console
    from rich.segment import Segment, Segments
    from rich.style import Style

    def downgraded(style: Style | None) -> Style | None:
        if style is None:
            return None
        color = style.color.downgrade(ColorSystem.STANDARD) if style.color else None
        bgcolor = style.bgcolor.downgrade(ColorSystem.STANDARD) if style.bgcolor else None
        return style + Style.from_color(color, bgcolor)

    def export_screenshot(*, title: str | None = None, simplify: bool = False) -> str:
        width, height = app.size
        console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                          color_system="truecolor", record=True, legacy_windows=False, safe_box=False)
        render = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens,
                                                      simplify=simplify)
        segments = [Segment(s.text, downgraded(s.style), s.control) for s in console.render(render)]
        console.print(Segments(segments), end="")
        return console.export_svg(title=title or app.title)

    app.export_screenshot = export_screenshot
    return app


async def send_that_stops(pilot, mobiles: list[str], content: str, after: int, chunk_size: int = 10) -> None:
    """Send from Compose in requests of `chunk_size` numbers, stopped once `after` of them are answered (as Esc or
    a crash leaves it: the rest journaled, unsent); returns with the result dialog open."""
    from smstui.service import SendProgress
    from smstui.tui.sending import ConfirmSend, SendResultScreen

    app = pilot.app
    service = app.service
    service.sender.settings.chunk_size = chunk_size
    service.sender.settings.concurrency = 1
    stop = service.bus.subscribe(lambda event: service.cancel(event.send_id)
                                 if isinstance(event, SendProgress) and event.chunks_done == after else None)
    try:
        await type_into(pilot, "#recipients", "\n".join(mobiles))
        await type_into(pilot, "#content", content)
        await pilot.press("f9")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmSend))
        await pilot.click("#yes")
        assert await wait_until(pilot, lambda: isinstance(app.screen, SendResultScreen))
    finally:
        stop()
