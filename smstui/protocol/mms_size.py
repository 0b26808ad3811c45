"""The size of an MMS package before it is packed: exact, part by part, from the slides' shapes (no bytes copied)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .tms import DEFAULT_SLIDE_MS, MAX_MMS_BYTES, SMIL_NAME, TEXT_ENCODING, Slide, build_smil, image_type, layout

PART_HEADER = 5  # the NUL after the name and the 4-byte size
NEAR_RATIO = 0.9  # a package this full is near the limit


def text_bytes(text: str) -> int:
    """The bytes a slide's text takes in its part (GBK; a character GBK cannot carry counts one, and is refused)."""
    return len(text.encode(TEXT_ENCODING, "replace"))


@dataclass(frozen=True, slots=True)
class SlideShape:
    """What the size of a slide depends on: its text's GBK bytes, its image's type and bytes, its duration."""

    text_bytes: int = 0
    image_type: str | None = None  # jpg, gif, png
    image_bytes: int = 0
    duration_ms: int = DEFAULT_SLIDE_MS

    @classmethod
    def of(cls, slide: Slide) -> SlideShape:
        """The shape of a slide as the packer takes it."""
        return cls(text_bytes(slide.text) if slide.text else 0, image_type(slide.image) if slide.image else None,
                   len(slide.image), slide.duration_ms)


@dataclass(frozen=True, slots=True)
class PartSize:
    """One part of the package: its name, the slide it belongs to (0: the SMIL), what it is, its data's bytes."""

    name: str
    slide: int
    kind: str  # text, image, smil
    data: int

    @property
    def total(self) -> int:
        """The bytes the part takes in the package: name, NUL, size, data."""
        return len(self.name) + PART_HEADER + self.data


@dataclass(frozen=True, slots=True)
class MmsSize:
    """The package's size, part by part, against the limit."""

    parts: tuple[PartSize, ...]
    limit: int = MAX_MMS_BYTES

    @property
    def total(self) -> int:
        """The packed size in bytes (what `len(pack_mms(...))` gives)."""
        return sum(part.total for part in self.parts)

    @property
    def left(self) -> int:
        """Bytes left under the limit (negative when over)."""
        return self.limit - self.total

    @property
    def fits(self) -> bool:
        """Whether the package is within the limit."""
        return self.total <= self.limit

    @property
    def near(self) -> bool:
        """Whether the package is close to the limit."""
        return self.total >= self.limit * NEAR_RATIO

    @property
    def fixed(self) -> int:
        """Everything but the images' data: names, part headers, the texts and the SMIL."""
        return self.total - sum(part.data for part in self.parts if part.kind == "image")

    def of_slide(self, number: int) -> tuple[PartSize, ...]:
        """The parts of one slide (1-based)."""
        return tuple(part for part in self.parts if part.slide == number)


def mms_size(slides: Sequence[SlideShape], limit: int = MAX_MMS_BYTES) -> MmsSize:
    """The exact size of the package of these slides, per part (no slides: nothing to pack, 0 bytes)."""
    if not slides:
        return MmsSize((), limit)
    names = layout([(s.image_type, s.text_bytes > 0, s.duration_ms) for s in slides])
    parts: list[PartSize] = []
    for number, (shape, named) in enumerate(zip(slides, names, strict=True), 1):
        if named.image:
            parts.append(PartSize(named.image, number, "image", shape.image_bytes))
        if named.text:
            parts.append(PartSize(named.text, number, "text", shape.text_bytes))
    parts.append(PartSize(SMIL_NAME, 0, "smil", len(build_smil(names).encode("utf-8"))))
    return MmsSize(tuple(parts), limit)
