"""The MMS area on the demo's simulator: slides with pictures made to fit, the meter equal to the package, the GIF
offer at attach time, bad input told by slide and part, the send through the shared flow, the draft across restarts."""

import io

from PIL import Image
from support.mms import accepted_packages, big_gif, huge_png_header, logo_png, photo_jpeg, photo_png, write
from support.tui import demo_app, settle, text_of, type_into, until_ready, wait_until
from textual.widgets import TextArea

import smstui.protocol as p
from smstui.tui.screens.ask import Ask
from smstui.tui.screens.mms import MmsScreen
from smstui.tui.screens.mms_dialogs import MmsPreview
from smstui.tui.sending import ConfirmSend, SendResultScreen

SIGNED = "【星辰科技】"


async def open_mms(pilot) -> MmsScreen:
    await until_ready(pilot)
    await pilot.press("f4")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MmsScreen)
    assert await wait_until(pilot, lambda: screen.loaded)
    return screen


async def attach(pilot, path) -> None:
    """Type a picture's path into the field and press Enter, as a user does."""
    await type_into(pilot, "#picture", str(path))
    pilot.app.screen.query_one("#picture").focus()
    await pilot.press("enter")
    screen = pilot.app.screen
    await wait_until(pilot, lambda: not isinstance(screen, MmsScreen) or (not screen.attaching and
                                                                            not screen._fitting))


async def test_three_slides_with_a_12_megapixel_photo_and_a_png_are_fitted_sent_and_unpacked(tmp_path):
    photo_file = write(tmp_path, "spring.jpg", photo_jpeg(orientation=6))
    png_file = write(tmp_path, "shop.png", photo_png())
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_mms(pilot)
        seen = accepted_packages(app.launcher.simulator)
        await type_into(pilot, "#recipients", "13900139000\n+86 137 0013 7000")
        await type_into(pilot, "#subject", "春季新品")
        await type_into(pilot, "#slide-text", "春季新品上市")
        await attach(pilot, photo_file)
        await pilot.press("alt+l")
        await attach(pilot, png_file)
        await pilot.press("alt+l")
        await type_into(pilot, "#slide-text", "欢迎光临" + SIGNED)
        assert await wait_until(pilot, lambda: screen.draft.fitted and not screen._fitting)
        draft = screen.draft
        size = draft.size()
        package = draft.package()
        assert size.fits and size.near and size.total == len(package) <= p.MAX_MMS_BYTES
        photo = draft.slides[0].fitted
        assert photo.type == "jpg" and photo.quality < 90  # made to fit beside the PNG, not merely scaled
        assert draft.slides[1].fitted.quality is None  # the PNG fits as it is
        assert f"{size.total:,} / 307,200 bytes" in text_of(app, "#meter")
        assert "Ready to send" in text_of(app, "#why") and "MMS balance 100 → 98" in text_of(app, "#balance")
        await pilot.press("f9")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmSend))
        assert "Send this MMS?" in text_of(app, ".title") and "春季新品" in text_of(app, "#summary")
        assert f"{len(package):,} of 307,200 bytes" in text_of(app, "#summary")
        await pilot.click("#yes")
        assert await wait_until(pilot, lambda: isinstance(app.screen, SendResultScreen))
        assert "2 of 2 accepted" in text_of(app, "#result")
        await pilot.press("escape")
        await settle(pilot)
        assert "MMS balance 98 → 96" in text_of(app, "#balance")  # the balance the gateway said is left
    [(subject, parts)] = seen
    assert subject == "春季新品"
    assert [x.name for x in parts] == ["1.jpg", "2.txt", "3.png", "4.txt", "mms.smil"]
    assert Image.open(io.BytesIO(parts[0].data)).size == (480, 640)  # upright for handsets, 640 at most
    assert parts[1].data.decode("gbk") == "春季新品上市" and parts[3].data.decode("gbk") == "欢迎光临" + SIGNED
    assert parts[2].data == photo_png()
    smil = parts[4].data.decode()
    assert smil.count("<par") == 3
    assert all(f'src="{name}"' in smil for name in ("1.jpg", "2.txt", "3.png", "4.txt"))
    assert smil.index("1.jpg") < smil.index("3.png") < smil.index("4.txt")
    task = next(iter(app.launcher.simulator.world.tasks.values())) if app.launcher.simulator else None
    assert task is None or task.kind == "mms"


