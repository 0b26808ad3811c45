"""An MMS being prepared: subject, numbers, slides (text, picture, duration); its size, its problems, its pictures
made to fit, its package — and the draft kept on disk (owner-only) so it survives a restart."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import protocol as p
from ..runtime.files import OWNER_ONLY, private_dir
from ..runtime.locations import data_dir
from .mms_fit import Fitted, Picture, PictureError, decode_picture, fit_pictures, fits_as_is

DEFAULT_SECONDS = p.tms.DEFAULT_SLIDE_MS // 1000
MAX_SECONDS = 60
MAX_SLIDES = 20
DRAFT_VERSION = 1


@dataclass
class DraftSlide:
    """One slide: its text, its picture (and the bytes the package carries of it), how many seconds it shows."""

    text: str = ""
    seconds: int = DEFAULT_SECONDS
    picture: Picture | None = None
    fitted: Fitted | None = None

    @property
    def text_part(self) -> str:
        """The text the package carries (none for blank text)."""
        return self.text if self.text.strip() else ""

    def shape(self) -> p.SlideShape:
        """What its size depends on (a picture not fitted yet counts its name, no bytes)."""
        text = self.text_part
        image_type = self.fitted.type if self.fitted else ("jpg" if self.picture and self.picture.as_jpeg else
                                                            self.picture.file_type if self.picture else None)
        return p.SlideShape(p.text_bytes(text) if text else 0, image_type,
                            len(self.fitted.data) if self.fitted else 0, self.seconds * 1000)

    @property
    def empty(self) -> bool:
        """Neither text nor picture."""
        return not self.text_part and self.picture is None


@dataclass
class MmsDraft:
    """The MMS being prepared."""

    subject: str = ""
    recipients: str = ""
    slides: list[DraftSlide] = field(default_factory=lambda: [DraftSlide()])

    def copy(self) -> MmsDraft:
        """A copy whose slides can change without changing these (pictures are shared: they do not change)."""
        return replace(self, slides=[replace(slide) for slide in self.slides])

    def size(self, limit: int = p.MAX_MMS_BYTES) -> p.MmsSize:
        """The exact size of the package as it stands, part by part."""
        return p.mms_size([slide.shape() for slide in self.slides], limit)

    def pictures(self) -> list[tuple[int, Picture]]:
        """Each slide's picture, by slide number (1-based)."""
        return [(n, slide.picture) for n, slide in enumerate(self.slides, 1) if slide.picture is not None]

    @property
    def fitted(self) -> bool:
        """Whether every picture has the bytes the package will carry."""
        return all(slide.fitted is not None for slide in self.slides if slide.picture is not None)

    def room(self, limit: int = p.MAX_MMS_BYTES) -> int:
        """The bytes the package leaves for the pictures' data: the limit less names, headers, texts and the SMIL."""
        return limit - self.size(limit).fixed

    def refit(self, limit: int = p.MAX_MMS_BYTES) -> None:
        """Make every picture fit what the package leaves; PictureError (naming the slide) when they cannot."""
        fitted = fit_pictures(self.pictures(), self.room(limit))
        for number, slide in enumerate(self.slides, 1):
            slide.fitted = fitted.get(number)

    def keeps(self, index: int, picture: Picture, limit: int = p.MAX_MMS_BYTES) -> bool:
        """Whether a GIF or PNG could go on slide `index` (0-based) as it is, beside the other pictures."""
        trial = self.copy()
        trial.slides[index] = replace(trial.slides[index], picture=picture, fitted=picture.kept())
        others = [pic for n, pic in trial.pictures() if n != index + 1]
        return fits_as_is(picture, others, trial.room(limit))

    def room_beside(self, index: int, picture: Picture, limit: int = p.MAX_MMS_BYTES) -> int:
        """The bytes a picture on slide `index` (0-based) could have as it is: what the package leaves, less the
        fewest the other pictures can take."""
        trial = self.copy()
        trial.slides[index] = replace(trial.slides[index], picture=picture, fitted=picture.kept())
        others = [pic for n, pic in trial.pictures() if n != index + 1]
        return max(trial.room(limit) - sum(other.floor() for other in others), 0)

    def problems(self, limit: int = p.MAX_MMS_BYTES, size: p.MmsSize | None = None) -> list[p.Problem]:
        """What stands in the way of sending it, slide by slide (and the subject, and the size)."""
        found: list[p.Problem] = []
        if not self.subject.strip():
            found.append(p.Problem("mms_subject_empty", "an MMS needs a subject", code=3001))
        elif broken := p.broken_characters(self.subject):
            found.append(p.Problem("mms_subject_broken", "the subject holds broken characters (half an emoji); "
                                   "retype them", params={"characters": broken}))
        for number, slide in enumerate(self.slides, 1):
            found += slide_problems(slide, number)
        size = size or self.size(limit)
        if not size.fits and self.fitted:
            found.append(p.Problem("mms_too_big", f"the package has {size.total:,} bytes, {-size.left:,} over the "
                                   f"limit of {limit:,}", params={"size": f"{size.total:,}", "over": f"{-size.left:,}",
                                                                  "limit": f"{limit:,}"}))
        return found

    def to_slides(self) -> list[p.Slide]:
        """The slides as the packer takes them."""
        return [p.Slide(slide.text_part, slide.fitted.data if slide.fitted else b"", slide.seconds * 1000)
                for slide in self.slides]

    def package(self, limit: int = p.MAX_MMS_BYTES) -> bytes:
        """The TMS package (TmsError when it cannot be packed)."""
        return p.pack_mms(self.to_slides(), limit)


