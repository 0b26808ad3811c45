"""TUI speed: the app's own work per keystroke in Compose (process CPU over a few hundred keys, the simulator in its
own process) vs a bare Textual app with one TextArea typed into the same way (goal ≤ 1.15×); time to first frame
of the demo app vs a minimal Textual app with a header, footer and one input (goal ≤ 1.5×).

`pilot.press` waits a fixed time per key and walks every widget of the screen after each one; a wall-clock figure
measures that wait, not the app. Here keys go to the app as the terminal driver sends them, one every 20 ms (a fast
typist), and process CPU time counts only the work each app does for them: the edit, the counter, the checks, the
repaints.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from _simproc import simulator
from support.tui import settle
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import TextArea

KEYS = 300
ROUNDS = 3
PACE = 0.02  # seconds between keys
TEXT = "字" * 994 + "【星辰科技】"


class Bare(App[None]):
    """One soft-wrapped TextArea and nothing else, as large as Compose's: what any app pays for a keystroke."""

    def __init__(self, width: int, height: int) -> None:
        super().__init__()
        self.area_size = (width, height)

    def compose(self) -> ComposeResult:
        area = TextArea(TEXT, id="content", compact=True, soft_wrap=True)
        area.styles.width, area.styles.height = self.area_size
        yield area


async def cpu_per_key(app: App[None], ready) -> tuple[float, tuple[int, int]]:
    """Process CPU seconds per key while `KEYS` keys are typed at the end of the text; the text area's size."""
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        area = app.screen.query_one("#content", TextArea)
        area.load_text(TEXT)
        area.focus()
        area.move_cursor(area.document.end)
        await settle(pilot)
        driver = app._driver
        assert driver is not None
        before = len(area.text)
        start = time.process_time()
        for _ in range(KEYS):
            key = events.Key("x", "x")
            key.set_sender(app)
            driver.send_message(key)
            await asyncio.sleep(PACE)
        await pilot.pause()
        spent = time.process_time() - start
        assert len(area.text) == before + KEYS, "every key was typed"
        return spent / KEYS, (area.size.width, area.size.height)


def profile_app(url: str, store: Path):
    """The real app on a profile of the simulator process (no simulator, no pollers in this process)."""
    from smstui.service import AppConfig, Profile
    from smstui.tui import ProfileLauncher, make_app

    profile = Profile(name="bench", base_url=url, account="bench", userid="1", password="bench", poll_interval=86400)
    config = AppConfig(default_profile="bench", store_path=str(store), profiles={"bench": profile})
    app = make_app(ProfileLauncher(config))
    app.animation_level = "none"
    return app


async def until_compose(pilot) -> None:
    from smstui.tui.screens.compose import ComposeScreen

    for _ in range(400):
        await pilot.pause(0.02)
        if isinstance(pilot.app.screen, ComposeScreen) and pilot.app.status.balance is not None:
            break
    await settle(pilot)


async def bare_ready(pilot) -> None:
    await settle(pilot)


async def keystrokes() -> tuple[float, float]:
    with simulator() as url, tempfile.TemporaryDirectory() as tmp:
        apps, bares = [], []
        for round_ in range(ROUNDS):
            app, size = await cpu_per_key(profile_app(url, Path(tmp) / f"s{round_}.db"), until_compose)
            bare, _ = await cpu_per_key(Bare(*size), bare_ready)
            apps.append(app)
            bares.append(bare)
        return statistics.median(apps), statistics.median(bares)


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
    return [statistics.median(column) for column in zip(*samples, strict=True)]


def main() -> None:
    app, bare = asyncio.run(keystrokes())
    print(f"keystroke in Compose, 1,000 chars, process CPU: {app * 1000:.2f} ms per key vs {bare * 1000:.2f} ms for "
          f"a bare TextArea = {app / bare:.2f}× (goal ≤ 1.15×)")
    [minimal] = startup(MINIMAL)
    first, usable = startup(DEMO)
    print(f"time to first frame (spawn to Ready): demo {first:.2f}s vs minimal Textual app {minimal:.2f}s "
          f"= {first / minimal:.2f}× (goal ≤ 1.5×); Compose usable on the running simulator after {usable:.2f}s "
          f"= {usable / minimal:.2f}×")


if __name__ == "__main__":
    main()
