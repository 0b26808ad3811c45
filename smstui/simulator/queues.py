"""An account's pull queue of delivery reports: first in, first out across tasks, each report handed out once."""

from __future__ import annotations

import itertools
from collections import OrderedDict, deque

from ..protocol import Report


class ReportQueue:
    """Reports in arrival order, with an index by task so a `taskid` query takes only that task's, oldest first."""

    def __init__(self) -> None:
        self._order: OrderedDict[int, Report] = OrderedDict()
        self._by_task: dict[str, deque[int]] = {}
        self._numbers = itertools.count()

    def __len__(self) -> int:
        return len(self._order)

    def append(self, report: Report) -> None:
        """Queue a report behind every other."""
        number = next(self._numbers)
        self._order[number] = report
        self._by_task.setdefault(report.task_id, deque()).append(number)

    def take(self, limit: int, task_id: str = "") -> list[Report]:
        """Up to `limit` of the oldest reports (of one task, if given); they leave the queue."""
        if task_id:
            numbers = self._by_task.get(task_id)
            picked: list[Report] = []
            while numbers and len(picked) < limit:
                picked.append(self._order.pop(numbers.popleft()))
            if numbers is not None and not numbers:
                del self._by_task[task_id]
            return picked
        taken: list[Report] = []
        while self._order and len(taken) < limit:
            _, report = self._order.popitem(last=False)
            numbers = self._by_task[report.task_id]
            numbers.popleft()  # the oldest report overall is also the oldest of its task
            if not numbers:
                del self._by_task[report.task_id]
            taken.append(report)
        return taken
