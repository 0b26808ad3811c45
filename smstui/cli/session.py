"""Running a scriptable command: the config, the service of a profile, Ctrl-C, and the one place errors are told."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from typing import TYPE_CHECKING

from ..runtime.locations import log_path
from ..runtime.log import setup_logging
from . import exits
from .output import Output
from .profile import open_service
from .registry import Command

if TYPE_CHECKING:
    pass


def add_common(parser: argparse.ArgumentParser) -> None:
    """The options every command on an account takes."""
    group = parser.add_argument_group("account")
    # SUPPRESS: an option given before the command (`smstui --profile x send`) is not reset by the command's default.
    quiet = argparse.SUPPRESS
    group.add_argument("--profile", default=quiet, help="profile of the config to use (default: the config's default)")
    group.add_argument("--config", default=quiet,
                       help="config file (default: $SMSTUI_CONFIG or the platform's config directory)")
    group.add_argument("--base-url", help="gateway address (http:// or https://), overriding the profile's")
    group.add_argument("--account", help="account name, overriding the profile's")
    group.add_argument("--userid", help="enterprise id, overriding the profile's")
    group.add_argument("--password-env", metavar="NAME",
                       help="read the password from this environment variable (with --base-url or --account naming "
                            "another account, the profile's password is never used: default SMSTUI_PASSWORD)")
    group.add_argument("--store", help="SQLite database (default: the platform's data directory)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per result")


def run(command: Command, args: argparse.Namespace) -> int:
    """Run a scriptable command; returns its exit status. Nothing here ever prints a traceback."""
    out = Output(getattr(args, "json", False))
    setup_logging()
    try:
        if command.prepare is not None:  # asked before the event loop runs, so Ctrl-C at a prompt just stops
            command.prepare(args)
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
            out.error(type(exc).__name__, exc.message)
            return exc.exit_status
        logging.getLogger("smstui").exception("unexpected failure in `smstui %s`", command.name)
        out.error("UnexpectedError", f"unexpected failure ({type(exc).__name__}: {exc}); details in {log_path()}")
        return exits.UNKNOWN


async def _with_service(command: Command, args: argparse.Namespace, out: Output) -> int:
    from ..service import ServiceError

    try:
        service = await open_service(args)
    except ServiceError as exc:
        out.error(type(exc).__name__, exc.message)
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
            out.note("stopping after the requests in flight; Ctrl-C again to stop at once "
                     "(requests then in flight become unknown)")
            service.cancel_all()
        elif main is not None:
            main.cancel()

    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGINT, interrupted)
    try:
        return await command.handler(service, args, out)
    except ServiceError as exc:
        out.error(type(exc).__name__, exc.message, code=getattr(exc, "code", None))
        return exc.exit_status
    except asyncio.CancelledError:
        return exits.INTERRUPTED
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGINT)
        await service.close()
