"""Templates speed: Compose's keystroke on an account with 1,000 enabled templates vs on one with none, in one run
(goal ≤ 1.15×), measured as bench/tui_speed.py measures the keystroke (process CPU while keys arrive from the
terminal driver one every 20 ms, the simulator in its own process), and the match itself per call for scale.

The message typed is a real one (it fits one of the 1,000, which share their wording the way a company's templates
do); each key changes a fixed character and the next takes it back, so the content keeps within the templates'
lengths and alternately matches and departs: the live match is asked for real on every key.
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from _simproc import CONFIG, simulator
from support.tui import settle
from textual import events
from textual.widgets import TextArea
from tui_speed import PACE, until_compose

KEYS = 300
ROUNDS = 3
TEMPLATES = 1000
NOUNS = ["订单", "包裹", "快递", "账户", "会员卡", "积分", "优惠券", "预约", "退款", "发票", "保单", "工单"]
VERBS = ["已发货", "已签收", "已到账", "已生效", "即将到期", "已受理", "已退回", "已完成", "待确认", "已取消"]
TAILS = ["请注意查收", "详情请登录官网查看", "如有疑问请致电客服", "感谢您的支持", "请及时处理", "回复TD退订"]


def bench_templates(count: int = TEMPLATES) -> list[str]:
    """A company's templates: the same few phrases in many combinations, each with its own number."""
    rng = random.Random(15)
    return [f"尊敬的@，您的{rng.choice(NOUNS)}{n:04d}号@{rng.choice(VERBS)}，{rng.choice(TAILS)}【星辰科技】"
            for n in range(count)]


def settings(templates: list[str]) -> str:
    """The simulator's settings: the bench account, and `many` with the templates."""
    return CONFIG + f"""
[[accounts]]
account = "many"
password = "many"
userid = "2"
balance = 1000000000
templates = {json.dumps(templates, ensure_ascii=False)}
"""


def profile_app(url: str, store: Path, account: str):
    """The real app on a profile of the simulator process that uses templates (no pollers worth the name)."""
    from smstui.service import AppConfig, Profile
    from smstui.tui import ProfileLauncher, make_app

    profile = Profile(name=account, base_url=url, account=account, userid="1" if account == "bench" else "2",
                      password=account, poll_interval=86400, uses_templates=True)
    config = AppConfig(default_profile=account, store_path=str(store), profiles={account: profile})
    app = make_app(ProfileLauncher(config))
    app.animation_level = "none"
    return app


def message(templates: list[str]) -> tuple[str, int]:
    """A message filled in from the middle template, and where a fixed character of it stands."""
    text = templates[len(templates) // 2].replace("@", "张三", 1).replace("@", "SF1234567890", 1)
    return text, text.index("，", text.index("号"))  # after the verb: a key there breaks the fixed text


async def cpu_per_key(app, text: str, at: int, templates: int) -> float:
    """Process CPU seconds per key: a character typed into the fixed text, then taken back, `KEYS` times."""
    async with app.run_test(size=(120, 40)) as pilot:
        await until_compose(pilot)
        book = app.service.template_book
        for _ in range(400):
            if book.loaded:
                break
            await pilot.pause(0.02)
        assert len(book.index.enabled) == templates, "the account's templates are loaded"
        area = app.screen.query_one("#content", TextArea)
        area.load_text(text)
        area.focus()
        area.move_cursor((0, at))
        await settle(pilot)
        assert (app.screen.content.template is not None) == bool(templates), "the message matches"
        driver = app._driver
        assert driver is not None
        start = time.process_time()
        for n in range(KEYS):
            key = events.Key("x", "x") if n % 2 == 0 else events.Key("backspace", None)
            key.set_sender(app)
            driver.send_message(key)
            await asyncio.sleep(PACE)
        await pilot.pause()
        spent = time.process_time() - start
        assert area.text == text, "every key was typed and taken back"
        return spent / KEYS


async def keystrokes(templates: list[str]) -> tuple[float, float]:
    text, at = message(templates)
    with simulator(settings(templates)) as url, tempfile.TemporaryDirectory() as tmp:
        many, none = [], []
        for round_ in range(ROUNDS):
            many.append(await cpu_per_key(profile_app(url, Path(tmp) / f"m{round_}.db", "many"), text, at,
                                          len(templates)))
            none.append(await cpu_per_key(profile_app(url, Path(tmp) / f"n{round_}.db", "bench"), text, at, 0))
        return statistics.median(many), statistics.median(none)


def match_cost(templates: list[str], text: str, at: int) -> tuple[float, float]:
    """Seconds per match call on the shared index: the message as it is, and with a fixed character changed."""
    import smstui.protocol as p

    index = p.TemplateIndex([p.Template(f"{n}", p.TemplateStatus.ENABLED, t) for n, t in enumerate(templates)])
    changed = text[:at] + "x" + text[at:]
    found = []
    for content in (text, changed):
        start = time.perf_counter()
        for _ in range(200):
            index.match(content)
        found.append((time.perf_counter() - start) / 200)
    return found[0], found[1]


def main() -> None:
    templates = bench_templates()
    text, at = message(templates)
    many, none = asyncio.run(keystrokes(templates))
    print(f"keystroke in Compose, process CPU: {many * 1000:.2f} ms per key with {len(templates):,} enabled templates "
          f"vs {none * 1000:.2f} ms with none = {many / none:.2f}× (goal ≤ 1.15×)")
    fits, departs = match_cost(templates, text, at)
    print(f"the match alone on the shared index: {fits * 1e6:.0f} µs when it fits, {departs * 1e6:.0f} µs when it "
          f"departs (for scale)")


if __name__ == "__main__":
    main()
