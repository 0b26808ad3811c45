"""The account's templates, shared by every area: one list (and its index) from the gateway, every change told on
the bus, reviews watched until the gateway decides, and CSV import and export."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import protocol as p
from .batch_csv import guess_delimiter, line_cells, physical_lines, split_rows
from .batch_encoding import decode_text
from .batch_records import BatchFileError, LineProblem, Source
from .batch_workbook import is_workbook, read_workbook
from .batchfile import header_key
from .errors import GatewayRefused, InvalidInput, ServiceError, UnknownOutcome, Unreachable
from .events import EventBus
from .export import FORMULA_STARTS, Rows, defused, write_table

if TYPE_CHECKING:
    from .client import GatewayClient
    from .store import Store

REVIEW_FIRST = 10.0  # seconds before the gateway is asked again about a template under review
REVIEW_LONGEST = 120.0  # the longest wait between two looks (each look that finds nothing waits twice as long)
EXPORT_HEADERS = ("template_id", "status", "state", "text")
# Header names as compared (`header_key`: lower case, no spaces or punctuation): what names the text, the id, the state.
TEXT_HEADERS = frozenset({"template", "templates", "text", "content", "templatetext", "模板", "模板内容", "内容",
                          "短信内容", "报备内容", "报备模板", "模板文本", "範本", "範本內容", "內容"})
ID_HEADERS = frozenset({"templateid", "id", "模板id", "模板编号", "编号", "範本id"})
STATE_HEADERS = frozenset({"status", "state", "状态", "狀態"})
_SINGLE = "\x1f"  # a delimiter no text holds: a file without a header has one template per row, commas and all
# What stops an import at once: the next template would meet the same (no feature, credentials, the connection).
_ACCOUNT_CODES = frozenset({1002, 1003, 1004, 1005, 1006, 1007, 1119})


@dataclass(frozen=True, slots=True)
class Decided:
    """A template whose state the gateway changed: reviewed (enabled or returned), disabled, enabled again."""

    template: p.Template
    before: int


@dataclass(frozen=True, slots=True)
class TemplatesChanged:
    """The account's templates changed (refreshed, added, edited, deleted, decided): areas that show them reload."""

    profile: str
    version: int
    decided: tuple[Decided, ...] = ()
    reviewing: int = 0


@dataclass(frozen=True, slots=True)
class TemplateRow:
    """A template of an import file: its line, its text, and the id the file names (an export's), if any."""

    line: int
    text: str
    template_id: str = ""


@dataclass(frozen=True, slots=True)
class TemplateFile:
    """The templates of a file, every problem by its line, and how the file was read."""

    path: Path
    rows: tuple[TemplateRow, ...]
    findings: tuple[LineProblem, ...]
    source: Source


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """What importing a file would do: submit the new texts; the account has the others already; some cannot go."""

    file: TemplateFile
    new: tuple[TemplateRow, ...]
    present: tuple[tuple[TemplateRow, p.Template], ...]
    refused: tuple[LineProblem, ...]  # the file's findings and the texts the rules refuse, by line


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did: the ids of the texts submitted, the gateway's refusals, what stopped it before the end."""

    added: tuple[tuple[TemplateRow, str], ...]
    refused: tuple[tuple[TemplateRow, ServiceError], ...]
    stopped: ServiceError | None = None  # the failure that ended it: the rows after it were not submitted
    left: int = 0


