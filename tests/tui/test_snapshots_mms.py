"""Pictures of the MMS area, deterministic: generated images, the seeded demo, a frozen clock, fixed sizes, both
languages — the empty packer, a full one with the meter near the limit, and the preview."""

import pytest
from support.mms import photo_jpeg, photo_png, write
from support.tui import demo_app, settle, type_into, until_ready, wait_until

SIZES = [(80, 24), (120, 40)]
LANGUAGES = ["en", "zh"]


def packer(full: bool = False, preview: bool = False):
    async def run_before(pilot):
        await until_ready(pilot)
        await pilot.press("f4")
        screen = pilot.app.screen
        await wait_until(pilot, lambda: screen.loaded)
        if full:
            await type_into(pilot, "#recipients", "13900139000\n+86 137 0013 7000")
            await type_into(pilot, "#subject", "春季新品上市")
            for index, (text, picture) in enumerate([("春季新品上市，全场八折", "spring.jpg"), ("", "shop.png"),
                                                     ("欢迎光临【星辰科技】", "summer.jpg")]):
                if index:
                    await pilot.press("alt+l")
                if text:
                    await type_into(pilot, "#slide-text", text)
                await type_into(pilot, "#picture", picture)
                screen.query_one("#picture").focus()
                await pilot.press("enter")
                await wait_until(pilot, lambda: not screen.attaching and not screen._fitting)
            await wait_until(pilot, lambda: screen.draft.fitted and not screen._fitting)
            screen.query_one("#slides").focus()
            await pilot.press("home")
        if preview:
            await pilot.press("alt+v")
        for _ in range(20):
            await settle(pilot)
    return run_before


@pytest.fixture
def pictures(tmp_path, monkeypatch):
    """The generated pictures, in the working directory (so the paths shown are the same on every machine)."""
    write(tmp_path, "spring.jpg", photo_jpeg(2000, 1500, 1, orientation=6))
    write(tmp_path, "summer.jpg", photo_jpeg(2000, 1500, 5))
    write(tmp_path, "shop.png", photo_png())
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_empty_packer(snap_compare, size, language):
    assert snap_compare(demo_app(language), terminal_size=size, run_before=packer())


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_full_packer_near_the_limit(snap_compare, pictures, size, language):
    assert snap_compare(demo_app(language), terminal_size=size, run_before=packer(full=True))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_preview(snap_compare, pictures, size, language):
    assert snap_compare(demo_app(language), terminal_size=size, run_before=packer(full=True, preview=True))
