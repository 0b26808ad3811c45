"""The reconciliation decision as a pure function, case by case: which numbers of an unknown request are proved."""

import pytest

from smstui.service.sending import Evidence, Sighting, decide
from smstui.service.store import InDoubt

A, B, C = "13900000001", "13900000002", "13900000003"
OUT_AT = "2026-03-01 10:00:00"  # when the chunk under decision went out


def seen(task, mobile, at="2026-03-01 10:00:05"):
    return Sighting(task, mobile, at)


def rival(chunk_id, mobiles, sent_at="2026-03-01 09:59:00"):
    return InDoubt(chunk_id, "other", frozenset(mobiles), sent_at)


CASES = [
    # (what, reports, claimed tasks, rivals, confirmed, ambiguous, unconfirmed)
    ("no report: nothing is proved", [], (), [], {}, set(), [A, B]),
    ("a report proves its number", [seen("t1", A)], (), [], {A: "t1"}, set(), [B]),
    ("every number reported: settled", [seen("t1", A), seen("t1", B)], (), [], {A: "t1", B: "t1"}, set(), []),
    ("a task of another request of this store proves nothing", [seen("t1", A)], ("t1",), [], {}, set(), [A, B]),
    ("reports of numbers not in the chunk are ignored", [seen("t1", C)], (), [], {}, set(), [A, B]),
    ("a rival request in doubt, out before the report, to the same number: ambiguous",
     [seen("t1", A)], (), [rival(2, [A])], {}, {A}, [B]),
    ("a rival to other numbers changes nothing", [seen("t1", A)], (), [rival(2, [C])], {A: "t1"}, set(), [B]),
    ("a rival that went out after the first report could not have caused it",
     [seen("t1", A, "2026-03-01 10:00:05")], (), [rival(2, [A], "2026-03-01 10:00:09")], {A: "t1"}, set(), [B]),
    ("a rival never sent (no sent_at) is no rival", [seen("t1", A)], (), [rival(2, [A], "")], {A: "t1"}, set(), [B]),
    ("the chunk itself is no rival", [seen("t1", A)], (), [rival(1, [A, B])], {A: "t1"}, set(), [B]),
    ("a number proved by one task is not ambiguous for another",
     [seen("t1", A), seen("t2", A), seen("t2", B)], (), [rival(2, [B])], {A: "t1"}, {B}, []),
    ("the earliest report of a task decides whether a rival could have caused it",
     [seen("t1", A, "2026-03-01 10:00:30"), seen("t1", B, "2026-03-01 10:00:03")], (),
     [rival(2, [A], "2026-03-01 10:00:10")], {A: "t1", B: "t1"}, set(), []),
]


@pytest.mark.parametrize(("what", "reports", "claimed", "rivals", "confirmed", "ambiguous", "unconfirmed"), CASES,
                         ids=[case[0] for case in CASES])
def test_decide(what, reports, claimed, rivals, confirmed, ambiguous, unconfirmed):
    decision = decide(1, [A, B], Evidence(reports, frozenset(claimed), rivals))
    assert decision.confirmed == confirmed
    assert decision.ambiguous == frozenset(ambiguous)
    assert list(decision.unconfirmed) == unconfirmed
    assert decision.settled == (not ambiguous and not unconfirmed)


def test_confirmed_numbers_are_grouped_by_the_task_that_proves_them():
    decision = decide(1, [A, B, C], Evidence([seen("t1", A), seen("t2", B), seen("t1", C)]))
    assert decision.by_task() == {"t1": [A, C], "t2": [B]}
