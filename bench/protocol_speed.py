"""Protocol speed, as ratios against baselines measured in the same run (issue 2's goals)."""

from __future__ import annotations

import random
import time

import smstui.protocol as p


def best(fn, repeat: int = 5) -> float:
    """The fastest of `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_content() -> None:
    text = ("您好，这是一条测试短信，" * 40)[:494] + "【星辰科技】"
    calls = 20_000
    baseline = best(lambda: [len(text) for _ in range(calls)])
    measured = best(lambda: [(p.validate_content(text), p.segments(text)) for _ in range(calls)])
    print(f"validate_content+segments, 500 chars: {measured / calls * 1e6:.1f} µs/call (goal < 50 µs); "
          f"{measured / baseline:.0f}× a bare len() loop")


def pasted_numbers() -> list[str]:
    """A million numbers, 1% of them repeated and 1% cut to 10 digits."""
    rng = random.Random(7)
    n = 1_000_000
    numbers = [f"1{rng.randint(3, 9)}{rng.randint(0, 999_999_999):09d}" for _ in range(n)]
    for i in rng.sample(range(n), n // 100):
        numbers[i] = numbers[rng.randrange(n)]
    for i in rng.sample(range(n), n // 100):
        numbers[i] = numbers[i][:10]
    return numbers


def bench_mobiles() -> None:
    numbers = pasted_numbers()
    text = ",".join(numbers)
    baseline = best(lambda: list(dict.fromkeys(text.split(","))), 3)
    measured = best(lambda: p.parse_mobiles(text), 3)
    print(f"parse_mobiles, 1,000,000 numbers: {measured / baseline:.2f}× list(dict.fromkeys(s.split(','))) (goal ≤ 3×)")
    # What people really paste: a spreadsheet column (CRLF), a list typed with ", " or a Chinese comma.
    for name, separator in (("', '", ", "), ("CRLF", "\r\n"), ("'，'", "，")):
        text = separator.join(numbers)
        baseline = best(lambda text=text, separator=separator: list(dict.fromkeys(text.split(separator))), 3)
        measured = best(lambda text=text: p.parse_mobiles(text), 3)
        print(f"parse_mobiles, 1,000,000 numbers split by {name}: {measured / baseline:.2f}× "
              f"list(dict.fromkeys(s.split({name}))) (goal ≤ 3×)")


def bench_templates() -> None:
    # A template of many variables against a long run of its separator made a backtracking regex take 22 s.
    template = p.Template("1", 1, "@，@，@，@，@，@，@，@。【星辰科技】")
    contents = ["，" * 100 + "【星辰科技】", "，" * 100 + "。【星辰科技】", "，" * 400 + "。【星辰科技】"]
    calls = 200
    baseline = best(lambda: [c == template.text for _ in range(calls) for c in contents])
    measured = best(lambda: [p.match_template(c, [template]) for _ in range(calls) for c in contents])
    per_call = measured / (calls * len(contents))
    print(f"match_template, 8 variables vs 100–400 commas: {per_call * 1e6:.0f} µs/call (goal < 1,000 µs: "
          f"it runs on every keystroke); {measured / baseline:.0f}× comparing the texts")


def bench_reports() -> None:
    reports = [
        p.Report(f"1380013{i % 10000:04d}", "1504080852350206", 10 if i % 7 else 20, None, "DELIVRD", "01")
        for i in range(10_000)
    ]
    body = p.render_reports(reports)
    seconds = best(lambda: p.parse_reports(body))
    baseline = best(lambda: body.decode("utf-8").split("<statusbox>"))
    print(
        f"parse_reports, 10,000 boxes: {10_000 / seconds:,.0f} boxes/s (goal ≥ 100,000); "
        f"{seconds / baseline:.0f}× splitting the text on <statusbox>"
    )


if __name__ == "__main__":
    bench_content()
    bench_templates()
    bench_mobiles()
    bench_reports()
