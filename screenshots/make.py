"""Regenerate an SVG of every screen from the same app factory the tests use: `python screenshots/make.py`."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from tui_support import demo_app, settle, type_into, until_ready  # noqa: E402

SHOTS = [
    ("compose", "en", [], "13900139000\n+86 137 0013 7000\n1380013800", "您的验证码是1234，5分钟内有效【星辰科技】"),
    ("compose-zh", "zh", [], "13900139000\n13700137000", "您的订单已发货，请注意查收【星辰科技】"),
    ("confirm", "en", ["f9"], "13900139000\n13700137000", "您的订单已发货【星辰科技】"),
    ("result", "en", ["f9", "enter"], "13900139000\n13700137000", "您的订单已发货【星辰科技】"),
    ("account", "en", ["f8"], "", ""),
    ("reports", "en", ["f5"], "", ""),
]


async def shoot(name: str, language: str, keys: list[str], numbers: str, content: str) -> None:
    app = demo_app(language)
    async with app.run_test(size=(120, 36)) as pilot:
        await until_ready(pilot)
        if numbers:
            await type_into(pilot, "#recipients", numbers)
            await type_into(pilot, "#content", content)
        for key in keys:
            await pilot.press(key)
            for _ in range(20):
                await settle(pilot)
        app.save_screenshot(str(HERE / f"{name}.svg"))


async def main() -> None:
    for shot in SHOTS:
        await shoot(*shot)
        print(f"screenshots/{shot[0]}.svg")


if __name__ == "__main__":
    asyncio.run(main())
