"""TUI speed: per-keystroke time in Compose with 1,000 characters of content vs the counter switched off (goal ≤ 1.15×);
time to first frame of the demo app vs a minimal Textual app with a header, footer and one input (goal ≤ 1.5×)."""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from tui_support import demo_app, settle, until_ready

KEYS = 200


async def keystrokes(live_counter: bool) -> float:
    app = demo_app()
    app.live_counter = live_counter
    async with app.run_test(size=(120, 40)) as pilot:
        await until_ready(pilot)
        area = app.screen.query_one("#content")
        area.load_text("字" * 994 + "【星辰科技】")
        area.focus()
        await settle(pilot)
        start = time.perf_counter()
        for _ in range(KEYS):
            await pilot.press("x")
        await pilot.pause()
        return (time.perf_counter() - start) / KEYS


# Each child prints the seconds from its spawn (the parent's wall clock, argv[1]) to the moment measured.
MINIMAL = """
import sys, time
SPAWNED = float(sys.argv[1])
from textual.app import App
from textual.widgets import Footer, Header, Input
class Minimal(App):
    def compose(self):
        yield Header(); yield Input(); yield Footer()
    def on_ready(self):
        print(time.time() - SPAWNED, file=sys.stderr); self.exit()
Minimal().run(headless=True)
"""

DEMO = """
import sys, time
SPAWNED = float(sys.argv[1])
from textual import events
from smstui.tui import make_app, DemoLauncher
app = make_app(DemoLauncher())
marks = []
original = app.post_message
def hook(message):
    if isinstance(message, events.Ready):
        marks.append(time.time() - SPAWNED)
        app.set_interval(0.005, usable)
    return original(message)
def usable():
    from smstui.tui.screens.compose import ComposeScreen
    if len(marks) == 1 and isinstance(app.screen, ComposeScreen) and app.screen.query("#counter"):
        marks.append(0.0)
        app.call_after_refresh(lambda: (marks.__setitem__(1, time.time() - SPAWNED), app.exit()))
app.post_message = hook
app.run(headless=True)
print(*marks, file=sys.stderr)
"""


def startup(script: str, runs: int = 7) -> list[float]:
    """The median of each figure the child prints, over several runs."""
    samples: list[list[float]] = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", script, repr(time.time())], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        samples.append([float(x) for x in done.stderr.strip().splitlines()[-1].split()])
    return [statistics.median(column) for column in zip(*samples)]


def main() -> None:
    off = asyncio.run(keystrokes(False))
    on = asyncio.run(keystrokes(True))
    print(f"keystroke in Compose, 1,000 chars: {on * 1000:.2f} ms with the counter vs {off * 1000:.2f} ms without "
          f"= {on / off:.2f}× (goal ≤ 1.15×)")
    [minimal] = startup(MINIMAL)
    first, usable = startup(DEMO)
    print(f"time to first frame (spawn to Ready): demo {first:.2f}s vs minimal Textual app {minimal:.2f}s "
          f"= {first / minimal:.2f}× (goal ≤ 1.5×); Compose usable on the running simulator after {usable:.2f}s "
          f"= {usable / minimal:.2f}×")


if __name__ == "__main__":
    main()
