"""A simulator for a test, and an httpx client that speaks to it through the protocol's builders."""

from __future__ import annotations

from typing import Any

import httpx

import smstui.protocol as p
from smstui.simulator import SimConfig, Simulator

SIM_START = "2026-03-01 10:00:00"  # Beijing time: every simulator of the suite starts here, its clock frozen
SIM_DEFAULTS: dict[str, Any] = {"clock": "frozen", "start_time": SIM_START, "seed": 1}


def make_sim_config(**overrides: Any) -> SimConfig:
    """A SimConfig with the suite's defaults (frozen clock at SIM_START, seed 1) and the given overrides."""
    return SimConfig(**{**SIM_DEFAULTS, **overrides})


class SimClient:
    """An httpx client bound to a running simulator, with a few shortcuts around the protocol's builders."""

    def __init__(self, sim: Simulator, http: httpx.AsyncClient) -> None:
        self.sim = sim
        self.http = http

    async def call(self, request: p.GatewayRequest, **kwargs: Any) -> httpx.Response:
        """Send a request exactly as the protocol's builder describes it (method, path, body, headers)."""
        headers = {"Content-Type": request.content_type(), **request.headers}
        return await self.http.request(
            request.method, request.path, content=request.content(), headers=headers, **kwargs
        )

    async def send(self, creds: p.Credentials, mobiles: str, content: str, **kwargs: Any) -> p.SendResult:
        """An XML send on sms.aspx, parsed."""
        response = await self.call(p.build_send(creds, mobiles, content, **kwargs))
        assert response.status_code == 200, response.text
        return p.parse_send_result(response.content)

    async def balance(self, creds: p.Credentials) -> int:
        """The account's balance as the gateway reports it on sms.aspx."""
        result = p.parse_balance((await self.call(p.build_balance(creds))).content)
        assert result.ok, result
        assert result.balance is not None
        return result.balance

    async def reports(self, creds: p.Credentials, **kwargs: Any) -> list[p.Report]:
        """One report query (XML), asserting it succeeded."""
        reply = p.parse_reports((await self.call(p.build_reports_query(creds, **kwargs))).content)
        assert reply.ok, reply
        return reply.items

    async def drain_reports(self, creds: p.Credentials, **kwargs: Any) -> list[p.Report]:
        """Poll the report queue until an empty answer; everything it gave."""
        everything: list[p.Report] = []
        for _ in range(1000):
            batch = await self.reports(creds, **kwargs)
            if not batch:
                return everything
            everything.extend(batch)
        raise AssertionError("the report queue never ran empty")

    async def uplinks(self, creds: p.Credentials) -> list[p.Uplink]:
        """One uplink query (XML), asserting it succeeded."""
        reply = p.parse_uplinks((await self.call(p.build_uplinks_query(creds))).content)
        assert reply.ok, reply
        return reply.items

    async def state(self) -> dict[str, Any]:
        """GET /_sim/state."""
        response = await self.http.get("/_sim/state")
        assert response.status_code == 200
        return response.json()
