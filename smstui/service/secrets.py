"""Passwords as a type: redacted everywhere, read from env, a command, a file or the config."""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError

PASSWORD_ENV = "SMSTUI_PASSWORD"


class Secret:
    """A secret string whose repr and str never show it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret itself, for the one place that must send it."""
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('********')" if self._value else "Secret('')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))


@dataclass(frozen=True)
class PasswordSource:
    """Where a profile's password comes from, in order of preference."""

    env: str = ""
    command: str = ""
    file: str = ""
    inline: str = ""


def readable_by_others(path: Path) -> bool:
    """Whether group or others may read the file (mode & 0o077)."""
    try:
        return bool(path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO))
    except OSError:
        return False


def resolve_password(
    source: PasswordSource, config_path: Path | None, warnings: list[str], profile: str = "", fallback: bool = True
) -> Secret:
    """The password from the profile's env variable, command, file or config, else $SMSTUI_PASSWORD.

    Warnings about files others can read are appended to `warnings`; no password at all is a ConfigError.
    """
    if source.env and os.environ.get(source.env):
        return Secret(os.environ[source.env])
    if source.command:
        try:
            done = subprocess.run(shlex.split(source.command), capture_output=True, text=True, timeout=30, check=False)
        except (OSError, subprocess.TimeoutExpired, ValueError) as exc:
            raise ConfigError(f"password_command {source.command!r} could not run ({exc})").words(
                "password_command_ran", command=repr(source.command), why=exc) from None
        if done.returncode != 0:
            raise ConfigError(f"password_command {source.command!r} failed with status {done.returncode}").words(
                "password_command_failed", command=repr(source.command), status=done.returncode)
        return Secret(done.stdout.rstrip("\r\n"))
    if source.file:
        path = Path(source.file).expanduser()
        try:
            value = path.read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise ConfigError(f"password_file {path}: cannot read ({exc.strerror})").words(
                "password_file", path=str(path), why=exc.strerror) from None
        if readable_by_others(path):
            warnings.append(f"{path} holds a password and is readable by others: chmod 600 {path}")
        return Secret(value)
    if source.inline:
        if config_path is not None and readable_by_others(config_path):
            warnings.append(f"{config_path} holds a password and is readable by others: chmod 600 {config_path}")
        return Secret(source.inline)
    if fallback and os.environ.get(PASSWORD_ENV):
        if source.env:
            warnings.append(f"{source.env} is not set; using {PASSWORD_ENV}")
        return Secret(os.environ[PASSWORD_ENV])
    if not fallback:
        raise ConfigError(f"no password for the {profile} database: "
                          + (f"the variable {source.env} is not set" if source.env else "nothing gave one")).words(
            "store_password_unset" if source.env else "store_password_none", variable=source.env)
    where = f"profile {profile!r}" if profile else "the profile"
    raise ConfigError(
        f"no password for {where}: set password_env, password_command, password_file or password "
        f"in the config, or {PASSWORD_ENV} in the environment"
        + (f" (the variable {source.env} is not set)" if source.env else "")
    ).words("no_password", profile=profile or "?")
