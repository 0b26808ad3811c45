"""The scriptable commands (`smstui send`, `balance`, `reports`, …) on the service layer; no Textual here."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import logging
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from . import protocol as p
from .locations import log_path, setup_logging
from .tabular import table

EXIT_OK, EXIT_REFUSED, EXIT_INVALID, EXIT_UNKNOWN, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class Output:
    """Writes results as one JSON object per line (`--json`) or as readable text."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json

    def result(self, data: dict[str, Any], human: str) -> None:
        """One result."""
        if self.as_json:
            print(json.dumps(data, ensure_ascii=False, default=str), flush=True)
        else:
            print(human, flush=True)

    def error(self, kind: str, message: str, **extra: Any) -> None:
        """A failure (to stdout as JSON with --json, else to stderr)."""
        if self.as_json:
            print(json.dumps({"ok": False, "error": kind, "message": message, **extra}, ensure_ascii=False), flush=True)
        else:
            print(f"smstui: {message}", file=sys.stderr, flush=True)

    def note(self, message: str) -> None:
        """A warning for people (always stderr, so JSON on stdout stays clean)."""
        print(f"smstui: warning: {message}", file=sys.stderr, flush=True)


def add_common(parser: argparse.ArgumentParser) -> None:
    """The options every command takes."""
    group = parser.add_argument_group("account")
    # SUPPRESS: an option given before the command (`smstui --profile x send`) is not reset by the command's default.
    quiet = argparse.SUPPRESS
    group.add_argument("--profile", default=quiet, help="profile of the config to use (default: the config's default)")
    group.add_argument("--config", default=quiet,
                       help="config file (default: $SMSTUI_CONFIG or the platform's config directory)")
    group.add_argument("--base-url", help="gateway address (http:// or https://), overriding the profile's")
    group.add_argument("--account", help="account name, overriding the profile's")
    group.add_argument("--userid", help="enterprise id, overriding the profile's")
    group.add_argument("--store", help="SQLite database (default: the platform's data directory)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per result")


