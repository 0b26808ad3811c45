"""Sends of any size that never double-send and never lose track: jobs, journal, plan, run, outcome, reconcile."""

from __future__ import annotations

from .context import SendContext, SendSettings
from .jobs import BatchJob, ChunkSizes, Job, JobContext, MmsJob, SmsJob, job_class
from .outcome import ChunkResult, SendOutcome
from .planner import Held, Planner, Preflight, SendHandle
from .reconcile import Decision, Evidence, Reconciler, ReconcileResult, Sighting, decide
from .runner import Runner


class Sender:
    """One profile's sending: the planner, the runner and the reconciler on one context."""

    def __init__(self, ctx: SendContext) -> None:
        self.ctx = ctx
        self.planner = Planner(ctx)
        self.runner = Runner(ctx)
        self.reconciler = Reconciler(ctx, self.planner)

    @property
    def settings(self) -> SendSettings:
        """Chunk sizes, concurrency, retries, content limits, reconcile_wait."""
        return self.ctx.settings


__all__ = [
    "BatchJob", "ChunkResult", "ChunkSizes", "Decision", "Evidence", "Held", "Job", "JobContext", "MmsJob", "Planner",
    "Preflight", "ReconcileResult", "Reconciler", "Runner", "SendContext", "SendHandle", "SendOutcome", "SendSettings",
    "Sender", "Sighting", "SmsJob", "decide", "job_class",
]
