"""The user's configuration: profiles (accounts), push receiver, store; strict TOML in the config directory."""

from __future__ import annotations

import ipaddress
import os
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..protocol import OPTOUT_WORDS, TRANSPORTS
from ..runtime import strict
from ..runtime.locations import config_dir, data_dir
from ..runtime.strict import Bound
from .errors import ConfigError
from .secrets import PasswordSource, Secret, resolve_password

CONFIG_ENV = "SMSTUI_CONFIG"


def default_config_path() -> Path:
    """Where the config is looked for: $SMSTUI_CONFIG, else `config.toml` in the config directory."""
    return Path(os.environ[CONFIG_ENV]).expanduser() if os.environ.get(CONFIG_ENV) else config_dir() / "config.toml"


@dataclass
class Profile:
    """One account on one gateway, and how to talk to it."""

    name: str = "default"
    base_url: str = "http://47.92.214.24"
    account: str = ""
    userid: str = ""
    password: str = field(default="", repr=False)
    password_env: str = ""
    password_command: str = ""
    password_file: str = ""
    transport: str = "xml"
    verify_tls: bool = True
    ca_bundle: str = ""
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    chunk_size: int = 1000
    batch_rows: int = 1000
    concurrency: int = 4
    retries: int = 3
    reconcile_wait: float = 600.0
    require_signature: bool = True
    max_content_length: int = 500
    max_mms_bytes: int = 300 * 1024  # the packed MMS the gateway takes (the usual carrier limit)
    optout_words: list[str] = field(default_factory=lambda: list(OPTOUT_WORDS))
    poll_interval: float = 30.0
    uses_templates: bool = False
    shared_account: bool = True  # others may send too: a report of a task this store never saw proves nothing

    @property
    def account_key(self) -> str:
        """Whose history this is: the gateway account (account@host/path), whatever the profile is called."""
        return account_key(self.base_url, self.account)


def account_key(base_url: str, account: str) -> str:
    """`account@host[:port][/path]`: the scheme, a default port, case and a trailing slash do not make another
    account (the userid is not part of it: the gateway does not check it on the plain endpoints)."""
    try:
        parts = urlsplit(base_url.strip())
        port = parts.port
    except ValueError:
        return f"{account}@{base_url.strip().lower()}"
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    where = host + (f":{port}" if port and port != default else "") + parts.path.rstrip("/")
    return f"{account}@{where}"


def plain_http(base_url: str) -> bool:
    """Whether requests to this gateway leave the machine unencrypted (loopback is no network)."""
    parts = urlsplit(base_url)
    if parts.scheme.lower() != "http":
        return False
    host = (parts.hostname or "").lower()
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host != "localhost"


@dataclass
class PushSettings:
    """The push receiver (chapter 6)."""

    listen: str = "127.0.0.1:8090"
    token: str = ""
    allow: list[str] = field(default_factory=list)
    max_body: int = 1_048_576
    in_tui: bool = False  # the TUI runs the receiver itself, so pushes reach its screens at once


