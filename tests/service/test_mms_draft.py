"""A prepared MMS survives a restart: slides, subject, numbers and pictures on disk, owner-only; a broken draft is set
aside, never lost."""

import stat

import pytest
from support.mms import logo_png, photo_jpeg

import smstui.protocol as p
from smstui.service import DraftError, DraftSlide, DraftStore, MmsDraft
from smstui.service.mms_fit import decode_picture


def prepared() -> MmsDraft:
    draft = MmsDraft("新品上市", "13900139000\n13700137000", [
        DraftSlide("春季新品【星辰科技】", 4, decode_picture(photo_jpeg(1600, 1200, orientation=8), "spring.jpg")),
        DraftSlide("", 6, decode_picture(logo_png(), "logo.png")),
        DraftSlide("欢迎光临"),
    ])
    draft.refit()
    return draft


def test_a_saved_draft_comes_back_as_it_was_and_packs_the_same_bytes(tmp_path):
    store = DraftStore(tmp_path / "mms")
    assert store.load() is None
    draft = prepared()
    store.save(draft)
    back = store.load()
    assert back is not None
    assert (back.subject, back.recipients) == (draft.subject, draft.recipients)
    assert [(s.text, s.seconds) for s in back.slides] == [(s.text, s.seconds) for s in draft.slides]
    assert back.package() == draft.package()  # the same pictures, not fitted again
    spring = back.slides[0].picture
    assert spring.name == "spring.jpg" and spring.size == (1200, 1600) and spring.base.size == (480, 640)
    assert back.slides[1].picture.original == logo_png() and not back.slides[1].picture.as_jpeg
    back.refit(limit=60_000)  # what came back can be fitted again to a new room
    assert back.size(60_000).fits
    for file in store.directory.iterdir():
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    assert stat.S_IMODE(store.directory.stat().st_mode) == 0o700


def test_a_draft_with_half_an_emoji_is_kept_as_typed(tmp_path):
    store = DraftStore(tmp_path / "mms")
    store.save(MmsDraft("半个\ud83d", slides=[DraftSlide("表情\ud83d😀")]))
    back = store.load()
    assert back is not None and back.subject == "半个\ud83d" and back.slides[0].text == "表情\ud83d😀"
    assert [problem.kind for problem in back.problems()] == ["mms_subject_broken", "mms_text_gbk"]


def test_files_no_longer_used_are_removed_and_text_only_saves_write_only_the_json(tmp_path):
    store = DraftStore(tmp_path / "mms")
    draft = prepared()
    store.save(draft)
    pictures = {f.name for f in store.directory.iterdir()} - {"draft.json"}
    assert len(pictures) == 4  # two bases, the PNG as it is (also its part), the photo's fitted part
    draft.slides[2].text = "欢迎再次光临"
    store.save(draft)
    assert {f.name for f in store.directory.iterdir()} - {"draft.json"} == pictures
    del draft.slides[0]
    draft.refit()
    store.save(draft)
    left = {f.name for f in store.directory.iterdir()} - {"draft.json"}
    assert len(left) == 2 and left < pictures  # the photo's files are gone


@pytest.mark.parametrize("damage", [b"{not json", b'{"version": 1, "slides": "x"}',
                                    b'{"subject": "x", "slides": [{"picture": {"base": "gone.png"}}]}'])
def test_a_draft_that_cannot_be_read_is_set_aside_and_named(tmp_path, damage):
    store = DraftStore(tmp_path / "mms")
    store.save(MmsDraft("x"))
    store.path.write_bytes(damage)
    with pytest.raises(DraftError) as caught:
        store.load()
    assert "cannot be read" in caught.value.message and caught.value.aside.endswith("draft.json.broken")
    assert (store.directory / "draft.json.broken").read_bytes() == damage
    assert store.load() is None
    store.save(MmsDraft("y"))
    assert (store.directory / "draft.json.broken").exists()


def test_the_draft_names_its_problems_by_slide():
    draft = MmsDraft("", slides=[DraftSlide("ok"), DraftSlide("   "), DraftSlide("表情😀")])
    kinds = [(x.kind, x.params.get("slide")) for x in draft.problems()]
    assert kinds == [("mms_subject_empty", None), ("mms_slide_empty", 2), ("mms_text_gbk", 3)]
    draft.subject = "半个\ud83d"
    assert draft.problems()[0].kind == "mms_subject_broken"
    big = MmsDraft("x", slides=[DraftSlide("字" * 200_000)])
    [problem] = big.problems()
    assert problem.kind == "mms_too_big" and problem.params["limit"] == f"{p.MAX_MMS_BYTES:,}"