def _positive(text: str) -> int:
    """An argparse type: a whole number above 0."""
    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number above 0")
    return int(text)


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register the scriptable commands on the `smstui` parser."""
    send = commands.add_parser("send", help="send one message to numbers")
    send.add_argument("--to", required=True, help="numbers: commas (half or full width), ;, spaces, +86 all fine")
    send.add_argument("--content", required=True, help="the message, ending with 【signature】")
    send.add_argument("--at", default="", help='schedule, Beijing time: "YYYY-MM-DD HH:MM:SS"')
    send.add_argument("--extno", default="", help="extension number (at most 5 digits)")
    send.add_argument("--via", choices=p.TRANSPORTS, help="transport (default: the profile's)")
    send.add_argument("--include-held", action="store_true", help="also send to numbers held back by the rules or opt-outs")
    batch = commands.add_parser("batch", help="send personalised messages from a CSV or XLSX file (mobile, content)")
    batch.add_argument("file")
    batch.add_argument("--at", default="")
    batch.add_argument("--extno", default="")
    batch.add_argument("--include-held", action="store_true")
    mms = commands.add_parser("mms", help="send an MMS")
    mms.add_argument("--to", required=True)
    mms.add_argument("--subject", required=True)
    mms.add_argument("--slide", action="append", required=True, metavar="TEXT[:IMAGE]",
                     help="a slide: its text, then optionally :path/to/image.jpg|gif|png (repeat for more)")
    mms.add_argument("--at", default="")
    mms.add_argument("--extno", default="")
    balance = commands.add_parser("balance", help="show the balance")
    balance.add_argument("--mms", action="store_true", help="the MMS balance")
    reports = commands.add_parser("reports", help="pull delivery reports into the store and show them")
    reports.add_argument("--task", help="only this task")
    reports.add_argument("--follow", action="store_true", help="keep pulling")
    reports.add_argument("--limit", type=_positive, default=1000, help="show at most this many (default 1000)")
    inbox = commands.add_parser("inbox", help="pull replies into the store and show them")
    inbox.add_argument("--follow", action="store_true")
    inbox.add_argument("--limit", type=_positive, default=1000, help="show at most this many (default 1000)")
    templates = commands.add_parser("templates", help="list, add, update or delete templates")
    templates.add_argument("action", choices=["list", "add", "update", "delete"])
    templates.add_argument("args", nargs="*", help="add TEXT | update ID TEXT | delete ID")
    commands.add_parser("password", help="change the account's password (asks twice)")
    receiver = commands.add_parser("push-receiver", help="receive the gateway's pushes (reports and replies)")
    receiver.add_argument("--listen", help="HOST:PORT (default: the config's [push] listen)")
    resume = commands.add_parser("resume", help="finish sends a stopped run left unsent")
    resume.add_argument("send_id", nargs="?")
    reconcile = commands.add_parser("reconcile", help="decide from reports what a send with an unknown outcome reached")
    reconcile.add_argument("send_id")
    reconcile.add_argument("--resend", action="store_true", help="re-send the numbers no report confirmed")
    locate = commands.add_parser("locate", help="print where smstui keeps things")
    locate.add_argument("what", choices=["config", "data", "state"])
    for name in ("send", "batch", "mms", "balance", "reports", "inbox", "templates", "password", "push-receiver",
                 "resume", "reconcile"):
        add_common(commands.choices[name])


COMMANDS = {"send", "batch", "mms", "balance", "reports", "inbox", "templates", "password", "push-receiver", "resume",
            "reconcile", "locate"}


def run(args: argparse.Namespace) -> int:
    """Run a scriptable command; returns its exit status."""
    out = Output(getattr(args, "json", False))
    if args.command == "locate":
        from .service import config as cfg

        print({"config": cfg.default_config_path, "data": cfg.data_dir, "state": cfg.state_dir}[args.what]())
        return EXIT_OK
    handler = HANDLERS[args.command]
    setup_logging()
    try:
        if args.command == "password":  # typed before the event loop runs, so Ctrl-C at the prompt just stops
            args.new_password = ask_new_password()
        return asyncio.run(_with_service(args, out, handler))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `smstui reports | head`: the reader left; say nothing more
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the last net: a message and the log, never a traceback
        from .service import ServiceError

        if isinstance(exc, ServiceError):
            out.error(type(exc).__name__, exc.message)
            return exc.exit_status
        logging.getLogger("smstui").exception("unexpected failure in `smstui %s`", args.command)
        out.error("UnexpectedError", f"unexpected failure ({type(exc).__name__}: {exc}); details in {log_path()}")
        return EXIT_UNKNOWN


async def _with_service(args: argparse.Namespace, out: Output, handler: Callable[..., Awaitable[int]]) -> int:
    from .service import ConfigError, ServiceError, SmsService, load_config

    try:
        config = load_config(args.config)
        if not config.profiles and not (args.base_url and args.account):
            raise ConfigError(f"no profile configured in {config.path}: create it (see config.example.toml; "
                              "`smstui locate config`) or pass --base-url and --account")
        profile = config.profile(args.profile)
        for option in ("base_url", "account", "userid"):
            value = getattr(args, option)
            if value:
                setattr(profile, option, value)
        if args.base_url or args.account:  # another account's sends get a store profile of their own
            from urllib.parse import urlsplit

            profile.name = f"{profile.account}@{urlsplit(profile.base_url).netloc or profile.base_url}"
        config.check_profile(profile)
        config.profiles.setdefault(profile.name, profile)
        service = await SmsService.open(config, profile.name, store_path=args.store)
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
        if presses == 1 and handler in GRACEFUL:
            out.note("stopping after the requests in flight; Ctrl-C again to stop at once "
                     "(requests then in flight become unknown)")
            service.cancel_all()
        elif main is not None:
            main.cancel()

    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGINT, interrupted)
    try:
        return await handler(service, args, out)
    except ServiceError as exc:
        extra = {"code": getattr(exc, "code", None)}
        out.error(type(exc).__name__, exc.message, **extra)
        return exc.exit_status
    except asyncio.CancelledError:
        return EXIT_INTERRUPTED
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.remove_signal_handler(signal.SIGINT)
        await service.close()


def _schedule(text: str):
    from .service import InvalidInput

    try:
        return p.parse_send_time(text)
    except ValueError as exc:
        raise InvalidInput(f"--at: {exc}") from None


def _recipients(text: str) -> list[str]:
    from .service import InvalidInput

    parsed = p.parse_mobiles(text)
    if parsed.invalid:
        raise InvalidInput("invalid numbers: " + "; ".join(e.message for e in parsed.invalid[:10]),
                           [e.message for e in parsed.invalid])
    if not parsed.numbers:
        raise InvalidInput("--to: no mobile number given")
    return parsed.numbers


async def _send_and_report(service, request, args, out: Output) -> int:
    preflight = await service.preflight(request)
    for held in preflight.held:
        out.note(("sending anyway (--include-held): " if args.include_held else "held back: ") + held.reason)
    try:
        outcome = await service.send(preflight, override_held=args.include_held)
    except asyncio.CancelledError:  # a second Ctrl-C: say what the journal knows, then stop
        if service.last_send_id:
            outcome = await service.sender.outcome(service.last_send_id)
            outcome.cancelled = True
            out.result(_outcome_data(outcome), _outcome_text(outcome))
        raise
    out.result(_outcome_data(outcome), _outcome_text(outcome))
    if outcome.cancelled:
        return EXIT_INTERRUPTED
    if outcome.unknown or outcome.unsent or outcome.elsewhere:
        return EXIT_UNKNOWN
    if outcome.refused or outcome.accepted < outcome.recipients:
        return EXIT_REFUSED
    return EXIT_OK


def _outcome_data(outcome) -> dict[str, Any]:
    first_refusal = outcome.refused[0] if outcome.refused else None
    not_accepted = outcome.recipients - outcome.accepted - sum(
        c.count for c in outcome.refused + outcome.unknown + outcome.unsent + outcome.elsewhere)
    return {
        "ok": outcome.complete and outcome.accepted == outcome.recipients,
        "send_id": outcome.send_id,
        "task_ids": outcome.task_ids,
        "success_count": outcome.accepted,
        "recipients": outcome.recipients,
        "balance": outcome.balance,
        "segments": outcome.segments,
        "cost": outcome.cost,
        "code": first_refusal.code if first_refusal else None,
        "message": _outcome_message(outcome, first_refusal, not_accepted),
        "held": [dataclasses.asdict(h) for h in outcome.held],
        "not_accepted_recipients": not_accepted,
        "unknown_recipients": sum(c.count for c in outcome.unknown),
        "unsent_recipients": sum(c.count for c in outcome.unsent),
        "elsewhere_recipients": sum(c.count for c in outcome.elsewhere),
        "cancelled": outcome.cancelled,
    }


def _outcome_message(outcome, first_refusal, not_accepted: int) -> str:
    if first_refusal:
        return first_refusal.message
    if outcome.unknown:
        return "; ".join(c.message for c in outcome.unknown)
    if outcome.cancelled:
        return f"stopped; run `smstui resume {outcome.send_id}` to send the rest"
    if outcome.elsewhere:
        return f"another smstui process is sending {sum(c.count for c in outcome.elsewhere)} of these numbers right now"
    if outcome.unsent:
        return (f"{sum(c.count for c in outcome.unsent)} numbers were not sent (the gateway could not be reached); "
                f"`smstui resume {outcome.send_id}` sends them")
    if not_accepted > 0:
        return (f"the gateway did not accept {not_accepted} of {outcome.recipients} numbers; their delivery reports "
                "will say why (MALREG: 3 codes in 3 minutes, OVERLIMIT: 10 a day, BLACK: blacklisted)")
    return "sent"


def _outcome_text(outcome) -> str:
    lines = [f"send {outcome.send_id}: {outcome.accepted} of {outcome.recipients} accepted, "
             f"{outcome.segments} segment(s) each, cost {outcome.cost}, balance {outcome.balance}"]
    lines += [f"  task {t}" for t in outcome.task_ids]
    lines += [f"  refused ({c.count} numbers): {c.message}" for c in outcome.refused]
    lines += [f"  UNKNOWN ({c.count} numbers, not re-sent; run `smstui reconcile {outcome.send_id}`): {c.message}"
              for c in outcome.unknown]
    lines += [f"  not sent ({c.count} numbers; run `smstui resume {outcome.send_id}`): {c.message or 'stopped'}"
              for c in outcome.unsent]
    lines += [f"  being sent by another smstui process ({c.count} numbers)" for c in outcome.elsewhere]
    accounted = outcome.accepted + sum(c.count for c in outcome.refused + outcome.unknown + outcome.unsent
                                       + outcome.elsewhere)
    if accounted < outcome.recipients:
        lines.append(f"  not accepted by the gateway: {outcome.recipients - accounted} numbers (their reports will say why)")
    return "\n".join(lines)


async def cmd_send(service, args, out: Output) -> int:
    """`smstui send`."""
    from .service import SendRequest

    content = p.normalise_newlines(args.content)
    request = SendRequest("sms", tuple(_recipients(args.to)), content, send_time=_schedule(args.at), extno=args.extno,
                          transport=args.via)
    return await _send_and_report(service, request, args, out)


async def cmd_batch(service, args, out: Output) -> int:
    """`smstui batch FILE`."""
    from .batchfile import BatchFileError, read_batch_file
    from .service import InvalidInput, SendRequest

    try:
        batch = read_batch_file(args.file)
    except BatchFileError as exc:
        raise InvalidInput(str(exc)) from None
    if batch.problems:
        raise InvalidInput(f"{args.file}: " + "; ".join(batch.problems[:10]), batch.problems)
    request = SendRequest("batch", rows=tuple(batch.rows), send_time=_schedule(args.at), extno=args.extno)
    return await _send_and_report(service, request, args, out)


async def cmd_mms(service, args, out: Output) -> int:
    """`smstui mms`."""
    from .service import InvalidInput, SendRequest

    slides = []
    for spec in args.slide:
        text, image = _slide(spec)
        data = b""
        if image:
            try:
                data = Path(image).expanduser().read_bytes()
            except OSError as exc:
                raise InvalidInput(f"--slide {spec!r}: cannot read {image} ({exc.strerror})") from None
        slides.append(p.Slide(text, data))
    try:
        package = p.pack_mms(slides)
    except p.TmsError as exc:
        raise InvalidInput(str(exc)) from None
    request = SendRequest("mms", tuple(_recipients(args.to)), subject=args.subject, package=package,
                          send_time=_schedule(args.at), extno=args.extno)
    args.include_held = False
    return await _send_and_report(service, request, args, out)


def _slide(spec: str) -> tuple[str, str]:
    """A --slide value as (text, image path): the image is what follows the last `:` when it names an image file."""
    text, colon, image = spec.rpartition(":")
    if colon and image.lower().endswith((".jpg", ".jpeg", ".gif", ".png")):
        return text, image
    return spec, ""


async def cmd_balance(service, args, out: Output) -> int:
    """`smstui balance`."""
    balance = await service.balance(mms=args.mms)
    out.result({"ok": True, "balance": balance.balance, "sent_total": balance.send_total, "pay_type": balance.pay_type},
               f"{'MMS ' if args.mms else ''}balance: {balance.balance}   total: {balance.send_total}   "
               f"pay type: {balance.pay_type} ({balance.pay_info})")
    return EXIT_OK


async def _follow(drain, show, follow: bool, interval: float, out: Output) -> None:
    """Drain then show; with --follow keep at it, backing off (up to 10 minutes) while the gateway fails."""
    from .service import ServiceError

    delay = interval
    while True:
        try:
            await drain()
            delay = interval
        except ServiceError as exc:
            if not follow:
                raise
            delay = min(delay * 2, 600)
            out.note(f"{exc.message} — trying again in {delay:.0f} s")
        await show()
        if not follow:
            return
        await asyncio.sleep(delay)


async def cmd_reports(service, args, out: Output) -> int:
    """`smstui reports`."""
    shown: set[tuple[str, str]] = set()

    async def show() -> None:
        stored = [r for r in await service.stored_reports(args.task, args.limit) if (r.task_id, r.mobile) not in shown]
        shown.update((r.task_id, r.mobile) for r in stored)
        rows = [{"task_id": r.task_id, "mobile": r.mobile, "status": r.status, "delivered": r.delivered,
                 "receive_time": r.receive_time, "error_code": r.error_code, "extno": r.extno} for r in stored]
        if args.follow and not rows:
            return
        out.result({"reports": rows}, table(["task", "mobile", "status", "time", "code", "extno"],
                   [[r["task_id"], r["mobile"], "delivered" if r["delivered"] else "failed", r["receive_time"],
                     r["error_code"], r["extno"]] for r in rows]) if rows else "no reports")

    await _follow(lambda: service.drain_reports(args.task), show, args.follow, min(service.profile.poll_interval, 10), out)
    return EXIT_OK


async def cmd_inbox(service, args, out: Output) -> int:
    """`smstui inbox`."""
    shown: set[int] = set()

    async def show() -> None:
        stored = [u for u in await service.stored_uplinks(args.limit) if u.id not in shown]
        shown.update(u.id for u in stored)
        rows = [{"mobile": u.mobile, "content": u.content, "receive_time": u.receive_time, "extno": u.extno,
                 "optout": u.optout} for u in stored]
        if args.follow and not rows:
            return
        out.result({"uplinks": rows}, table(["mobile", "content", "time", "extno", "opt-out"],
                   [[r["mobile"], r["content"], r["receive_time"], r["extno"], "yes" if r["optout"] else ""]
                    for r in rows]) if rows else "no replies")

    await _follow(service.drain_uplinks, show, args.follow, min(service.profile.poll_interval, 10), out)
    return EXIT_OK


async def cmd_templates(service, args, out: Output) -> int:
    """`smstui templates list|add|update|delete`."""
    from .service import InvalidInput

    need = {"list": 0, "add": 1, "update": 2, "delete": 1}[args.action]
    if len(args.args) != need:
        raise InvalidInput(f"templates {args.action} takes {need} argument(s)")
    if args.action == "add":
        template_id = await service.add_template(args.args[0])
        out.result({"ok": True, "template_id": template_id}, f"template {template_id} submitted for review")
    elif args.action == "update":
        await service.update_template(*args.args)
        out.result({"ok": True, "template_id": args.args[0]}, f"template {args.args[0]} changed; it is under review again")
    elif args.action == "delete":
        await service.delete_template(args.args[0])
        out.result({"ok": True, "template_id": args.args[0]}, f"template {args.args[0]} deleted")
    else:
        found = await service.templates()
        rows = [{"template_id": t.template_id, "status": int(t.status), "state": p.TemplateStatus(t.status).label,
                 "text": t.text} for t in found]
        out.result({"templates": rows}, table(["id", "state", "template"], [[r["template_id"], r["state"], r["text"]]
                                                                            for r in rows]) if rows else "no templates")
    return EXIT_OK


def ask_new_password() -> str:
    """The new password: SMSTUI_NEW_PASSWORD (scripts), else typed twice at the terminal (before any request)."""
    import getpass
    import os

    from .service import InvalidInput

    new = os.environ.get("SMSTUI_NEW_PASSWORD")
    if new is not None:
        return new
    if not sys.stdin.isatty():
        raise InvalidInput("no terminal to type the new password on: set SMSTUI_NEW_PASSWORD; nothing was changed")
    try:
        new = getpass.getpass("new password: ")
        again = getpass.getpass("again: ")
    except EOFError:
        raise InvalidInput("no new password was typed; nothing was changed") from None
    if again != new:
        raise InvalidInput("the two passwords differ; nothing was changed")
    return new


async def cmd_password(service, args, out: Output) -> int:
    """`smstui password`: change the account's password to the one typed (or SMSTUI_NEW_PASSWORD)."""
    await service.change_password(args.new_password)
    out.result({"ok": True}, "password changed; update the profile's password source (config, password_env, "
               "password_command or password_file), or the next run will fail")
    return EXIT_OK


