"""The error types of the protocol layer: one per kind of failure."""

from __future__ import annotations


class GatewayReplyError(Exception):
    """A reply from the gateway that could not be understood; keeps the raw body."""

    def __init__(self, reason: str, raw: bytes | str = b"") -> None:
        super().__init__(reason)
        self.reason = reason
        self.raw = raw if isinstance(raw, bytes) else raw.encode("utf-8", "replace")

    def raw_text(self, limit: int = 2000) -> str:
        """The raw body as text for people, cut to `limit` characters."""
        text = self.raw.decode("utf-8", "replace")
        return text if len(text) <= limit else text[:limit] + "…"

    def __str__(self) -> str:
        return f"unexpected reply from the gateway: {self.reason}"


class EncodeError(ValueError):
    """Input the protocol cannot encode or decode; says what is wrong and where (and in the gateway's Chinese)."""

    def __init__(self, message: str, where: str = "", zh: str = "") -> None:
        super().__init__(f"{where}: {message}" if where else message)
        self.message = message
        self.where = where
        self.zh = zh


class Text64Error(EncodeError):
    """A Text64 value that is not base64, not DES under the key, or not the JSON of §1.5."""


class BatchFormatError(EncodeError):
    """A point-to-point batch body that cannot be encoded or decoded."""


class TmsError(EncodeError):
    """An MMS package (TMS) that cannot be packed or unpacked."""


class TemplateError(EncodeError):
    """A template text that breaks the rules of chapter 9."""
