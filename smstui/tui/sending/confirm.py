"""The confirmation: what the preflight found, on fresh figures; held numbers only with a deliberate second step."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from ... import protocol as p
from ...service import MmsJob, Preflight
from ...words import held_text
from ..screens.modal import Dialog
from ..styles import ERROR, MUTED, STRONG, WARNING, Lines

SHOWN_HELD = 20


def _first_line(text: str, width: int = 40) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= width else line[: width - 1] + "…"


class ConfirmSend(Dialog[bool | None]):
    """Recipients, segments, cost, balance after, schedule, the message — and the explicit choice to send.

    Dismisses with False (send to the sendable numbers), True (also to the overridable held ones, after the second
    step), or None (do not send).
    """

    CSS_PATH = "sending.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="confirm.cancel"),
        Binding("alt+o", "include", "Include held", id="confirm.include", show=False),
    ]

    def __init__(self, preflight: Preflight) -> None:
        super().__init__()
        self.preflight = preflight

    def compose(self) -> ComposeResult:
        t = self.app.strings
        pf = self.preflight
        job = pf.job
        colon = t("colon")
        uniform = job.uniform_segments
        segments = str(pf.segments) if uniform is not None else t("confirm.segments.mixed", segments=pf.segments)
        after = pf.balance_after()
        freshness = t("confirm.fresh") if pf.balance_fresh else t("confirm.stale")
        after_text = t("confirm.unknown") if after is None else f"{after:,} ({freshness})"
        when = t("confirm.at", when=p.format_send_time(job.send_time)) if job.send_time else t("confirm.now")
        rows: list[tuple[str, str, str]] = [(t("confirm.recipients"), f"{len(pf.sendable):,}", STRONG),
                                             (t("confirm.held"), f"{len(pf.held):,}", STRONG)]
        if not job.mms:
            rows.append((t("confirm.segments"), segments, STRONG))
        rows += [(t("confirm.cost.mms" if job.mms else "confirm.cost"), f"{pf.cost:,}", STRONG),
                 (t("confirm.after"), after_text, f"bold {ERROR}" if pf.shortfall() else STRONG),
                 (t("confirm.when"), when, STRONG),
                 (t("confirm.via"), pf.channel + (f" · extno {job.extno}" if job.extno else ""), STRONG)]
        headline = job.headline
        rows.append((t("confirm.subject" if job.mms else "confirm.message"), _first_line(headline), ""))
        if isinstance(job, MmsJob):
            limit = self.app.service.mms_limit if self.app.service is not None else p.MAX_MMS_BYTES
            size = t("confirm.package.size", size=f"{len(job.package):,}", limit=f"{limit:,}")
            rows.append((t("confirm.package"), size, ""))
        if not job.mms:
            signature = p.find_signature(headline)
            rows.append(
                (t("confirm.signature"), f"【{signature.name}】" if signature else t("confirm.no_signature"), "")
            )
        body = Lines().rows(rows, colon)
        if short := pf.shortfall():
            body.line(t("confirm.short", short=f"{short:,}"), ERROR)
        for held in pf.held[:SHOWN_HELD]:
            body.line(f"‖ {held_text(t, held)}", WARNING)
        if len(pf.held) > SHOWN_HELD:
            body.line(f"  … +{len(pf.held) - SHOWN_HELD}", WARNING)
        if pf.overridable:
            why = {h.rule for h in pf.overridable}
            reason = "/".join(t(f"confirm.why.{rule}") for rule in sorted(why))
            body.line(t("confirm.include", count=len(pf.overridable), why=reason), MUTED)
        title = {"batch": "confirm.title.batch", "mms": "confirm.title.mms"}.get(job.KIND, "confirm.title")
        with Vertical(id="dialog"):
            yield Static(t(title), classes="title")
            with VerticalScroll(id="summary-box"):
                yield Static(body.content(), id="summary")
            with Horizontal(classes="buttons"):
                yield Button(t("confirm.send"), id="yes", variant="primary", disabled=not pf.sendable)
                yield Button(t("confirm.cancel"), id="no")

    def on_mount(self) -> None:
        super().on_mount()
        can = self.preflight.sendable and not self.preflight.shortfall()
        self.query_one("#yes" if can else "#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def handle_yes(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#no")
    def action_cancel(self) -> None:
        """Do not send."""
        self.dismiss(None)

    def action_include(self) -> None:
        """The second step before numbers that are held back are sent to: it names what it overrides."""
        if not self.preflight.overridable:
            self.app.bell()
            return
        self.app.push_screen(IncludeHeld(self.preflight), self._included)

    def _included(self, yes: bool | None) -> None:
        if yes:
            self.dismiss(True)


class IncludeHeld(Dialog[bool]):
    """Asks again before sending to opted-out numbers or numbers in doubt; Cancel has the focus."""

    CSS_PATH = "sending.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="override.cancel")]

    def __init__(self, preflight: Preflight) -> None:
        super().__init__()
        self.preflight = preflight

    def compose(self) -> ComposeResult:
        t = self.app.strings
        held = self.preflight.overridable
        optouts = sum(1 for h in held if h.rule == "optout")
        doubt = sum(1 for h in held if h.rule == "doubt")
        rules = len(self.preflight.held) - len(held)
        body = Lines()
        if optouts:
            body.line(t("override.optout", count=optouts), ERROR)
        if doubt:
            body.line(t("override.doubt", count=doubt), WARNING)
        if rules:
            body.line(t("override.rules", count=rules), MUTED)
        with Vertical(id="dialog"):
            yield Static(t("override.title"), classes="title")
            with VerticalScroll(id="summary-box"):
                yield Static(body.content(), id="override")
            with Horizontal(classes="buttons"):
                yield Button(t("override.no"), id="no", variant="primary")
                yield Button(t("override.yes", count=len(held)), id="yes", variant="error")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def handle_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_cancel(self) -> None:
        """Keep them held back."""
        self.dismiss(False)
