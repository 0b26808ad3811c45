"""The durable store: the journal of sends, reports, replies, opt-outs, rule history, templates, kept bodies."""

from .records import (
    ANSWERED,
    WAITING,
    ChunkRecord,
    ChunkState,
    InDoubt,
    Ingested,
    KeptBody,
    NewChunk,
    SendRecord,
    StoredReport,
    StoredUplink,
    Supersedes,
    UnfinishedSend,
)
from .sqlite import Store, history_since, owner_alive

__all__ = [
    "ANSWERED", "WAITING", "ChunkRecord", "ChunkState", "InDoubt", "Ingested", "KeptBody", "NewChunk", "SendRecord",
    "Store", "StoredReport", "StoredUplink", "Supersedes", "UnfinishedSend", "history_since", "owner_alive",
]
