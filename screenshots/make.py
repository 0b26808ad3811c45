"""Regenerate an SVG of every screen from the same app factory the tests use: `python screenshots/make.py`."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from support.tui import demo_app, settle, type_into, until_ready  # noqa: E402

NUMBERS = "13900139000\n+86 137 0013 7000\n1380013800"
SIGNED = "您的验证码是1234，5分钟内有效【星辰科技】"


async def with_history(pilot) -> None:
    """A few sends, their delivery reports and some replies (one an opt-out), as after a morning's work."""
    app = pilot.app
    sim = app.launcher.simulator
    from smstui.service import SmsJob

    numbers = ("13900139000", "13700137000", "13600136000", "15012345678", "18612345678")
    await app.service.send(await app.service.preflight(SmsJob(mobiles=numbers, content="您的订单已发货【星辰科技】")))
    sim.advance(30)
    sim.inject_uplink("demo", "13700137000", "好的，谢谢")
    sim.inject_uplink("demo", "13600136000", "退订")
    await app.service.drain_reports()
    await app.service.drain_uplinks()
    app.refresh_balance()


SHOTS = [
    # name, language, size, recipients, content, keys, setup
    ("compose", "en", (120, 40), NUMBERS, SIGNED, [], None),
    ("compose-80x24", "en", (80, 24), NUMBERS, SIGNED, [], None),
    ("compose-zh", "zh", (120, 40), "13900139000\n13700137000", "您的订单已发货，请注意查收【星辰科技】", [], None),
    ("confirm", "en", (80, 24), "13900139000\n13700137000", "您的订单已发货【星辰科技】", ["f9"], None),
    ("result", "en", (80, 24), "13900139000\n13700137000", "您的订单已发货【星辰科技】", ["f9", "enter"], None),
    ("account", "en", (80, 24), "", "", ["f8"], None),
    ("reports", "en", (100, 30), "", "", ["f5"], with_history),
    ("inbox-zh", "zh", (100, 30), "", "", ["f6"], with_history),
]


async def shoot(name, language, size, numbers, content, keys, setup) -> None:
    app = demo_app(language)
    async with app.run_test(size=size) as pilot:
        await until_ready(pilot)
        if setup is not None:
            await setup(pilot)
        if numbers:
            await type_into(pilot, "#recipients", numbers)
            await type_into(pilot, "#content", content)
        for key in keys:
            await pilot.press(key)
            for _ in range(20):
                await settle(pilot)
        for _ in range(20):
            await settle(pilot)
        app.save_screenshot(str(HERE / f"{name}.svg"))


async def main() -> None:
    os.environ["TZ"] = "UTC"  # the same pictures on every machine
    time.tzset()
    for shot in SHOTS:
        await shoot(*shot)
        print(f"screenshots/{shot[0]}.svg")


if __name__ == "__main__":
    asyncio.run(main())