class TemplateBook:
    """The templates of one account, as the gateway last said, shared by Compose's live match, the Templates area
    and the CLI; each change is published as `TemplatesChanged`."""

    def __init__(self, profile: str, account: str, client: GatewayClient, store: Store, bus: EventBus, *,
                 require_signature: bool = True, max_length: int = p.MAX_CONTENT_LENGTH,
                 clock: Callable[[], datetime] = p.beijing_now) -> None:
        self.profile = profile
        self.account = account
        self.client = client
        self.store = store
        self.bus = bus
        self.require_signature = require_signature
        self.max_length = max_length
        self.clock = clock
        self.templates: tuple[p.Template, ...] = ()
        self.index = p.TemplateIndex()
        self.version = 0
        self.fetched_at: datetime | None = None  # when the gateway last answered a query
        self.failure: ServiceError | None = None  # why the last query failed (None once one succeeds)
        self.review_first = REVIEW_FIRST
        self.review_longest = REVIEW_LONGEST
        self.review_wait = REVIEW_FIRST  # how long the watch waits now before it asks again
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._stored = False

    # -- the list ---------------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        """Whether the gateway has been asked (successfully) since the service opened."""
        return self.fetched_at is not None

    @property
    def reviewing(self) -> tuple[p.Template, ...]:
        """The templates under review."""
        return tuple(t for t in self.templates if t.status == p.TemplateStatus.REVIEW)

    def get(self, template_id: str) -> p.Template | None:
        """The template of that id."""
        return next((t for t in self.templates if t.template_id == template_id), None)

    def same_text(self, text: str, but: str = "") -> p.Template | None:
        """A template (other than `but`) that has exactly this text."""
        return next((t for t in self.templates if t.text == text and t.template_id != but), None)

    def match(self, content: str) -> p.Template | None:
        """The enabled template a content fits (the most specific), from the shared index."""
        return self.index.match(content)

    def check(self, text: str) -> list[p.Problem]:
        """What the rules say about a template text for this profile (the GBK check when it sends over GBK)."""
        return p.validate_template(text, require_signature=self.require_signature, max_length=self.max_length,
                                   gbk=self.client.transport == "gbk")

    async def stored(self) -> tuple[p.Template, ...]:
        """The templates the store kept (for an account not asked yet: the last list seen, no request made)."""
        if not self._stored and not self.loaded:
            self._stored = True
            kept = await self.store.templates(self.account)
            if kept and not self.loaded:
                self._set(tuple(kept))
        return self.templates

    async def refresh(self) -> tuple[Decided, ...]:
        """Ask the gateway for every template, remember them, and say which changed state since last seen."""
        async with self._lock:
            await self.stored()
            try:
                found = tuple(await self.client.query_templates())
            except ServiceError as exc:
                self.failure = exc
                raise
            await self.store.save_templates(self.account, found, replace_all=True)
            before = {t.template_id: t.status for t in self.templates}
            decided = tuple(Decided(t, before[t.template_id]) for t in found
                            if t.template_id in before and before[t.template_id] != t.status)
            self.fetched_at, self.failure = self.clock(), None
            if found != self.templates or decided or self.version == 0:
                self._set(found, decided)
            return decided

    async def add(self, text: str) -> str:
        """Submit a template for review (checked first: InvalidInput lists what is wrong); its id."""
        self._checked(text)
        async with self._lock:
            template_id = await self.client.add_template(text)
            template = p.Template(template_id, p.TemplateStatus.REVIEW, text)
            await self.store.save_templates(self.account, [template])
            self._set((*self.templates, template))
        return template_id

    async def update(self, template_id: str, text: str) -> None:
        """Change a template's text: it goes back to review (the same text again is refused: nothing is sent)."""
        self._checked(text)
        current = self.get(template_id)
        if current is not None and current.text == text:
            raise InvalidInput(f"template {template_id} already has this text; nothing was sent").words(
                "template_unchanged", id=template_id)
        async with self._lock:
            await self.client.update_template(template_id, text)
            template = p.Template(template_id, p.TemplateStatus.REVIEW, text)
            await self.store.save_templates(self.account, [template])
            kept = [t for t in self.templates if t.template_id != template_id]
            place = next((i for i, t in enumerate(self.templates) if t.template_id == template_id), len(kept))
            self._set((*kept[:place], template, *kept[place:]))

    async def delete(self, template_id: str) -> None:
        """Delete a template on the gateway and forget it."""
        async with self._lock:
            await self.client.delete_template(template_id)
            await self.store.forget_template(self.account, template_id)
            self._set(tuple(t for t in self.templates if t.template_id != template_id))

    def _checked(self, text: str) -> None:
        blocking = [problem for problem in self.check(text) if problem.blocking]
        if blocking:
            raise InvalidInput.of(blocking)

    def _set(self, templates: tuple[p.Template, ...], decided: tuple[Decided, ...] = ()) -> None:
        before = {t.template_id for t in self.reviewing}
        self.templates = templates
        self.index = p.TemplateIndex(templates)
        self.version += 1
        if any(t.template_id not in before for t in self.reviewing):
            self._wake.set()  # one more under review (submitted here, or found so): the watch looks soon
        self.bus.publish(TemplatesChanged(self.profile, self.version, decided, len(self.reviewing)))

    # -- reviews ----------------------------------------------------------------------------------

    async def watch_reviews(self, keep_going: Callable[[], bool] = lambda: True) -> None:
        """While a template is under review, ask the gateway again (soon at first, then less often, up to
        `review_longest`); while none is, wait until one is submitted. A failed look just waits longer."""
        self.review_wait = self.review_first
        while keep_going():
            if not self.reviewing:
                await self._wake.wait()
                self._wake.clear()
                self.review_wait = self.review_first
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.review_wait)
                self._wake.clear()
                self.review_wait = self.review_first  # another went to review: look again soon
                continue
            if not keep_going():
                return
            try:
                decided = await self.refresh()
            except ServiceError:
                decided = ()
            self.review_wait = self.review_first if decided else min(self.review_wait * 2, self.review_longest)

    # -- files ------------------------------------------------------------------------------------

    async def export(self, path: Path | str, fmt: str = "") -> int:
        """Write every template to a CSV (UTF-8 with BOM, cells defused) or XLSX file, atomically; how many."""
        templates = self.templates

        def shape(row: tuple[Any, ...]) -> tuple[Any, ...]:
            return tuple(defused(cell) for cell in row)

        async def produce(sink: Callable[[Rows], None]) -> int:
            sink([(t.template_id, int(t.status), _state(t.status), t.text) for t in templates])
            return len(templates)

        return await write_table(Path(path), EXPORT_HEADERS, produce, shape, fmt)

    def plan(self, file: TemplateFile) -> ImportPlan:
        """What importing would do: texts the account does not have are new (if the rules take them); the rest is
        there already. Importing never changes or deletes a template."""
        new, present, refused = [], [], list(file.findings)
        for row in file.rows:
            if (there := self.same_text(row.text)) is not None:
                present.append((row, there))
                continue
            blocking = [problem for problem in self.check(row.text) if problem.blocking]
            if blocking:
                refused.append(LineProblem.at(row.line, "template_invalid", "; ".join(x.message for x in blocking),
                                              problems=blocking))
            else:
                new.append(row)
        refused.sort(key=lambda finding: finding.line)
        return ImportPlan(file, tuple(new), tuple(present), tuple(refused))

    async def submit(self, plan: ImportPlan, progress: Callable[[int, int], None] | None = None) -> ImportResult:
        """Submit a plan's new texts one by one; a failure that would meet every next one (no template feature,
        credentials, the connection) stops it there. The list is asked for again at the end."""
        added: list[tuple[TemplateRow, str]] = []
        refused: list[tuple[TemplateRow, ServiceError]] = []
        stopped: ServiceError | None = None
        left = 0
        for done, row in enumerate(plan.new):
            try:
                added.append((row, await self.add(row.text)))
            except GatewayRefused as exc:
                if exc.code in _ACCOUNT_CODES:
                    stopped, left = exc, len(plan.new) - done
                    break
                refused.append((row, exc))
            except (Unreachable, UnknownOutcome) as exc:
                stopped, left = exc, len(plan.new) - done
                break
            except InvalidInput as exc:
                refused.append((row, exc))
            if progress is not None:
                progress(done + 1, len(plan.new))
        if added or stopped is not None:
            with contextlib.suppress(ServiceError):
                await self.refresh()  # an add whose answer was lost may be there after all
        return ImportResult(tuple(added), tuple(refused), stopped, left)