@dataclass
class AppConfig:
    """The whole configuration file."""

    default_profile: str = "default"
    language: str = "auto"
    store_path: str = ""  # a SQLite file, or a team's PostgreSQL database: postgresql://user@host/db?sslmode=…
    store_password_env: str = ""  # the PostgreSQL password, like a profile's: an environment variable,
    store_password_command: str = ""  # a command printing it,
    store_password_file: str = ""  # or a file holding it (else libpq's PGPASSWORD or ~/.pgpass)
    profiles: dict[str, Profile] = field(default_factory=dict)
    push: PushSettings = field(default_factory=PushSettings)
    keys: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    warnings: list[str] = field(default_factory=list)

    def profile(self, name: str | None = None) -> Profile:
        """The named profile, or the default one; ConfigError names the choices."""
        name = name or self.default_profile
        if name in self.profiles:
            return self.profiles[name]
        if not self.profiles and name == "default":
            return Profile()
        choices = ", ".join(sorted(self.profiles)) or "none"
        where = str(self.path or "the configuration")
        raise ConfigError(f"no profile {name!r} in {where} (profiles: {choices})").words(
            "config_no_such_profile", name=name, where=where, choices=choices)

    def check_profile(self, profile: Profile) -> None:
        """ConfigError when a profile (after command-line overrides) cannot be used."""
        where = f"{self.path or 'config'}: [profiles.{profile.name}]"
        if not profile.base_url.lower().startswith(("http://", "https://")):
            raise ConfigError(f"{where} base_url must start with http:// or https:// (got {profile.base_url!r})"
                              ).words("config_base_url", where=where, url=profile.base_url)
        try:
            parts = urlsplit(profile.base_url)
            parts.port  # noqa: B018  (reading it checks it: a port beyond 65535 or not a number raises)
        except ValueError as exc:
            raise ConfigError(f"{where} base_url is not a valid address ({exc}): {profile.base_url!r}").words(
                "config_base_url", where=where, url=profile.base_url) from None
        if not parts.hostname:
            raise ConfigError(f"{where} base_url names no host: {profile.base_url!r}").words(
                "config_base_url", where=where, url=profile.base_url)
        if parts.query or parts.fragment or parts.username or parts.password:
            raise ConfigError(f"{where} base_url must be the gateway's address alone (no ?query, #fragment or "
                              f"user:password@): {profile.base_url!r}").words("config_base_url", where=where,
                                                                              url=profile.base_url)
        if profile.transport not in TRANSPORTS:
            raise ConfigError(f"{where} transport must be one of {', '.join(TRANSPORTS)}").words(
                "config_transport", where=where, transports=", ".join(TRANSPORTS), value=profile.transport)

    def database_path(self) -> Path | str:
        """The store: `store_path` (a SQLite file, or a postgresql:// URL), else `smstui.db` in the data directory."""
        if self.store_path.startswith(("postgresql://", "postgres://")):
            return self.store_path
        return Path(self.store_path).expanduser() if self.store_path else data_dir() / "smstui.db"

    def database_password(self) -> Secret | None:
        """The PostgreSQL password from store_password_env/_command/_file (None: libpq finds its own, or none)."""
        if not (self.store_password_env or self.store_password_command or self.store_password_file):
            return None
        source = PasswordSource(self.store_password_env, self.store_password_command, self.store_password_file, "")
        return resolve_password(source, self.path, self.warnings, "store", fallback=False)


_SECRET_KEYS = ("password",)  # never shown in an error, whatever was typed
_BOUNDS: dict[str, Bound] = {
    "chunk_size": Bound(1), "batch_rows": Bound(1), "concurrency": Bound(1, 64), "retries": Bound(0, 20),
    "reconcile_wait": Bound(0, unit="seconds"), "max_content_length": Bound(1), "max_body": Bound(1),
    "max_mms_bytes": Bound(1024, 10 * 1024 * 1024, unit="bytes"),
    "connect_timeout": Bound(0, 600, open_low=True, unit="seconds"),
    "read_timeout": Bound(0, 3600, open_low=True, unit="seconds"),
    "poll_interval": Bound(1, 86400, unit="seconds"),
}
_RUNTIME = {"name", "path", "warnings"}  # not keys of the file


def _typed(cls: type, data: Any, where: str, **extra: Any) -> Any:
    """A config dataclass from a TOML table, strictly checked (keys, types, ranges), secrets never echoed."""
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: must be a table of keys, not {data!r}").words("config_not_table", where=where)
    known = {f.name for f in fields(cls)} - _RUNTIME - {"profiles", "push", "keys"}
    checked = strict.checked_fields(cls, data, where, error=ConfigError, bounds=_BOUNDS, secrets=_SECRET_KEYS,
                                    known=known)
    return cls(**{**extra, **checked})


