"""The durable store: the journal of sends, reports, replies, opt-outs, rule history, templates, kept bodies."""

from .records import (
    ANSWERED,
    GAP_CAUSES,
    WAITING,
    ChunkRecord,
    ChunkState,
    Gap,
    InDoubt,
    Ingested,
    KeptBody,
    NewChunk,
    QueryState,
    Resumable,
    SendRecord,
    StoredReport,
    StoredUplink,
    Supersedes,
    UnfinishedSend,
)
from .store import Store, history_since, owner_alive

__all__ = [
    "ANSWERED", "GAP_CAUSES", "WAITING", "ChunkRecord", "ChunkState", "Gap", "InDoubt", "Ingested", "KeptBody",
    "NewChunk", "QueryState", "Resumable", "SendRecord", "Store", "StoredReport", "StoredUplink", "Supersedes",
    "UnfinishedSend", "history_since", "owner_alive",
]
