-- Team mode: this file is a replica of the team's shared log (see src/replica.rs).
--
-- `team_events` maps the shared log's event ids to this file's events: `server_seq` is the
-- event's place in the team-wide order, NULL until the server acknowledged it. A
-- conversation's state is the fold of its events by `server_seq`, then the unacknowledged
-- ones by local `seq`.
CREATE TABLE team_events (
    event_id   TEXT PRIMARY KEY NOT NULL,
    local_seq  INTEGER NOT NULL UNIQUE,
    server_seq INTEGER
);
CREATE INDEX team_events_by_server_seq ON team_events (server_seq);

-- This laptop's actions waiting to be pushed to the shared log, in the order they were
-- made. Rows are never deleted: a pushed one gets `pushed_at`.
CREATE TABLE team_outbox (
    device_seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id   TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL,
    -- JSON: {"event": <switchboard_core::Event>}
    payload    TEXT NOT NULL,
    pushed_at  INTEGER
);
CREATE INDEX team_outbox_waiting ON team_outbox (device_seq) WHERE pushed_at IS NULL;

-- This laptop's view of its own claims (updated in place, not a log): held (granted, with
-- its fence), pending (asked, not confirmed yet), lost (someone else holds it), released
-- (given back).
CREATE TABLE team_claims (
    thread_key TEXT PRIMARY KEY NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('held', 'pending', 'lost', 'released')),
    fence      INTEGER,
    holder     TEXT,
    updated_at INTEGER NOT NULL
);