async def test_a_gif_that_does_not_fit_is_refused_at_attach_time_with_the_jpeg_offer(tmp_path):
    gif_file = write(tmp_path, "sale.gif", big_gif())
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_mms(pilot)
        await type_into(pilot, "#slide-text", "限时促销")
        await attach(pilot, gif_file)
        assert isinstance(app.screen, Ask)
        body = text_of(app, "#ask-body")
        assert f"Slide 1: sale.gif has {len(big_gif()):,} bytes" in body and "first frame as a JPEG" in body
        assert "(4 frames) is lost" in body
        with_gif = p.mms_size([p.SlideShape(len("限时促销".encode("gbk")), "gif", 0)])  # the GIF's part, no data
        assert f"leaves it at most {with_gif.left:,} beside the texts" in body
        assert app.screen.query_one("#yes").region.bottom <= 24  # the buttons show at 80×24
        await pilot.press("escape")  # no: the slide stays as it was
        await settle(pilot)
        assert screen.draft.slides[0].picture is None and screen.draft.slides[0].text == "限时促销"
        await attach(pilot, gif_file)
        await pilot.click("#yes")
        assert await wait_until(pilot, lambda: screen.draft.fitted and not screen._fitting)
        fitted = screen.draft.slides[0].fitted
        assert fitted.type == "jpg" and screen.draft.size().fits
        assert gif_file.read_bytes() == big_gif()  # the original is never changed


async def test_bad_input_is_named_by_slide_and_part_and_the_draft_is_kept(tmp_path):
    notes = write(tmp_path, "notes.jpg", b"just words")
    cut = write(tmp_path, "cut.jpg", photo_jpeg(800, 600)[:4000])
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_mms(pilot)
        await type_into(pilot, "#recipients", "13900139000")
        await type_into(pilot, "#subject", "半个\ud83d")
        await type_into(pilot, "#slide-text", "第一页")
        await pilot.press("alt+l")
        await type_into(pilot, "#slide-text", "表情😀")
        await attach(pilot, notes)
        problems = text_of(app, "#problems")
        assert "broken characters" in problems
        assert "slide 2, text: '😀' (U+1F600) cannot be written in GBK" in problems
        assert "slide 2, notes.jpg: this is not a picture" in problems
        await attach(pilot, cut)
        assert "slide 2, cut.jpg: the picture is cut short or damaged" in text_of(app, "#problems")
        assert text_of(app, "#why").startswith("Cannot send")
        await pilot.press("f9")
        await settle(pilot)
        assert isinstance(app.screen, MmsScreen)  # nothing to confirm: nothing goes out
        assert [s.text for s in screen.draft.slides] == ["第一页", "表情😀"] and screen.draft.subject == "半个\ud83d"
        assert app.launcher.simulator.world.tasks == {}
        assert await wait_until(pilot, screen.store.path.exists)  # kept on disk as typed, half emoji too
        saved = screen.store.load()
        assert saved is not None and saved.subject == "半个\ud83d" and saved.slides[1].text == "表情😀"


async def test_the_meter_is_the_packed_size_on_every_keystroke():
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_mms(pilot)
        await type_into(pilot, "#subject", "新品")
        screen.query_one("#slide-text", TextArea).focus()
        for key in ["a", "b", "c", "space", "x"]:
            await pilot.press(key)
            size = screen.draft.size()
            assert size.total == len(screen.draft.package())
            assert text_of(app, "#meter").startswith(f"{size.total:,} / 307,200 bytes")
        assert screen.draft.slides[0].text == "abc x"


async def test_a_gateway_that_takes_less_has_its_limit_in_the_meter_the_fit_and_the_confirm(tmp_path):
    photo_file = write(tmp_path, "spring.jpg", photo_jpeg())
    app = demo_app(extra={"max_mms_bytes": 102_400})  # its profile says so too (max_mms_bytes)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_mms(pilot)
        seen = accepted_packages(app.launcher.simulator)
        await type_into(pilot, "#recipients", "13900139000")
        await type_into(pilot, "#subject", "春季新品")
        await attach(pilot, photo_file)
        assert await wait_until(pilot, lambda: screen.draft.fitted and not screen._fitting)
        size = screen.draft.size(102_400)
        assert size.limit == 102_400 and 60_000 < size.total <= 102_400  # made to fit this gateway's room
        assert f"{size.total:,} / 102,400 bytes" in text_of(app, "#meter")
        await pilot.press("f9")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmSend))
        assert "of 102,400 bytes" in text_of(app, "#summary")
        await pilot.click("#yes")
        assert await wait_until(pilot, lambda: isinstance(app.screen, SendResultScreen))
    assert len(seen) == 1  # and the gateway, which refuses more than 102,400, took it


