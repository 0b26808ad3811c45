"""The batch area's strings: key → (English, Chinese)."""

STRINGS: dict[str, tuple[str, str]] = {}
