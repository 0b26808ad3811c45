"""The simulator's ASGI app: the vendor's paths (case-insensitive), faults, and the /_sim admin API."""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import re
from dataclasses import asdict, fields
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from .. import protocol as p
from .config import AccountConfig
from .forms import read_params
from .gateway import JSON_TYPE, XML_TYPE, Reply

if TYPE_CHECKING:
    from .server import Simulator

ERROR_PAGE = (
    "<!DOCTYPE html><html><head><title>{status} {reason}</title></head>"
    "<body><h1>{status} {reason}</h1><hr><center>nginx</center></body></html>"
)


class SimulatedDrop(Exception):
    """Raised after half a reply was sent, so the server closes the connection (the 'dropped reply' fault)."""


def build_app(sim: Simulator) -> Silenceable:
    """The ASGI app of a Simulator."""

    async def vendor(request: Request) -> Response:
        path = _SLASHES.sub("/", request.scope["path"])  # IIS reads `//smsGBK.aspx` as `/smsGBK.aspx`
        if path.lower().startswith("/_sim"):
            original = path.rstrip("/")[len("/_sim"):]
            return await admin(request, original.lower(), original)
        page = page_of(path)
        faults = sim.faults
        rng = sim.fault_rng
        if faults.latency:
            await asyncio.sleep(faults.latency)
        if faults.error_ratio and rng.random() < faults.error_ratio:
            return Response(ERROR_PAGE.format(status=503, reason="Service Unavailable"), 503, media_type="text/html")
        if faults.html_ratio and rng.random() < faults.html_ratio:
            return Response(ERROR_PAGE.format(status=502, reason="Bad Gateway"), 200, media_type="text/html")
        try:
            reply = await route(request, page)
        except ClientDisconnect:  # the client left before its request was read: nothing was done
            return Response(status_code=499)
        if faults.drop_ratio and rng.random() < faults.drop_ratio:
            return DroppedReply(reply, faults.drop_mode, faults.drop_delay)
        if faults.truncate_ratio and rng.random() < faults.truncate_ratio:
            reply.body = reply.body[: len(reply.body) // 2]
        return Response(reply.body, reply.status, headers=reply.headers, media_type=reply.content_type)

    async def route(request: Request, page: str) -> Reply:
        gw = sim.gateway  # looked up per request: reset() builds a new world and gateway
        path = page.lower()
        ip = request.client.host if request.client else ""
        encoding = "gb18030" if path == "/smsgbk.aspx" else "utf-8"
        params, body = await read_params(request, encoding)
        if path == "/sms.aspx":
            return gw.sms(params, ip, "xml")
        if path == "/smsjson.aspx":
            return gw.sms(params, ip, "json")
        if path == "/smsgbk.aspx":
            return gw.sms(params, ip, "xml", "gb2312")
        if path == "/ensms.ashx":
            return gw.encrypted(params, ip)
        if path == "/batchsms.ashx":
            if request.method != "POST":
                fail = p.SendResult(False, sim.config.fail_word, "只支持post方式提交", 0, "", 0)
                return Reply(p.render_send_result(fail), status=405)
            return gw.batch(params, ip)
        if path == "/mms.aspx":
            return gw.mms(params, ip)
        if path in ("/statusapi.aspx", "/statusjsonapi.aspx"):
            return gw.reports(params, ip, "json" if "json" in path else "xml")
        if path in ("/callapi.aspx", "/calljsonapi.aspx"):
            return gw.uplinks(params, ip, "json" if "json" in path else "xml")
        if path == "/pwd.aspx":
            return gw.password(params, ip)
        if path == "/freetemplate.aspx":
            return gw.templates(params, ip)
        if path == "/webservice.asmx":
            if request.method != "POST":  # ASP.NET serves the WSDL to GET; a POST runs the call, `?wsdl` or not
                return Reply(p.render_wsdl(service_address(request, page)), XML_TYPE)
            return gw.soap(body, ip)
        return Reply(ERROR_PAGE.format(status=404, reason="Not Found").encode(), "text/html", 404)

    async def admin(request: Request, path: str, original: str) -> Response:
        if path == "/hello":
            return PlainTextResponse("hello")
        if path in ("", "/state"):
            return JSONResponse(sim.world.snapshot(sim.clock.now()))
        payload: dict[str, Any] = {}
        if request.method == "POST":
            try:
                payload = admin_payload(await request.body())
            except ValueError as exc:
                return JSONResponse({"error": str(exc)}, 400)
        try:
            if path == "/clock":
                if request.method == "POST":
                    sim.advance(seconds_of(payload.get("advance", 0)))
                return JSONResponse({"now": sim.clock.now().isoformat(), "mode": sim.clock.mode})
            if path == "/faults":
                if request.method == "POST":
                    sim.set_faults(**payload)
                return JSONResponse(asdict(sim.faults))
            if path == "/uplink" and request.method == "POST":
                sim.inject_uplink(*(text_of(payload, key) for key in ("account", "mobile", "content", "extno")))
                return JSONResponse({"ok": True})
            if path == "/reset" and request.method == "POST":
                sim.reset()
                return JSONResponse({"ok": True})
            if path.startswith("/accounts/"):
                name = original.split("/", 2)[2]
                if name not in sim.world.accounts:
                    return JSONResponse({"error": f"no account {name!r}"}, 404)
                if request.method == "POST":
                    sim.patch_account(name, **payload)
                return JSONResponse(sim.world.snapshot(sim.clock.now())["accounts"][name])
            if path.startswith("/tasks/"):
                task = sim.world.tasks.get(original.split("/", 2)[2])
                if task is None:
                    return JSONResponse({"error": "no such task"}, 404)
                view = task.summary(sim.clock.now())
                view["recipient_states"] = {m: [r.state, r.error_code] for m, r in task.recipients.items()}
                return JSONResponse(view)
        except (KeyError, TypeError, ValueError, OverflowError) as exc:
            return JSONResponse({"error": f"bad request: {exc}"}, 400)
        return JSONResponse({"error": f"no admin endpoint {path or '/'}"}, 404)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        async with sim.running():
            yield

    return Silenceable(Starlette(routes=[Route("/{path:path}", vendor, methods=["GET", "POST"])], lifespan=lifespan))


SILENCE = "smstui.silence"


class Silenceable:
    """The outermost ASGI layer: lets a reply end in silence, the connection closed without a byte of answer."""

    def __init__(self, app: Starlette) -> None:
        self.app = app

    def __getattr__(self, name: str) -> Any:
        return getattr(self.app, name)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            scope[SILENCE] = lambda delay: _silence(receive, send, delay)
        await self.app(scope, receive, send)


async def _silence(receive, send, delay: float) -> None:
    """Say nothing for `delay` seconds (or until the client leaves), then close the connection without answering."""

    async def client_gone() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(client_gone(), delay)
        return
    # The server's own connection (uvicorn's send is a method of the request cycle, which holds the transport):
    # closing it is the one way to end an HTTP exchange with no response at all.
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is not None:
        transport.close()
    await client_gone()  # without the transport, keep silent until the client gives up


class DroppedReply(Response):
    """The reply is lost after the request was processed: half a body then a closed connection, or silence."""

    def __init__(self, reply: Reply, mode: str, delay: float) -> None:
        super().__init__(reply.body, reply.status, media_type=reply.content_type)
        self.mode = mode
        self.delay = delay

    async def __call__(self, scope, receive, send) -> None:
        if self.mode == "timeout":
            return await scope[SILENCE](self.delay)
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        await send({"type": "http.response.body", "body": self.body[: len(self.body) // 2], "more_body": True})
        raise SimulatedDrop("reply dropped after processing (simulated)")


_SLASHES = re.compile(r"/{2,}")
# The page of a path as IIS maps it: the shortest prefix ending in a page; what follows is the page's PathInfo.
_PAGE = re.compile(r"(?:/[^/]*)*?/[^/]*\.as[hmp]x(?=/|$)", re.IGNORECASE)


def page_of(path: str) -> str:
    """The page a (slash-collapsed) path names: `/sms.aspx/sms.aspx` is sms.aspx with PathInfo, as IIS reads it."""
    match = _PAGE.match(path)
    return match.group() if match else path.rstrip("/")


def service_address(request: Request, page: str) -> str:
    """The WSDL's service address: the Host the client asked, as ASP.NET writes it."""
    scope = request.scope
    host = request.headers.get("host") or ":".join(map(str, scope.get("server") or ("localhost", 80)))
    return f"{scope.get('scheme', 'http')}://{host}{page}"


def _refuse_constant(name: str) -> float:
    """json's hook for NaN, Infinity and -Infinity: refused."""
    raise ValueError(f"{name} is not JSON")


def admin_payload(raw: bytes) -> dict[str, Any]:
    """An admin request's JSON object; ValueError for anything else (NaN, infinities, nesting too deep for Python)."""
    if not raw.strip():
        return {}
    try:
        # NaN, Infinity and numbers too big for a float (1e400) are no JSON numbers: refuse them before any check.
        payload = json.loads(raw, parse_constant=_refuse_constant, parse_float=_finite_float)
    except RecursionError:
        raise ValueError("the body must be a JSON object (this one is nested too deeply)") from None
    except ValueError as exc:
        raise ValueError(f"the body must be a JSON object ({exc})") from None
    if not isinstance(payload, dict):
        raise ValueError("the body must be a JSON object")
    return payload


def _finite_float(text: str) -> float:
    """json's hook for a number with a fraction or exponent: refused when no float holds it (1e400)."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range")
    return value


def seconds_of(value: Any) -> float:
    """A number of seconds from an admin body: a finite number (or a numeric string), else ValueError."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"advance must be a number of seconds, not {value!r}")
    try:
        seconds = float(value)
    except OverflowError:
        raise ValueError("advance is out of range") from None
    if not math.isfinite(seconds):
        raise ValueError(f"advance must be a finite number of seconds, not {value!r}")
    return seconds


def text_of(payload: dict[str, Any], key: str) -> str:
    """A string member of an admin body (`extno` may be missing); ValueError for another type or unsendable text."""
    value = payload.get(key, "") if key == "extno" else payload[key]
    if not isinstance(value, str):
        raise ValueError(f"{key} must be a string, not {value!r}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{key} holds a lone surrogate") from None
    return value


def account_fields() -> set[str]:
    """The names /_sim/accounts/{name} accepts (besides balances and password)."""
    return {f.name for f in fields(AccountConfig)} - {"account", "userid"}


__all__ = ["build_app", "DroppedReply", "SimulatedDrop", "JSON_TYPE"]
