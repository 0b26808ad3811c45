"""Fixtures of the CLI tests: every process the tests start speaks English unless a test says otherwise."""

import pytest


@pytest.fixture(autouse=True)
def english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI chooses its language from the locale when neither --language nor the config does: pin it."""
    monkeypatch.setenv("LANG", "C.UTF-8")
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