def _state(status: int) -> str:
    """A state in the English words of files and JSON (`under review`), or its number when it is a new one."""
    try:
        return p.TemplateStatus(status).label
    except ValueError:
        return str(status)


def read_template_file(path: Path | str) -> TemplateFile:
    """The templates of a CSV (UTF-8, GBK, UTF-16, …, as the batch reader decodes it) or XLSX file: a header row
    naming the text column (text, template, 模板, …; an export's own header too), or one template per row.

    BatchFileError (an InvalidInput) when the file cannot be read at all."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except (OSError, ValueError) as exc:
        why = getattr(exc, "strerror", None) or exc
        raise BatchFileError(path, f"cannot read ({why})", why=why) from None
    findings: list[LineProblem] = []
    if is_workbook(data):
        table, source = read_workbook(data, path)
    else:
        decoded = decode_text(data, path)
        lines = physical_lines(decoded.text)
        first = next((line for line in lines if line.strip()), "")
        delimiter = guess_delimiter(first, _known) if first else ","
        header = line_cells(first, delimiter)
        if len(header) < 2 or not _columns(header)[2]:
            delimiter = _SINGLE  # one column: the whole row is the text, whatever commas it holds
        table, findings = split_rows(lines, delimiter, lambda cells: False)
        source = Source("csv", decoded.encoding, decoded.guessed, delimiter if delimiter != _SINGLE else "")
    rows = _rows(table, findings, source.delimiter)
    if not rows and not findings:
        raise BatchFileError(path, "the file holds no template", kind="no_template")
    return TemplateFile(path, tuple(rows), tuple(sorted(findings, key=lambda f: f.line)), source)


def _known(cell: str) -> bool:
    key = header_key(cell)
    return key in TEXT_HEADERS or key in ID_HEADERS or key in STATE_HEADERS


def _columns(cells: list[str]) -> tuple[int, int | None, bool]:
    """The text column, the id column and whether the cells are a header that names the text."""
    keys = [header_key(cell) for cell in cells]
    text = next((i for i, key in enumerate(keys) if key in TEXT_HEADERS), None)
    found = next((i for i, key in enumerate(keys) if key in ID_HEADERS and i != text), None)
    return (text if text is not None else 0), found, text is not None


def _rows(table: list[tuple[int, list[str]]], findings: list[LineProblem], delimiter: str) -> list[TemplateRow]:
    """The templates of a table's rows (after its header, if it has one); empty and repeated texts are findings. A
    text in the last column keeps the delimiters an unquoted cell was cut at (the cut pieces are joined again)."""
    if not table:
        return []
    text_col, id_col, header = _columns(table[0][1])
    last = header and text_col == len(table[0][1]) - 1 and bool(delimiter)
    rows: list[TemplateRow] = []
    seen: dict[str, int] = {}
    for line, cells in table[1:] if header else table:
        cell = delimiter.join(cells[text_col:]) if last else cells[text_col] if len(cells) > text_col else ""
        text = _undefused(p.normalise_newlines(cell)).strip()
        template_id = cells[id_col].strip() if id_col is not None and len(cells) > id_col else ""
        if not text:
            findings.append(LineProblem.at(line, "template_empty", "no template text on this line"))
        elif text in seen:
            findings.append(LineProblem.at(line, "template_repeated", f"the same text as line {seen[text]}",
                                           first=seen[text]))
        else:
            seen[text] = line
            rows.append(TemplateRow(line, text, template_id))
    return rows


def _undefused(cell: str) -> str:
    """A cell as it was before an export defused it (`'@先生` → `@先生`)."""
    return cell[1:] if cell.startswith("'") and cell[1:2].startswith(FORMULA_STARTS) else cell
