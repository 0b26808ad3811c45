"""The account a command works on: the profile the options name, and the password that may go to its host."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..service import SmsService


async def open_service(args: argparse.Namespace) -> SmsService:
    """The service of the profile the options name (with --base-url, --account and --userid applied)."""
    from urllib.parse import urlsplit

    from ..service import ConfigError, SmsService, load_config

    config = load_config(getattr(args, "config", None))
    if not config.profiles and not (args.base_url and args.account):
        raise ConfigError(f"no profile configured in {config.path}: create it (see config.example.toml; "
                          "`smstui locate config`) or pass --base-url and --account")
    profile = config.profile(getattr(args, "profile", None))
    for option in ("base_url", "account", "userid"):
        value = getattr(args, option)
        if value:
            setattr(profile, option, value)
    if args.base_url or args.account:  # another account's sends get a store profile of their own
        profile.name = f"{profile.account}@{urlsplit(profile.base_url).netloc or profile.base_url}"
    config.check_profile(profile)
    config.profiles.setdefault(profile.name, profile)
    return await SmsService.open(config, profile.name, store_path=args.store)
