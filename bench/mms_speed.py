"""MMS speed: fitting a 12-megapixel JPEG into its share of a package (read, turned upright, scaled, the best quality
found) vs one bare Pillow thumbnail-and-save of the same file at one quality (goal ≤ 4×); the app's work per keystroke
in a slide's text with the size meter (three slides, two pictures) vs the same keystrokes in Compose's text with its
counter (goal ≤ 1.2×), process CPU, the simulator in its own process.

Keys go to the app as the terminal driver sends them, one every 20 ms, and the figure is process CPU time (every
thread: a refit after typing stops counts too), as in tui_speed.py.
"""

from __future__ import annotations

import asyncio
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from _simproc import simulator
from PIL import Image
from support.mms import photo_jpeg, photo_png
from support.tui import settle
from textual import events
from textual.app import App
from textual.widgets import TextArea
from tui_speed import PACE, profile_app, until_compose

FIT_ROUNDS = 9
KEYS = 300
ROUNDS = 3
TEXT = "春季新品上市，全场八折。" * 40 + "【星辰科技】"  # 486 characters
BARE_QUALITY = 85


def fit_once(photo: Path, draft) -> int:
    """Read the photo and fit the draft it goes on (a fresh picture: nothing remembered); the bytes it got."""
    from smstui.service import read_picture

    picture = read_picture(photo)
    draft.slides[0].picture, draft.slides[0].fitted = picture, None
    draft.refit()
    fitted = draft.slides[0].fitted
    assert fitted is not None and draft.size().fits
    return len(fitted.data)


def bare_once(photo: Path) -> int:
    """One bare Pillow thumbnail and save at one quality: the least any fitting can do."""
    image = Image.open(photo)
    image.thumbnail((640, 640))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=BARE_QUALITY)
    return len(out.getvalue())


def fitting(folder: Path) -> tuple[float, float, int, int | None]:
    """Median seconds of a fit and of the bare save, the bytes of the fit and its quality."""
    from smstui.service import DraftSlide, MmsDraft
    from smstui.service.mms_fit import decode_picture

    photo = folder / "spring.jpg"
    photo.write_bytes(photo_jpeg(orientation=6))
    png = decode_picture(photo_png(), "shop.png")  # beside a PNG kept as it is, the photo gets what is left
    draft = MmsDraft("春季新品", slides=[DraftSlide("春季新品上市"), DraftSlide(picture=png), DraftSlide(TEXT)])
    draft.slides[1].fitted = png.kept()
    fits, bares = [], []
    size = 0
    for _ in range(FIT_ROUNDS):
        start = time.perf_counter()
        size = fit_once(photo, draft)
        fits.append(time.perf_counter() - start)
        start = time.perf_counter()
        bare_once(photo)
        bares.append(time.perf_counter() - start)
    fitted = draft.slides[0].fitted
    return statistics.median(fits), statistics.median(bares), size, fitted.quality if fitted else None


def saved_draft(folder: Path) -> None:
    """A prepared MMS in the app's draft (three slides, a fitted 12-MP photo and a PNG), as a user left it."""
    from smstui.service import DraftSlide, DraftStore, MmsDraft, read_picture

    photo = folder / "spring.jpg"
    photo.write_bytes(photo_jpeg(orientation=6))
    shop = folder / "shop.png"
    shop.write_bytes(photo_png())
    png = read_picture(shop)
    draft = MmsDraft("春季新品", "13900139000\n13700137000",
                     [DraftSlide("春季新品上市", picture=read_picture(photo)), DraftSlide(picture=png),
                      DraftSlide("欢迎光临【星辰科技】")])
    draft.refit()
    DraftStore().save(draft)


async def until_mms(pilot) -> None:
    from smstui.tui.screens.mms import MmsScreen

    await until_compose(pilot)
    await pilot.press("f4")
    for _ in range(400):
        await pilot.pause(0.02)
        screen = pilot.app.screen
        if isinstance(screen, MmsScreen) and screen.loaded and screen.draft.fitted and not screen._fitting:
            break
    screen = pilot.app.screen
    assert isinstance(screen, MmsScreen) and screen.draft.fitted, "the saved draft is loaded"
    screen.query_one("#slides").focus()
    await pilot.press("end")  # the third slide: text only
    await settle(pilot)


async def cpu_per_key(app: App[None], ready, selector: str) -> float:
    """Process CPU seconds per key while `KEYS` keys are typed at the end of a text, and the work after them."""
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        area = app.screen.query_one(selector, TextArea)
        area.load_text(TEXT)
        area.focus()
        area.move_cursor(area.document.end)
        await pilot.pause(1.0)
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
        await pilot.pause(0.6)  # what follows the typing: the MMS refits its pictures, both check the rules
        await settle(pilot)
        spent = time.process_time() - start
        assert len(area.text) == before + KEYS, "every key was typed"
        return spent / KEYS


async def keystrokes(folder: Path) -> tuple[float, float]:
    with simulator() as url:
        mms, compose = [], []
        for round_ in range(ROUNDS):
            mms.append(await cpu_per_key(profile_app(url, folder / f"m{round_}.db"), until_mms, "#slide-text"))
            compose.append(await cpu_per_key(profile_app(url, folder / f"c{round_}.db"), until_compose, "#content"))
        return statistics.median(mms), statistics.median(compose)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["XDG_DATA_HOME"] = str(folder / "data")  # the app's draft lives here, not in the user's own
        fit, bare, size, quality = fitting(folder)
        print(f"fitting a 12-megapixel JPEG into its share ({size:,} bytes at quality {quality}): {fit * 1000:.1f} ms "
              f"vs one bare Pillow thumbnail and save at quality {BARE_QUALITY} {bare * 1000:.1f} ms = "
              f"{fit / bare:.2f}× (goal ≤ 4×)")
        saved_draft(folder)
        mms, compose = asyncio.run(keystrokes(folder))
        print(f"keystroke in an MMS slide with the size meter (3 slides, 2 pictures), process CPU: {mms * 1000:.2f} ms "
              f"per key vs {compose * 1000:.2f} ms in Compose with its counter = {mms / compose:.2f}× (goal ≤ 1.2×)")


if __name__ == "__main__":
    main()
