"""The simulator's ASGI app: the vendor's paths (case-insensitive), faults, and the /_sim admin API."""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import asdict, fields
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from .. import protocol as p
from .config import AccountConfig
from .gateway import JSON_TYPE, XML_TYPE, Reply

if TYPE_CHECKING:
    from .server import Simulator

ERROR_PAGE = (
    "<!DOCTYPE html><html><head><title>{status} {reason}</title></head>"
    "<body><h1>{status} {reason}</h1><hr><center>nginx</center></body></html>"
)


class SimulatedDrop(Exception):
    """Raised after half a reply was sent, so the server closes the connection (the 'dropped reply' fault)."""


def _charset(content_type: str, default: str) -> str:
    for piece in content_type.split(";"):
        name, _, value = piece.strip().partition("=")
        if name.lower() == "charset" and value:
            value = value.strip("\"' ").lower()
            return "gb18030" if value in ("gb2312", "gbk", "gb18030") else value
    return default


def _pairs(raw: bytes, encoding: str) -> list[tuple[str, str]]:
    if not raw:
        return []
    try:
        text = raw.decode(encoding if not raw.isascii() else "ascii")
    except (UnicodeDecodeError, LookupError):
        text = raw.decode("gb18030", "replace")
    return parse_qsl(text, keep_blank_values=True, encoding=encoding, errors="replace")


async def read_params(request: Request, encoding: str) -> tuple[dict[str, str], bytes]:
    """The request's parameters, query and form body mixed, names case-insensitive."""
    body = await request.body()
    ctype = request.headers.get("content-type", "")
    encoding = _charset(ctype, encoding)
    form = [] if ("xml" in ctype or "json" in ctype) else _pairs(body, encoding)
    query = _pairs(request.scope.get("query_string", b""), encoding)
    params = p.merge_params(query, form)
    if encoding == "utf-8" and any("\ufffd" in v for v in params.values()):
        params = p.merge_params(_pairs(request.scope.get("query_string", b""), "gb18030"), _pairs(body, "gb18030"))
    return params, body


def build_app(sim: Simulator) -> Silenceable:
    """The ASGI app of a Simulator."""

    async def vendor(request: Request) -> Response:
        path = request.url.path.lower().rstrip("/")
        if path.startswith("/_sim"):
            return await admin(request, path[len("/_sim"):], request.url.path.rstrip("/")[len("/_sim"):])
        faults = sim.faults
        rng = sim.fault_rng
        if faults.latency:
            await asyncio.sleep(faults.latency)
        if faults.error_ratio and rng.random() < faults.error_ratio:
            return Response(ERROR_PAGE.format(status=503, reason="Service Unavailable"), 503, media_type="text/html")
        if faults.html_ratio and rng.random() < faults.html_ratio:
            return Response(ERROR_PAGE.format(status=502, reason="Bad Gateway"), 200, media_type="text/html")
        try:
            reply = await route(request, path)
        except ClientDisconnect:  # the client left before its request was read: nothing was done
            return Response(status_code=499)
        if faults.drop_ratio and rng.random() < faults.drop_ratio:
            return DroppedReply(reply, faults.drop_mode, faults.drop_delay)
        if faults.truncate_ratio and rng.random() < faults.truncate_ratio:
            reply.body = reply.body[: len(reply.body) // 2]
        return Response(reply.body, reply.status, headers=reply.headers, media_type=reply.content_type)

    async def route(request: Request, path: str) -> Reply:
        gw = sim.gateway  # looked up per request: reset() builds a new world and gateway
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
            if request.method == "GET" or "wsdl" in params:
                return Reply(p.render_wsdl(str(request.url.replace(query=""))), XML_TYPE)
            return gw.soap(body, ip)
        return Reply(ERROR_PAGE.format(status=404, reason="Not Found").encode(), "text/html", 404)

    async def admin(request: Request, path: str, original: str) -> Response:
        if path == "/hello":
            return PlainTextResponse("hello")
        if path in ("", "/state"):
            return JSONResponse(sim.world.snapshot(sim.clock.now()))
        payload: dict[str, Any] = {}
        if request.method == "POST":
            raw = await request.body()
            try:
                payload = json.loads(raw) if raw.strip() else {}
            except ValueError:
                return JSONResponse({"error": "the body must be a JSON object"}, 400)
            if not isinstance(payload, dict):
                return JSONResponse({"error": "the body must be a JSON object"}, 400)
        try:
            if path == "/clock":
                if request.method == "POST":
                    sim.advance(float(payload.get("advance", 0)))
                return JSONResponse({"now": sim.clock.now().isoformat(), "mode": sim.clock.mode})
            if path == "/faults":
                if request.method == "POST":
                    sim.set_faults(**payload)
                return JSONResponse(asdict(sim.faults))
            if path == "/uplink" and request.method == "POST":
                sim.inject_uplink(payload["account"], payload["mobile"], payload["content"], payload.get("extno", ""))
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
        except (KeyError, TypeError, ValueError) as exc:
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


def account_fields() -> set[str]:
    """The names /_sim/accounts/{name} accepts (besides balances and password)."""
    return {f.name for f in fields(AccountConfig)} - {"account", "userid"}


__all__ = ["build_app", "DroppedReply", "SimulatedDrop", "JSON_TYPE"]