async def cmd_push_receiver(service, args, out: Output) -> int:
    """`smstui push-receiver`: serve until interrupted."""
    url = await service.start_push_receiver(args.listen)
    out.result({"ok": True, "url": url}, f"receiving pushes at {url} (give this URL to the gateway's administrator)")
    stop = asyncio.Event()
    service.bus.subscribe(lambda event: out.result({"event": type(event).__name__, **dataclasses.asdict(event)},
                                                   f"{type(event).__name__}: {dataclasses.asdict(event)}"))
    await stop.wait()
    return EXIT_OK


async def cmd_resume(service, args, out: Output) -> int:
    """`smstui resume [SEND_ID]`."""
    outcomes = await service.resume(args.send_id)
    status = EXIT_OK
    for outcome in outcomes:
        out.result(_outcome_data(outcome), _outcome_text(outcome))
        if outcome.cancelled:
            status = EXIT_INTERRUPTED
        elif not outcome.complete:
            status = max(status, EXIT_UNKNOWN)
    if not outcomes:
        out.result({"ok": True, "resumed": 0}, "nothing to resume")
    return status


async def cmd_reconcile(service, args, out: Output) -> int:
    """`smstui reconcile SEND_ID [--resend]`."""
    results = await service.reconcile(args.send_id)
    confirmed = sum(len(r.confirmed) for r in results)
    unconfirmed = [m for r in results for m in r.unconfirmed]
    ambiguous = [m for r in results for m in r.ambiguous]
    data: dict[str, Any] = {"ok": not unconfirmed and not ambiguous, "send_id": args.send_id, "confirmed": confirmed,
                            "unconfirmed": unconfirmed, "ambiguous": ambiguous,
                            "task_ids": sorted({t for r in results for t in r.task_ids})}
    human = f"send {args.send_id}: {confirmed} confirmed by reports, {len(unconfirmed)} not confirmed"
    if ambiguous:
        human += (f"\n  {len(ambiguous)} got a report that another request still in doubt may have caused; smstui "
                  f"never re-sends those — check them by hand: {', '.join(ambiguous[:10])}"
                  + (" …" if len(ambiguous) > 10 else ""))
    if unconfirmed and not args.resend:
        human += (f"\n  reports can take a while; once you are sure, `smstui reconcile {args.send_id} --resend` "
                  "sends the unconfirmed numbers again")
        out.result(data, human)
        return EXIT_UNKNOWN
    status = EXIT_OK if not ambiguous else EXIT_UNKNOWN
    if unconfirmed:
        outcome = await service.resend_unconfirmed(args.send_id)
        if outcome is None:
            human += "\n  nothing re-sent: another smstui process re-sent these numbers first"
        else:
            data["resent"] = _outcome_data(outcome)
            data["ok"] = data["resent"]["ok"] and not ambiguous
            for held in outcome.held:
                out.note(f"not re-sent: {held.reason}")
            if outcome.send_id:
                human += "\n  re-sent: " + _outcome_text(outcome)
                if not data["resent"]["ok"]:
                    status = EXIT_UNKNOWN if outcome.unknown or outcome.unsent else EXIT_REFUSED
            else:
                human += "\n  nothing re-sent: every unconfirmed number is held back (see above)"
    out.result(data, human)
    return status


GRACEFUL = {cmd_send, cmd_batch, cmd_mms, cmd_resume, cmd_reconcile}  # first Ctrl-C lets requests in flight finish

HANDLERS = {
    "send": cmd_send, "batch": cmd_batch, "mms": cmd_mms, "balance": cmd_balance, "reports": cmd_reports,
    "inbox": cmd_inbox, "templates": cmd_templates, "password": cmd_password, "push-receiver": cmd_push_receiver,
    "resume": cmd_resume, "reconcile": cmd_reconcile,
}