async def test_slides_are_added_moved_and_removed_and_the_layout_follows(tmp_path):
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_mms(pilot)
        await type_into(pilot, "#slide-text", "一")
        await pilot.press("alt+l")
        await type_into(pilot, "#slide-text", "二")
        await pilot.press("alt+l")
        await type_into(pilot, "#slide-text", "三")
        await pilot.press("alt+up")
        await settle(pilot)
        assert [s.text for s in screen.draft.slides] == ["一", "三", "二"] and screen.current == 1
        await pilot.press("alt+d")  # it has text: asked first, Cancel focused
        assert isinstance(app.screen, Ask)
        await pilot.press("enter")
        await settle(pilot)
        assert len(screen.draft.slides) == 3
        await pilot.press("alt+d")
        assert await wait_until(pilot, lambda: isinstance(app.screen, Ask) and app.focused.id == "no")
        await pilot.press("left", "enter")  # the arrows go from button to button
        await settle(pilot)
        assert [s.text for s in screen.draft.slides] == ["一", "二"]
        parts = p.unpack_tms(screen.draft.package())
        assert [x.data for x in parts[:2]] == ["一".encode("gbk"), "二".encode("gbk")]
        await pilot.press("alt+v")
        await settle(pilot)
        assert isinstance(app.screen, MmsPreview)
        assert "Slide 2 · 5 s" in str(app.screen.query(".preview-slide").last().render())


async def test_a_prepared_mms_survives_a_restart(tmp_path):
    photo_file = write(tmp_path, "spring.jpg", photo_jpeg(1600, 1200))
    first = demo_app()
    async with first.run_test(size=(120, 40)) as pilot:
        screen = await open_mms(pilot)
        await type_into(pilot, "#recipients", "13900139000")
        await type_into(pilot, "#subject", "春季新品")
        await type_into(pilot, "#slide-text", "春季新品上市")
        await attach(pilot, photo_file)
        await pilot.press("alt+l")
        await type_into(pilot, "#slide-text", "欢迎光临")
        package = screen.draft.package()
        assert await wait_until(pilot, lambda: screen.store.path.exists() and b"\\u6b22" not in
                                screen.store.path.read_bytes() and "欢迎光临" in screen.store.path.read_text())
    photo_file.unlink()  # the draft keeps its own copy of what it needs
    second = demo_app("zh")
    async with second.run_test(size=(120, 40)) as pilot:
        screen = await open_mms(pilot)
        await settle(pilot)
        assert screen.draft.subject == "春季新品"
        assert [s.text for s in screen.draft.slides] == ["春季新品上市", "欢迎光临"]
        assert screen.draft.package() == package
        assert screen.query_one("#subject").value == "春季新品"
        assert "q90 spring.j" in text_of(second, "#parts") and "第 1 / 2 页" in text_of(second, "#slide-label")


async def test_a_scheduled_mms_holds_back_an_opted_out_number_and_costs_a_point_per_recipient(tmp_path):
    logo_file = write(tmp_path, "logo.png", logo_png())
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_mms(pilot)
        await app.service.add_optout("13700137000")
        await type_into(pilot, "#recipients", "13900139000\n13700137000\n13600136000")
        await type_into(pilot, "#subject", "周末活动")
        await type_into(pilot, "#slide-text", "周末店庆" + SIGNED)
        await attach(pilot, logo_file)
        await type_into(pilot, "#schedule", "2026-03-02 10:00:00")
        assert screen.draft.slides[0].fitted.data == logo_png()  # a small PNG goes as it is
        assert await wait_until(pilot, lambda: "13700137000" in text_of(app, "#problems"))
        assert "2026-03-02 10:00:00 Beijing" in text_of(app, "#problems")
        assert "MMS balance 100 → 97 (cost 3)" in text_of(app, "#balance")
        await pilot.press("f9")
        assert await wait_until(pilot, lambda: isinstance(app.screen, ConfirmSend))
        await pilot.click("#yes")
        assert await wait_until(pilot, lambda: isinstance(app.screen, SendResultScreen))
        await pilot.press("escape")
        await settle(pilot)
        [task] = app.launcher.simulator.world.tasks.values()
        assert task.kind == "mms" and task.subject == "周末活动"
        assert sorted(task.recipients) == ["13600136000", "13900139000"]  # the opted-out number held back
        assert task.cost == 2 and f"{task.send_at:%Y-%m-%d %H:%M:%S}" == "2026-03-02 10:00:00"
        assert "MMS balance 98" in text_of(app, "#balance")


