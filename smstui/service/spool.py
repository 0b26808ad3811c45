"""Query bodies as they came off the wire, on local disk before anything parses them: a crash loses nothing read."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..runtime.files import OWNER_ONLY, private_dir

KINDS = ("reports", "uplinks", "push")


@dataclass(frozen=True, slots=True)
class Spooled:
    """A body kept on disk: the query that fetched it (None for a push or a body the store refused to keep), what
    kind it is (`reports`, `uplinks`, `push`), its format, where it lies."""

    path: Path
    query: int | None
    kind: str
    fmt: str

    def read(self) -> bytes:
        """The body."""
        return self.path.read_bytes()


class Spool:
    """A directory of bodies waiting to be stored; one file per query, written whole or not at all."""

    def __init__(self, directory: Path) -> None:
        self.directory = private_dir(directory)  # they hold customers' numbers: owner only

    def put(self, query: int | None, kind: str, fmt: str, body: bytes) -> Spooled:
        """Write a body (to a temporary name, then renamed: a crash mid-write leaves no half body behind)."""
        name = str(query) if query is not None else f"x{uuid.uuid4().hex}"
        final = self.directory / f"{name}.{kind}.{fmt}.body"
        part = final.with_suffix(".part")
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, OWNER_ONLY)
        with os.fdopen(fd, "wb") as out:
            out.write(body)
        os.replace(part, final)
        return Spooled(final, query, kind, fmt)

    def drop(self, spooled: Spooled) -> None:
        """Forget a body once it is stored."""
        spooled.path.unlink(missing_ok=True)

    def waiting(self) -> list[Spooled]:
        """Bodies a crash left behind, oldest query first (half-written ones are removed: they never counted)."""
        found = []
        for path in self.directory.glob("*.part"):
            path.unlink(missing_ok=True)
        for path in self.directory.glob("*.body"):
            name, _, rest = path.name.partition(".")
            kind, _, fmt = rest.removesuffix(".body").partition(".")
            if (name.isdigit() or name.startswith("x")) and kind in KINDS and fmt in ("xml", "json"):
                found.append(Spooled(path, int(name) if name.isdigit() else None, kind, fmt))
        return sorted(found, key=lambda spooled: (spooled.query is None, spooled.query or 0, spooled.path.name))