def slide_problems(slide: DraftSlide, number: int) -> list[p.Problem]:
    """What is wrong with one slide: nothing on it, or text GBK cannot carry."""
    where: dict[str, object] = {"slide": number}
    if slide.empty:
        return [p.Problem("mms_slide_empty", f"slide {number} has neither text nor picture: write something, "
                          "attach a picture or remove the slide", params=where)]
    text = slide.text_part
    if text and (bad := p.content.unencodable(text)):
        return [p.Problem("mms_text_gbk", f"slide {number}, text: {p.content.describe_characters(bad)} cannot be "
                          "written in GBK (MMS text); remove or replace them",
                          params={**where, "characters": p.content.describe_characters(bad)})]
    return []


# -- the draft on disk ----------------------------------------------------------------------------------------------

class DraftStore:
    """The one MMS draft, in the app's data directory: `draft.json` and the pictures' files, all owner-only."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or data_dir() / "mms-draft"

    @property
    def path(self) -> Path:
        """The draft's JSON file."""
        return self.directory / "draft.json"

    def save(self, draft: MmsDraft) -> None:
        """Write the draft (each picture's files once, then the JSON in one rename); forget files no longer used."""
        private_dir(self.directory)
        used = {self.path.name}
        slides = []
        for slide in draft.slides:
            entry: dict[str, Any] = {"text": slide.text, "seconds": slide.seconds}
            picture = slide.picture
            if picture is not None:
                base = f"{picture.key}.base.png"
                if not (self.directory / base).exists():
                    self._write(base, picture.png())
                used.add(base)
                original = None
                if picture.original is not None:
                    original = f"{picture.key}.{picture.file_type}"
                    self._write_once(original, picture.original)
                    used.add(original)
                entry["picture"] = {"name": picture.name, "source": picture.source, "type": picture.file_type,
                                    "size": list(picture.size), "frames": picture.frames, "key": picture.key,
                                    "as_jpeg": picture.as_jpeg, "base": base, "original": original}
            if slide.fitted is not None:
                if picture is not None and slide.fitted.data == picture.original:
                    name = f"{picture.key}.{picture.file_type}"  # kept as it is: the original's file
                else:
                    name = f"{hashlib.sha256(slide.fitted.data).hexdigest()[:20]}.fit.{slide.fitted.type}"
                    self._write_once(name, slide.fitted.data)
                used.add(name)
                entry["fitted"] = {"file": name, "type": slide.fitted.type, "quality": slide.fitted.quality}
            slides.append(entry)
        body = {"version": DRAFT_VERSION, "subject": draft.subject, "recipients": draft.recipients, "slides": slides}
        try:
            text = json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")
        except UnicodeEncodeError:  # half an emoji typed: kept as a \u escape, which reads back the same
            text = json.dumps(body, indent=1).encode("ascii")
        self._write(self.path.name, text)
        for file in self.directory.iterdir():
            if file.name not in used and not file.name.endswith(".broken"):
                with contextlib.suppress(OSError):
                    file.unlink()

    def load(self) -> MmsDraft | None:
        """The saved draft (None when there is none); DraftError when it cannot be read (it is set aside, kept)."""
        try:
            body = json.loads(self.path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise self._broken(str(exc)) from None
        try:
            return MmsDraft(str(body["subject"]), str(body.get("recipients", "")),
                            [self._slide(entry) for entry in body["slides"]] or [DraftSlide()])
        except (KeyError, TypeError, ValueError, OSError, PictureError) as exc:
            raise self._broken(str(exc)) from None

    def _slide(self, entry: dict[str, Any]) -> DraftSlide:
        slide = DraftSlide(str(entry.get("text", "")), _seconds(entry.get("seconds", DEFAULT_SECONDS)))
        info = entry.get("picture")
        if info:
            original = (self.directory / info["original"]).read_bytes() if info.get("original") else None
            base = decode_picture((self.directory / info["base"]).read_bytes(), info["name"]).base
            slide.picture = Picture(info["name"], info["source"], info["type"], tuple(info["size"]), base, original,
                                    int(info["frames"]), info["key"], bool(info["as_jpeg"]))
        fitted = entry.get("fitted")
        if fitted and slide.picture is not None:
            data = (self.directory / fitted["file"]).read_bytes()
            if p.image_type(data) != fitted["type"]:
                raise ValueError(f"{fitted['file']} is not a {fitted['type']} picture")
            slide.fitted = Fitted(data, fitted["type"], fitted["quality"])
        return slide

    def _broken(self, reason: str) -> DraftError:
        """Set a draft that cannot be read aside (never deleted) and say so."""
        aside = self.path.with_name("draft.json.broken")
        with contextlib.suppress(OSError):
            os.replace(self.path, aside)
        return DraftError(f"the saved MMS draft cannot be read ({reason}); it was set aside as {aside}", str(aside))

    def _write_once(self, name: str, data: bytes) -> None:
        if not (self.directory / name).exists():
            self._write(name, data)

    def _write(self, name: str, data: bytes) -> None:
        """Write a file whole, owner-only, then rename it into place."""
        final = self.directory / name
        temporary = final.with_name(f".{name}.tmp")
        descriptor = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, OWNER_ONLY)
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
        os.chmod(temporary, OWNER_ONLY)
        os.replace(temporary, final)


class DraftError(Exception):
    """A saved draft that could not be read; it was set aside at `aside`."""

    def __init__(self, message: str, aside: str) -> None:
        super().__init__(message)
        self.message = message
        self.aside = aside


def _seconds(value: object) -> int:
    seconds = int(str(value))
    return min(max(seconds, 1), MAX_SECONDS)
