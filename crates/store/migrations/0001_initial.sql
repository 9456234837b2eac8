-- Switchboard workspace database: one file per workspace.
--
-- `events` is the append-only log (the audit trail); `items`, `conversations` and
-- `cursors` are projections and sync positions written in the same transaction as the
-- events that explain them.

CREATE TABLE queues (
    id       TEXT PRIMARY KEY NOT NULL,
    label    TEXT NOT NULL,
    color    TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE conversations (
    id               INTEGER PRIMARY KEY,
    thread_key       TEXT NOT NULL UNIQUE,
    queue_id         TEXT NOT NULL,
    platform         TEXT NOT NULL,
    -- From the earliest customer item; NULL while only brand items are known.
    kind             TEXT,
    customer_handle  TEXT,
    customer_name    TEXT,
    -- First line of the latest customer item.
    preview          TEXT NOT NULL DEFAULT '',
    last_activity_at INTEGER NOT NULL,
    last_brand_at    INTEGER,
    -- Earliest customer item after the brand's last item; NULL when answered.
    waiting_since    INTEGER,
    item_count       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX conversations_by_queue ON conversations (queue_id, waiting_since, last_activity_at);

CREATE TABLE items (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id),
    platform        TEXT NOT NULL,
    account         TEXT NOT NULL,
    native_id       TEXT NOT NULL,
    kind            TEXT NOT NULL,
    author_handle   TEXT NOT NULL,
    author_name     TEXT NOT NULL,
    from_brand      INTEGER NOT NULL,
    body            TEXT NOT NULL,
    preview         TEXT NOT NULL,
    lang            TEXT,
    created_at      INTEGER NOT NULL,
    UNIQUE (platform, account, native_id)
);
CREATE INDEX items_by_conversation ON items (conversation_id, created_at);

CREATE TABLE events (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    recorded_at     INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    conversation_id INTEGER,
    payload         TEXT NOT NULL
);
CREATE INDEX events_by_conversation ON events (conversation_id, seq);

CREATE TRIGGER events_are_never_updated BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only');
END;
CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only');
END;

-- How far each source has been read. Moves only with the rows it covers.
CREATE TABLE cursors (
    source   TEXT PRIMARY KEY NOT NULL,
    position TEXT NOT NULL
);
