"""The base of smstui's dialogs: its bindings in the user's language, the app typed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar

from textual.binding import ActiveBinding
from textual.screen import ModalScreen

from ..strings import localise_bindings, localised_bindings

if TYPE_CHECKING:
    from ..app import SmsApp

R = TypeVar("R")


class Dialog(ModalScreen[R], Generic[R]):
    """A modal dialog of smstui."""

    if TYPE_CHECKING:

        @property
        def app(self) -> SmsApp:  # type: ignore[override]
            """The running smstui app."""
            ...

    def on_mount(self) -> None:
        localise_bindings(self, self.app.strings)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The bindings the footer and the help show, Textual's own in the user's language too."""
        return localised_bindings(super().active_bindings, self.app.strings)
