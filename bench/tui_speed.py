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

from tui_support import demo_app, settle, until_ready  # noqa: E402

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


MINIMAL = """
from textual.app import App
from textual.widgets import Footer, Header, Input
import time, sys
class Minimal(App):
    def compose(self):
        yield Header(); yield Input(); yield Footer()
    def on_ready(self):
        print(time.perf_counter() - START, file=sys.stderr); self.exit()
START = float(sys.argv[1])
Minimal().run(headless=True)
"""

DEMO = """
import time, sys
START = float(sys.argv[1])
from textual import events
from smstui.tui import make_app, DemoLauncher
app = make_app(DemoLauncher())
original = app.post_message
def hook(message):
    if isinstance(message, events.Ready):
        print(time.perf_counter() - START, file=sys.stderr)
        app.call_later(app.exit)
    return original(message)
app.post_message = hook
app.run(headless=True)
"""


def first_frame(script: str) -> float:
    times = []
    for _ in range(5):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", script, str(0)], capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        assert done.returncode == 0, done.stderr
    return statistics.median(times)


def main() -> None:
    off = asyncio.run(keystrokes(False))
    on = asyncio.run(keystrokes(True))
    print(f"keystroke in Compose, 1,000 chars: {on * 1000:.2f} ms with the counter vs {off * 1000:.2f} ms without "
          f"= {on / off:.2f}× (goal ≤ 1.15×)")
    minimal = first_frame(MINIMAL)
    demo = first_frame(DEMO)
    print(f"time to first frame (process start to ready): demo {demo:.2f}s vs minimal Textual app {minimal:.2f}s "
          f"= {demo / minimal:.2f}× (goal ≤ 1.5×)")


if __name__ == "__main__":
    main()