def config_from_dict(data: dict[str, Any], path: Path | None = None) -> AppConfig:
    """An AppConfig from parsed TOML, strictly checked (unknown keys refused with a suggestion)."""
    where = str(path) if path else "config"
    strict.unknown_keys(AppConfig, data, where, ConfigError, {f.name for f in fields(AppConfig)} - _RUNTIME)
    top = {k: v for k, v in data.items() if k not in ("profiles", "push", "keys")}
    config = _typed(AppConfig, top, where)
    config.path = path
    profiles = data.get("profiles") or {}
    if not isinstance(profiles, dict):
        raise ConfigError(f"{where}: profiles must be tables like [profiles.prod], not {profiles!r}").words(
            "config_profiles", where=where)
    for name, body in profiles.items():
        profile = _typed(Profile, body, f"{where}: [profiles.{name}]", name=name)
        config.check_profile(profile)
        config.profiles[name] = profile
    if "push" in data:
        config.push = _typed(PushSettings, data["push"], f"{where}: [push]")
        host, _, port = config.push.listen.strip().rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) <= 65535:
            raise ConfigError(f"{where}: [push] listen must be HOST:PORT with a port from 1 to 65535, like "
                              f"127.0.0.1:8090 (got {config.push.listen!r})").words(
                "config_listen", where=f"{where}: [push]", listen=config.push.listen)
        for entry in config.push.allow:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ConfigError(f"{where}: [push] allow: {entry!r} is not an address or network "
                                  "like 203.0.113.7 or 203.0.113.0/24").words("config_allow", where=where,
                                                                              entry=repr(entry)) from None
    keys = data.get("keys") or {}
    if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
        raise ConfigError(f"{where}: [keys] values must be strings like \"ctrl+s,f5\"").words("config_keys",
                                                                                             where=where)
    config.keys = dict(keys)
    if config.profiles and config.default_profile not in config.profiles:
        if "default_profile" in data:  # a typo here must not send from another account
            choices = ", ".join(sorted(config.profiles))
            raise ConfigError(f"{where}: default_profile {config.default_profile!r} is not a profile "
                              f"(profiles: {choices})").words("config_default_profile", where=where,
                                                              name=config.default_profile, choices=choices)
        config.default_profile = next(iter(config.profiles))
    if config.language not in ("auto", "zh", "en"):
        raise ConfigError(f"{where}: language must be auto, zh or en").words("config_language", where=where)
    return config


def load_config(path: str | Path | None = None) -> AppConfig:
    """The configuration at `path` (or the default place); an absent default file is an empty config."""
    explicit = path is not None or bool(os.environ.get(CONFIG_ENV))
    path = Path(path).expanduser() if path is not None else default_config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if explicit:
            raise ConfigError(f"{path}: no such file").words("config_missing", path=str(path)) from None
        return AppConfig(path=path)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})").words("config_unreadable", path=str(path),
                                                                         why=exc.strerror) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8").words(
            "config_not_utf8", path=str(path), at=exc.start) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})").words("config_toml", path=str(path),
                                                                  reason=str(exc)) from None
    return config_from_dict(data, path)


def profile_password(config: AppConfig, profile: Profile) -> Secret:
    """The profile's password from its source; warnings about loose files go to config.warnings."""
    source = PasswordSource(profile.password_env, profile.password_command, profile.password_file, profile.password)
    return resolve_password(source, config.path, config.warnings, profile.name)


def save_config(config: AppConfig, path: Path | None = None) -> Path:
    """Write the configuration as TOML (owner-only permissions, since it may hold a password)."""
    import tomli_w

    path = path or config.path or default_config_path()
    data: dict[str, Any] = {"default_profile": config.default_profile, "language": config.language}
    if config.store_path:
        data["store_path"] = config.store_path
    defaults = asdict(Profile())
    data["profiles"] = {
        name: {k: v for k, v in asdict(p).items() if k != "name" and v != defaults[k]}
        for name, p in config.profiles.items()
    }
    data["push"] = asdict(config.push)
    if config.keys:
        data["keys"] = dict(config.keys)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        tomli_w.dump(data, out)
    os.replace(tmp, path)
    return path
