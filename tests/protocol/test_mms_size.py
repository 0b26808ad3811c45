"""The size meter's figure is the packed size, part by part, without packing."""

import string

from hypothesis import given, settings
from hypothesis import strategies as st

import smstui.protocol as p

JPEG = b"\xff\xd8\xff\xe0" + b"j" * 100
GIF = b"GIF89a" + b"g" * 50
PNG = b"\x89PNG\r\n\x1a\n" + b"p" * 70


def test_the_figure_is_the_packed_size_and_names_every_part():
    slides = [p.Slide("新品上市", JPEG, 4000), p.Slide("", PNG), p.Slide("欢迎光临【星辰科技】", duration_ms=8000)]
    size = p.mms_size([p.SlideShape.of(s) for s in slides])
    packed = p.pack_mms(slides)
    assert size.total == len(packed) and size.fits and not size.near
    parts = p.unpack_tms(packed)
    assert [(x.name, x.slide, x.kind) for x in size.parts] == [
        ("1.jpg", 1, "image"), ("2.txt", 1, "text"), ("3.png", 2, "image"), ("4.txt", 3, "text"),
        ("mms.smil", 0, "smil")]
    assert [x.name for x in parts] == [x.name for x in size.parts]
    assert [x.data for x in size.parts] == [len(x.data) for x in parts]
    assert size.parts[1].data == len("新品上市".encode("gbk")) == 8
    assert size.of_slide(1) == size.parts[:2]
    assert size.fixed == size.total - len(JPEG) - len(PNG)


def test_over_and_near_the_limit():
    slides = [p.SlideShape(4, "jpg", 300_000)]
    size = p.mms_size(slides)
    assert size.fits and size.near and size.left == p.MAX_MMS_BYTES - size.total
    over = p.mms_size(slides, limit=200_000)
    assert not over.fits and over.left < 0
    assert p.mms_size([]).total == 0


def test_a_character_gbk_cannot_carry_counts_one_byte_and_is_refused_by_the_packer():
    assert p.text_bytes("a😀b") == 3
    assert p.text_bytes("彩信") == 4


texts = st.text(alphabet=string.ascii_letters + "新品上市，欢迎光临【】\n 0123456789", max_size=60)
images = st.sampled_from([b"", JPEG, GIF, PNG, JPEG * 3])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(texts, images, st.integers(1, 60)), min_size=1, max_size=8))
def test_the_figure_always_equals_the_packed_size(raw):
    slides = [p.Slide(text, image, seconds * 1000) for text, image, seconds in raw if text or image]
    if not slides:
        return
    size = p.mms_size([p.SlideShape.of(s) for s in slides], limit=10**9)
    assert size.total == len(p.pack_mms(slides, max_bytes=None))
