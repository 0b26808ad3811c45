"""The SQLite schema, as the migrations that build it (`PRAGMA user_version` counts them)."""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: the first schema
    """
    CREATE TABLE sends(
        id TEXT PRIMARY KEY, profile TEXT NOT NULL, kind TEXT NOT NULL, transport TEXT NOT NULL,
        content TEXT NOT NULL, subject TEXT NOT NULL DEFAULT '', send_time TEXT NOT NULL DEFAULT '',
        extno TEXT NOT NULL DEFAULT '', segments INTEGER NOT NULL, recipients INTEGER NOT NULL,
        cost INTEGER NOT NULL, created TEXT NOT NULL, state TEXT NOT NULL, payload TEXT NOT NULL DEFAULT '{}');
    CREATE TABLE chunks(
        id INTEGER PRIMARY KEY, send_id TEXT NOT NULL REFERENCES sends(id), seq INTEGER NOT NULL,
        state TEXT NOT NULL, mobiles TEXT NOT NULL, rows TEXT NOT NULL DEFAULT '', count INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0, task_id TEXT NOT NULL DEFAULT '', accepted INTEGER NOT NULL DEFAULT 0,
        balance INTEGER, code INTEGER, message TEXT NOT NULL DEFAULT '', sent_at TEXT NOT NULL DEFAULT '',
        updated TEXT NOT NULL DEFAULT '', UNIQUE(send_id, seq));
    CREATE INDEX chunks_state ON chunks(state);
    CREATE TABLE tasks(
        profile TEXT NOT NULL, task_id TEXT NOT NULL, send_id TEXT NOT NULL DEFAULT '', created TEXT NOT NULL,
        transport TEXT NOT NULL, kind TEXT NOT NULL, content TEXT NOT NULL, segments INTEGER NOT NULL,
        recipients INTEGER NOT NULL, cost INTEGER NOT NULL, PRIMARY KEY(profile, task_id));
    CREATE TABLE recipients(
        profile TEXT NOT NULL, task_id TEXT NOT NULL, mobile TEXT NOT NULL, sent_at TEXT NOT NULL,
        verification INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(profile, task_id, mobile));
    CREATE INDEX recipients_mobile ON recipients(profile, mobile, sent_at);
    CREATE TABLE reports(
        profile TEXT NOT NULL, task_id TEXT NOT NULL, mobile TEXT NOT NULL, status INTEGER NOT NULL,
        receive_time TEXT NOT NULL, error_code TEXT NOT NULL, extno TEXT NOT NULL, status_derived INTEGER NOT NULL,
        received_at TEXT NOT NULL, PRIMARY KEY(profile, task_id, mobile)) WITHOUT ROWID;
    CREATE INDEX reports_received ON reports(profile, received_at);
    CREATE TABLE uplinks(
        id INTEGER PRIMARY KEY, profile TEXT NOT NULL, mobile TEXT NOT NULL, content TEXT NOT NULL,
        receive_time TEXT NOT NULL, extno TEXT NOT NULL, received_at TEXT NOT NULL, optout INTEGER NOT NULL DEFAULT 0,
        UNIQUE(profile, mobile, content, receive_time, extno));
    CREATE TABLE templates(
        profile TEXT NOT NULL, template_id TEXT NOT NULL, status INTEGER NOT NULL, text TEXT NOT NULL,
        seen_at TEXT NOT NULL, PRIMARY KEY(profile, template_id));
    CREATE TABLE optouts(
        profile TEXT NOT NULL, mobile TEXT NOT NULL, source TEXT NOT NULL, added_at TEXT NOT NULL,
        PRIMARY KEY(profile, mobile));
    CREATE TABLE raw_replies(
        id INTEGER PRIMARY KEY, profile TEXT NOT NULL, kind TEXT NOT NULL, body BLOB NOT NULL, error TEXT NOT NULL,
        received_at TEXT NOT NULL, replayed INTEGER NOT NULL DEFAULT 0);
    """,
    # 2: which process holds a chunk in flight (a live one's chunks are not its crash to clean up)
    """
    ALTER TABLE chunks ADD COLUMN owner TEXT NOT NULL DEFAULT '';
    CREATE INDEX reports_mobile ON reports(profile, mobile);
    """,
    # 3: what each chunk costs (a batch's rows differ), so an outcome can say what was spent
    """
    ALTER TABLE chunks ADD COLUMN cost INTEGER NOT NULL DEFAULT 0;
    """,
    # 4: every report and uplink query journaled (a body that may have been lost leaves a gap)
    """
    CREATE TABLE queries(
        id INTEGER PRIMARY KEY, profile TEXT NOT NULL, kind TEXT NOT NULL, task_id TEXT NOT NULL DEFAULT '',
        owner TEXT NOT NULL, started_at TEXT NOT NULL, state TEXT NOT NULL, ended_at TEXT NOT NULL DEFAULT '',
        items INTEGER NOT NULL DEFAULT 0, note TEXT NOT NULL DEFAULT '', resolved INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX queries_open ON queries(profile, state) WHERE state IN ('open', 'gap');
    """,
    # 5: history belongs to the gateway account (host and account name), not to a profile's label
    """
    ALTER TABLE sends RENAME COLUMN profile TO account;
    ALTER TABLE tasks RENAME COLUMN profile TO account;
    ALTER TABLE recipients RENAME COLUMN profile TO account;
    ALTER TABLE reports RENAME COLUMN profile TO account;
    ALTER TABLE uplinks RENAME COLUMN profile TO account;
    ALTER TABLE templates RENAME COLUMN profile TO account;
    ALTER TABLE optouts RENAME COLUMN profile TO account;
    ALTER TABLE raw_replies RENAME COLUMN profile TO account;
    ALTER TABLE queries RENAME COLUMN profile TO account;
    CREATE TABLE adopted(name TEXT PRIMARY KEY, account TEXT NOT NULL, adopted_at TEXT NOT NULL);
    CREATE TABLE notices(account TEXT NOT NULL, notice TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY(account, notice));
    """,
    # 6: lists over millions of rows (filters on indexes), threads of replies, who removed an opt-out and why
    """
    CREATE INDEX reports_time ON reports(account, receive_time);
    CREATE INDEX reports_status ON reports(account, status, receive_time);
    CREATE INDEX reports_code ON reports(account, upper(error_code));
    CREATE INDEX recipients_sent ON recipients(account, sent_at);
    CREATE INDEX tasks_created ON tasks(account, created);
    CREATE INDEX tasks_send ON tasks(account, send_id);
    ALTER TABLE uplinks ADD COLUMN seen INTEGER NOT NULL DEFAULT 1;
    CREATE TABLE threads(
        account TEXT NOT NULL, mobile TEXT NOT NULL, last_id INTEGER NOT NULL, count INTEGER NOT NULL,
        unread INTEGER NOT NULL, PRIMARY KEY(account, mobile));
    CREATE INDEX threads_last ON threads(account, last_id);
    INSERT INTO threads SELECT account, mobile, MAX(id), COUNT(*), 0 FROM uplinks GROUP BY account, mobile;
    CREATE TABLE optout_log(
        id INTEGER PRIMARY KEY, account TEXT NOT NULL, mobile TEXT NOT NULL, action TEXT NOT NULL,
        reason TEXT NOT NULL, at TEXT NOT NULL);
    """,
    # 7: a claim on a chunk lasts until a time of the database's clock (a team's store: the owner may be anywhere)
    """
    ALTER TABLE chunks ADD COLUMN lease TEXT NOT NULL DEFAULT '';
    """,
]