async def test_a_50_megapixel_picture_and_a_package_that_cannot_fit_are_named_and_the_draft_is_kept(tmp_path):
    huge = write(tmp_path, "huge.png", huge_png_header())
    shop = write(tmp_path, "shop.png", photo_png())
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_mms(pilot)
        await type_into(pilot, "#recipients", "13900139000")
        await type_into(pilot, "#subject", "新品")
        await attach(pilot, huge)
        assert "slide 1, huge.png: 50.0 megapixels (8660×5774)" in text_of(app, "#problems")
        assert screen.draft.slides[0].picture is None
        await attach(pilot, shop)  # it fits as it is…
        assert screen.draft.slides[0].fitted.quality is None and screen.draft.size().fits
        await type_into(pilot, "#slide-text", "新品上市" * 14_000)  # …until a long text leaves it no room
        assert await wait_until(pilot, lambda: screen.fit_error is not None)
        problems = text_of(app, "#problems")
        assert f"slide 1, shop.png: the pictures need at least {len(photo_png()):,} bytes" in problems
        assert text_of(app, "#why").startswith("Cannot send") and screen.query_one("#send").disabled
        assert screen.draft.slides[0].text == "新品上市" * 14_000 and screen.draft.slides[0].picture is not None
        await pilot.press("alt+j")  # as a JPEG made to fit, it goes
        assert await wait_until(pilot, lambda: screen.draft.fitted and not screen._fitting and not screen.fit_error)
        assert screen.draft.slides[0].fitted.type == "jpg" and screen.draft.size().fits
        assert "Ready to send" in text_of(app, "#why")


async def test_the_picture_path_completes_with_tab(tmp_path, monkeypatch):
    folder = tmp_path / "photos"
    folder.mkdir()
    write(folder, "spring-sale.jpg", photo_jpeg(800, 600))
    write(folder, "notes.txt", b"not a picture")
    monkeypatch.chdir(tmp_path)
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_mms(pilot)
        field = screen.query_one("#picture")
        field.focus()
        for key in "pho":
            await pilot.press(key)
        assert await wait_until(pilot, lambda: field._suggestion == "photos/", workers=False)
        await pilot.press("tab")
        assert field.value == "photos/"
        await pilot.press("s")
        assert await wait_until(pilot, lambda: field._suggestion == "photos/spring-sale.jpg", workers=False)
        await pilot.press("tab", "enter")
        assert await wait_until(pilot, lambda: screen.draft.fitted and screen.draft.slides[0].picture is not None)
        assert screen.draft.slides[0].picture.name == "spring-sale.jpg"


async def test_the_parts_of_the_slide_being_edited_stay_in_view_at_80x24():
    app = demo_app("zh")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_mms(pilot)
        for number in range(1, 9):
            if number > 1:
                await pilot.press("alt+l")
            await type_into(pilot, "#slide-text", f"第{number}页")
        box = screen.query_one("#parts-box")
        assert len(screen.draft.size().parts) == 9 and box.size.height == 6  # more parts than rows: it scrolls
        assert box.scroll_y > 0 and "▸8.txt" in text_of(app, "#parts")
        screen.query_one("#slides").focus()
        await pilot.press("home")
        await settle(pilot)
        assert screen.current == 0 and box.scroll_y == 0
        assert str(screen.query_one("#slides").get_option_at_index(0).prompt) == " 1 5秒 第1页"


async def test_at_80x24_a_long_reason_takes_two_lines_and_send_stays_in_view():
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_mms(pilot)
        await type_into(pilot, "#recipients", "13900139000")
        await type_into(pilot, "#subject", "新品")
        await type_into(pilot, "#slide-text", "表情😀 " * 3)
        why = text_of(app, "#why")
        assert why.startswith("Cannot send: slide 1, text:") and why.endswith("…") and len(why.splitlines()) == 2
        assert "remove or replace them" in text_of(app, "#problems")  # the whole of it is there
        assert screen.query_one("#send").region.bottom <= 24 - 2  # above the footer


async def test_what_was_typed_just_before_quitting_is_in_the_draft():
    first = demo_app()
    async with first.run_test(size=(80, 24)) as pilot:
        screen = await open_mms(pilot)
        await type_into(pilot, "#subject", "新品")
        screen.query_one("#slide-text", TextArea).focus()
        await pilot.press("a", "b", "c")
        await pilot.press("ctrl+q")  # at once: well within the second the draft waits for more typing
    second = demo_app()
    async with second.run_test(size=(80, 24)) as pilot:
        screen = await open_mms(pilot)
        assert screen.draft.subject == "新品" and screen.draft.slides[0].text == "abc"
