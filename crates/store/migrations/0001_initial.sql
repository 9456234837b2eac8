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
    -- Earliest customer item after the brand's last item; NULL when answered or done.
    waiting_since    INTEGER,
    answered_before  INTEGER NOT NULL DEFAULT 0,
    claimed_by       TEXT,
    done_reason      TEXT,
    snoozed_until    INTEGER,
    handoff_note     TEXT,
    handoff_by       TEXT,
    handoff_at       INTEGER,
    item_count       INTEGER NOT NULL DEFAULT 0,
    note_count       INTEGER NOT NULL DEFAULT 0,
    -- SLA deadlines of the current waiting run; NULL when not waiting.
    at_risk_at       INTEGER,
    breached_at      INTEGER,
    escalated_at     INTEGER,
    -- The reducer's whole state (JSON), the source of every column above.
    state            TEXT NOT NULL
);
-- A queue page: waiting conversations by due time, answered ones by recency.
CREATE INDEX conversations_waiting_by_due ON conversations (queue_id, breached_at)
    WHERE breached_at IS NOT NULL;
CREATE INDEX conversations_by_activity ON conversations (queue_id, last_activity_at);
-- Finding the conversations whose SLA state changes in a time window.
CREATE INDEX conversations_at_risk_at ON conversations (at_risk_at) WHERE at_risk_at IS NOT NULL;
CREATE INDEX conversations_breached_at ON conversations (breached_at) WHERE breached_at IS NOT NULL;
CREATE INDEX conversations_escalated_at ON conversations (escalated_at) WHERE escalated_at IS NOT NULL;

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
    actor           TEXT,
    -- The whole event (switchboard_core::Event) as JSON.
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
