"""One number's thread: our messages with their reports and its replies in order, each reply routed by extno to the
send it answers, opt-outs and near-misses marked."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.widgets import Static

from ...protocol.optout import OPTOUT_WORDS, is_optout, near_optout
from ...protocol.report_codes import code_meaning
from ...service.store.records import HistoryItem
from ..strings import Strings
from ..styles import ERROR, INFO, MUTED, STRONG, SUCCESS, WARNING, Lines

DELIVERED = 10


def short_time(at: str) -> str:
    """`2026-03-01 10:00:05` as `03-01 10:00:05` (the year is in the detail line)."""
    return at[5:19] if len(at) >= 16 else at


def answers(items: Sequence[HistoryItem], index: int) -> HistoryItem | None:
    """The message of ours a reply answers: the latest one before it sent with the reply's extno (none without)."""
    reply = items[index]
    if not reply.extno:
        return None
    for item in reversed(items[:index]):
        if item.kind == "sent" and item.extno == reply.extno:
            return item
    return None


def meaning(t: Strings, code: str) -> str:
    """What a report's code means, in the user's language."""
    found = code_meaning(code)
    return found.chinese if t.language == "zh" else found.english


class Conversation(Static):
    """A number's history drawn as a conversation (oldest first, the latest at the bottom)."""

    DEFAULT_CSS = """
    Conversation { height: auto; padding: 0 1; }
    """

    def show(self, items: Sequence[HistoryItem], t: Strings, words: Iterable[str] = OPTOUT_WORDS) -> None:
        """Draw the items; `words` are the profile's opt-out words."""
        stops = tuple(words)
        body = Lines()
        if not items:
            body.line(t("desk.thread.nothing"), MUTED)
        for index, item in enumerate(items):
            when = short_time(item.at)
            if item.kind == "sent":
                body.add(f"{when}  ").add("→ ", INFO).line(item.text)
                extno = t("desk.thread.extno", extno=item.extno) if item.extno else ""
                body.line(f"{' ' * len(when)}    {t('desk.thread.task', task=item.task_id)}{extno}", MUTED)
            elif item.kind == "report":
                pad = " " * (len(when) + 4)
                if item.status == DELIVERED:
                    body.line(f"{pad}✓ {t('desk.thread.delivered', at=when)}", SUCCESS)
                else:
                    failed = t("desk.thread.failed", at=when, code=item.code, meaning=meaning(t, item.code))
                    body.line(f"{pad}✕ {failed}", ERROR)
            else:
                pad = " " * (len(when) + 4)
                body.add(f"{when}  ").add("← ", WARNING).line(item.text, STRONG)
                routed = answers(items, index)
                if routed is not None:
                    body.line(f"{pad}↩ {t('desk.thread.answers', at=short_time(routed.at), extno=item.extno)}", MUTED)
                elif item.extno:
                    body.line(f"{pad}↩ {t('desk.thread.no_send', extno=item.extno)}", MUTED)
                if is_optout(item.text, stops):
                    body.line(f"{pad}⊘ {t('desk.thread.optout')}", WARNING)
                elif near_optout(item.text, stops):
                    body.line(f"{pad}≈ {t('desk.thread.near')}", WARNING)
        self.update(body.content())
