"""Templates changed (refreshed, added, edited, deleted, reviewed): every area hears it through the app's data
versions, and a review the gateway decided is told once, whichever area is on screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from .template_view import short

if TYPE_CHECKING:
    from ...service import SmsService
    from ..app import SmsApp

_LISTENING: WeakKeyDictionary[SmsApp, tuple[SmsService, Callable[[], None]]] = WeakKeyDictionary()
_SEVERITY = {1: "information", 2: "warning", 3: "information", 4: "error"}


def listen(app: SmsApp) -> None:
    """Hear the open service's template changes (once per service; a new profile's service replaces the old)."""
    service = app.service
    if service is None:
        return
    current = _LISTENING.get(app)
    if current is not None and current[0] is service:
        return
    if current is not None:
        current[1]()

    def heard(event: object) -> None:
        from ...service import TemplatesChanged

        if not isinstance(event, TemplatesChanged) or app.service is not service:
            return
        app.data_changed("templates")
        t = app.strings
        for decided in event.decided:
            status = int(decided.template.status)
            app.notify(t("templates.decided.body", text=short(decided.template.text, 40),
                         id=decided.template.template_id, hint=t.get(f"templates.hint.{status}", "")),
                       title=t.get(f"templates.decided.{status}", t("templates.decided.other")),
                       severity=_SEVERITY.get(status, "information"), timeout=10)  # type: ignore[arg-type]

    _LISTENING[app] = (service, service.bus.subscribe(heard))

