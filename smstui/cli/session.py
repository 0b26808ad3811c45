"""Running a scriptable command: the config, the service of a profile, Ctrl-C, and the one place errors are told."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys

from ..runtime.locations import log_path
from ..runtime.log import setup_logging
from . import exits
from .output import Output
from .profile import open_service
from .registry import Command
from .strings import Strings


def add_common(parser: argparse.ArgumentParser, t: Strings) -> None:
    """The options every command on an account takes."""
    group = parser.add_argument_group(t("help.account"))
    # SUPPRESS: an option given before the command (`smstui --profile x send`) is not reset by the command's default.
    quiet = argparse.SUPPRESS
    group.add_argument("--profile", default=quiet, help=t("help.profile"))
    group.add_argument("--config", default=quiet, help=t("help.config"))
    group.add_argument("--base-url", help=t("help.base_url"))
    group.add_argument("--account", help=t("help.account_name"))
    group.add_argument("--userid", help=t("help.userid"))
    group.add_argument("--password-env", metavar="NAME", help=t("help.password_env"))
    group.add_argument("--store", help=t("help.store"))
    parser.add_argument("--json", action="store_true", help=t("help.json"))


def run(command: Command, args: argparse.Namespace, t: Strings | None = None) -> int:
    """Run a scriptable command; returns its exit status. Nothing here ever prints a traceback."""
    out = Output(getattr(args, "json", False), t)
    setup_logging()
    try:
        if command.prepare is not None:  # asked before the event loop runs, so Ctrl-C at a prompt just stops
            command.prepare(args, out)
        if not command.needs_service:
            return command.local(args, out)
        return asyncio.run(_with_service(command, args, out))
    except KeyboardInterrupt:
        return exits.INTERRUPTED
    except BrokenPipeError:  # `smstui reports | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return exits.OK
    except Exception as exc:
        from ..service import ServiceError

        if isinstance(exc, ServiceError):
            out.failure(exc)
            return exc.exit_status
        logging.getLogger("smstui").exception("unexpected failure in `smstui %s`", command.name)
        what = f"{type(exc).__name__}: {exc}"
        out.error("UnexpectedError", f"unexpected failure ({what}); details in {log_path()}",
                  out.t("cli.unexpected", what=what, path=log_path()))
        return exits.UNKNOWN


async def _with_service(command: Command, args: argparse.Namespace, out: Output) -> int:
    from ..service import ServiceError

    try:
        service = await open_service(args)
    except ServiceError as exc:
        out.failure(exc)
        return exc.exit_status
    for warning in service.warnings:
        out.note(warning)
    main = asyncio.current_task()
    presses = 0

    def interrupted() -> None:
        # First Ctrl-C: sends stop after the requests in flight (so nothing becomes unknown); the second: stop now.
        nonlocal presses
        presses += 1
        if presses == 1 and command.graceful:
            out.note(out.t("cli.stopping"))
            service.cancel_all()
        elif main is not None:
            main.cancel()

    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGINT, interrupted)
    try:
        return await command.handler(service, args, out)
    except ServiceError as exc:
        out.failure(exc, code=getattr(exc, "code", None))
        return exc.exit_status
    except asyncio.CancelledError:
        return exits.INTERRUPTED
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGINT)
        await service.close()
