"""The account a command works on: the profile the options name, and the password that may go to its host."""

from __future__ import annotations

import argparse
import os
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..service import AppConfig, Profile, SmsService


def chosen_profile(config: AppConfig, args: argparse.Namespace) -> Profile:
    """The profile the options name, with --base-url, --account, --userid and --password-env applied.

    A profile's password belongs to its own gateway account: when --base-url or --account name another one, the
    password comes only from --password-env NAME (default SMSTUI_PASSWORD), never from the profile.
    """
    from ..service import ConfigError, Profile
    from ..service.config import account_key
    from ..service.secrets import PASSWORD_ENV

    base_url, account, userid = args.base_url, args.account, args.userid
    if not config.profiles and not (base_url and account):
        raise ConfigError(f"no profile configured in {config.path}: create it (see config.example.toml; "
                          "`smstui locate config`) or pass --base-url and --account").words(
            "config_no_profiles", path=str(config.path))
    base = config.profile(getattr(args, "profile", None)) if config.profiles else Profile()
    profile = replace(base, base_url=base_url or base.base_url, account=account or base.account,
                      userid=userid or base.userid)
    elsewhere = bool(config.profiles) and profile.account_key != base.account_key
    variable = args.password_env or (PASSWORD_ENV if elsewhere or not config.profiles else "")
    if variable:
        if not os.environ.get(variable):
            why = (f"--base-url/--account name the account {profile.account_key}, not profile {base.name!r}'s "
                   f"({base.account_key}): its password is never sent to another account or host. "
                   if elsewhere else "")
            error = ConfigError(f"{why}Set {variable} to the password of {profile.account_key}"
                                + ("" if args.password_env else " (or name another variable with --password-env)"))
            raise (error.words("password_elsewhere", account=profile.account_key, profile=base.name,
                               own=base.account_key, variable=variable) if elsewhere else
                   error.words("password_variable", account=profile.account_key, variable=variable))
        profile = replace(profile, password="", password_command="", password_file="", password_env=variable)
    if elsewhere or not config.profiles:
        profile = replace(profile, name=account_key(profile.base_url, profile.account))
    config.check_profile(profile)
    return profile


async def open_service(args: argparse.Namespace) -> SmsService:
    """The service of the profile the options name (see chosen_profile)."""
    from ..service import SmsService, load_config

    config = load_config(getattr(args, "config", None))
    profile = chosen_profile(config, args)
    config.profiles[profile.name] = profile
    return await SmsService.open(config, profile.name, store_path=args.store)
