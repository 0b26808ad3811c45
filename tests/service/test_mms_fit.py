"""Pictures made to fit: upright, scaled, the best JPEG quality that fits its share, GIF/PNG kept when they fit, and
every bad file told in words — never a traceback."""

import io
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from support.mms import big_gif, huge_png_header, logo_png, photo_jpeg, small_gif, write

import smstui.protocol as p
from smstui.service import DraftSlide, MmsDraft, PictureError, read_picture
from smstui.service.mms_fit import MAX_EDGE, QUALITY_MAX, decode_picture, fit_pictures


def test_a_12_megapixel_photo_is_turned_upright_scaled_and_fitted_to_its_share(tmp_path):
    data = photo_jpeg(orientation=6)  # the camera was held upright: the pixels lie on their side
    path = write(tmp_path, "photo.jpg", data)
    picture = read_picture(path)
    assert picture.size == (3000, 4000) and picture.megapixels == 12.0 and picture.as_jpeg
    assert picture.base.size == (MAX_EDGE * 3 // 4, MAX_EDGE)  # upright, longest side for handsets
    natural = len(picture.encode(QUALITY_MAX))
    share = natural // 2
    [(slide, fitted)] = fit_pictures([(1, picture)], share).items()
    assert slide == 1 and fitted.type == "jpg" and len(fitted.data) <= share
    assert fitted.quality is not None and fitted.quality < QUALITY_MAX
    assert len(picture.encode(fitted.quality + 1)) > share  # the highest quality that fits
    sent = Image.open(io.BytesIO(fitted.data))
    assert sent.size == (480, 640) and not sent.getexif().get(0x0112)  # upright for phones that ignore EXIF
    assert path.read_bytes() == data  # the original is never changed


def test_a_gif_or_png_that_fits_is_kept_as_it_is_and_one_that_does_not_is_not():
    logo = decode_picture(logo_png(), "logo.png")
    assert not logo.as_jpeg and logo.original == logo_png()
    draft = MmsDraft("新品", slides=[DraftSlide("你好")])
    assert draft.keeps(0, logo)
    animation = decode_picture(big_gif(), "sale.gif")
    assert animation.frames == 4 and len(big_gif()) > p.MAX_MMS_BYTES
    assert not draft.keeps(0, animation)
    photo = decode_picture(photo_jpeg(1600, 1200), "photo.jpg")
    beside = MmsDraft("新品", slides=[DraftSlide("你好"), DraftSlide(picture=photo)])
    room = beside.room_beside(0, animation)  # what the package leaves it, the photo at its lowest quality
    placed = MmsDraft("新品", slides=[DraftSlide("你好", picture=animation, fitted=animation.kept()),
                                    DraftSlide(picture=photo)])
    assert room == placed.room() - len(photo.encode(10)) < beside.room()
    assert beside.keeps(0, logo) and beside.room_beside(0, logo) > len(logo_png())
    animation.as_jpeg = True  # the offer taken: its first frame as a JPEG
    draft.slides[0].picture = animation
    draft.refit()
    assert draft.slides[0].fitted.type == "jpg" and draft.size().fits


def test_pictures_share_what_the_package_leaves_and_all_fit(tmp_path):
    pictures = [decode_picture(photo_jpeg(2000, 1500, seed), f"{seed}.jpg") for seed in (1, 2, 3)]
    draft = MmsDraft("新品", slides=[DraftSlide("第一页" * 50, picture=pictures[0]), DraftSlide(picture=pictures[1]),
                                      DraftSlide("第三页", picture=pictures[2]),
                                      DraftSlide(picture=decode_picture(small_gif(), "dot.gif"))])
    draft.refit(limit=120_000)
    size = draft.size(120_000)
    package = draft.package(120_000)
    assert size.fits and size.total == len(package) and size.total > 100_000  # the room is used, not wasted
    parts = p.check_tms(package, 120_000)
    assert [x.name for x in parts] == ["1.jpg", "2.txt", "3.jpg", "4.jpg", "5.txt", "6.gif", "mms.smil"]
    assert parts[5].data == small_gif()


def test_a_package_that_cannot_fit_even_at_the_lowest_quality_names_the_slide_and_the_picture():
    big = decode_picture(photo_jpeg(), "big.jpg")
    draft = MmsDraft("新品", slides=[DraftSlide("文字" * 200), DraftSlide(picture=big)])
    with pytest.raises(PictureError) as caught:
        draft.refit(limit=4_000)
    error = caught.value
    assert error.kind == "no_room" and error.slide == 2 and error.part == "big.jpg"
    assert str(error).startswith("slide 2, big.jpg: the pictures need at least")
    assert error.where_zh == "第 2 页 big.jpg" and "最低画质" in error.zh
    assert draft.slides[0].text == "文字" * 200  # nothing of the draft is lost


@pytest.mark.parametrize(("name", "data", "kind", "words"), [
    ("notes.jpg", b"hello, not a picture", "not_image", "not a picture"),
    ("cut.jpg", photo_jpeg(800, 600)[:5000], "damaged", "cut short or damaged"),
    ("cut.png", logo_png()[:200], "damaged", "cut short or damaged"),
    ("huge.png", huge_png_header(), "too_many_pixels", "50.0 megapixels (8660×5774)"),
    ("doc.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "not_image", "not a picture"),
])
def test_bad_files_are_told_in_words(tmp_path, name, data, kind, words):
    with pytest.raises(PictureError) as caught:
        read_picture(write(tmp_path, name, data))
    assert caught.value.kind == kind and words in caught.value.message and caught.value.part == name
    assert caught.value.zh and caught.value.at(3).where == f"slide 3, {name}"


def test_unreadable_paths_are_told_in_words(tmp_path):
    with pytest.raises(PictureError) as caught:
        read_picture(tmp_path / "missing.jpg")
    assert caught.value.kind == "unreadable" and "No such file" in caught.value.message
    with pytest.raises(PictureError) as caught:
        read_picture(tmp_path)
    assert caught.value.kind == "is_folder"
    if os.geteuid() != 0:  # root reads anything
        locked = write(tmp_path, "locked.jpg", photo_jpeg(80, 60))
        locked.chmod(0)
        with pytest.raises(PictureError):
            read_picture(locked)


def test_the_preview_is_small_and_keeps_the_aspect():
    picture = decode_picture(photo_jpeg(800, 400), "wide.jpg")
    preview = picture.preview()
    assert (preview.width, preview.height) == (64, 32) and len(preview.rows) == 32 and len(preview.rows[0]) == 64
    assert all(len(colour) == 3 for colour in preview.rows[0])
    small = picture.thumbnail(20, 20)
    assert (small.width, small.height) == (20, 10)


# -- property: whenever the meter says it fits, the real package fits, and the meter's figure is its size --------

@st.composite
def drafts(draw):
    slides = []
    for index in range(draw(st.integers(1, 4))):
        text = draw(st.text(alphabet="新品上市欢迎光临abc 123【】\n", max_size=1500))
        kind = draw(st.sampled_from(["none", "photo", "logo", "gif"]))
        picture = None
        if kind == "photo":
            w, h = draw(st.sampled_from([(320, 240), (640, 480), (1200, 900), (300, 700)]))
            picture = decode_picture(photo_jpeg(w, h, draw(st.integers(1, 4))), f"p{index}.jpg")
        elif kind == "logo":
            picture = decode_picture(logo_png(draw(st.sampled_from([40, 120]))), f"l{index}.png")
        elif kind == "gif":
            picture = decode_picture(small_gif(), f"g{index}.gif")
        slides.append(DraftSlide(text, draw(st.integers(1, 60)), picture))
    return MmsDraft("新品", slides=slides), draw(st.integers(2_000, 400_000))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drafts())
def test_the_meter_is_the_packed_size_and_a_fitted_package_fits(case):
    draft, limit = case
    try:
        draft.refit(limit)
    except PictureError as error:
        assert error.kind == "no_room" and error.slide >= 1
        return
    size = draft.size(limit)
    if any(slide.empty for slide in draft.slides):
        return
    package = draft.package(max(limit, size.total))
    assert size.total == len(package)
    if size.fits:
        assert len(package) <= limit
        assert [x.name for x in p.check_tms(package, limit)] == [x.name for x in size.parts]
    else:  # a fit that succeeded is within the limit, unless the texts alone are over it
        assert not draft.pictures() and size.fixed > limit
