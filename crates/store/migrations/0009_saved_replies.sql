-- Saved replies (see src/saved_replies.rs): an append-only log of what happened to each
-- saved reply, and the projection the window reads.
--
-- `saved_reply_log`: one row per change — `created` and `edited` carry the whole saved
-- reply as JSON (`{"title", "text", "category", "queues", "platforms"}`), `archived` and
-- `restored` carry `{}`. `event_id` is the same on every laptop of a team; `server_seq`
-- is the change's place in the team's shared log, NULL until the server acknowledged it
-- (always NULL in a local workspace). Rows are never deleted and only `server_seq` is
-- ever set.
CREATE TABLE saved_reply_log (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id   TEXT NOT NULL UNIQUE,
    server_seq INTEGER,
    reply_id   TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('created', 'edited', 'archived', 'restored')),
    body       TEXT NOT NULL,
    author     TEXT NOT NULL,
    at         INTEGER NOT NULL
);
CREATE INDEX saved_reply_log_by_reply ON saved_reply_log (reply_id, seq);

CREATE TRIGGER saved_reply_log_is_never_deleted BEFORE DELETE ON saved_reply_log
BEGIN
    SELECT RAISE(ABORT, 'the saved-reply log is append-only');
END;
CREATE TRIGGER saved_reply_log_is_never_rewritten BEFORE UPDATE ON saved_reply_log
WHEN NEW.seq IS NOT OLD.seq OR NEW.event_id IS NOT OLD.event_id
    OR NEW.reply_id IS NOT OLD.reply_id OR NEW.kind IS NOT OLD.kind
    OR NEW.body IS NOT OLD.body OR NEW.author IS NOT OLD.author OR NEW.at IS NOT OLD.at
BEGIN
    SELECT RAISE(ABORT, 'the saved-reply log is append-only (only its server sequence is set)');
END;

-- Each saved reply as its log says, rebuilt from the log in canonical order
-- (acknowledged changes by server sequence, then the others by `seq`).
CREATE TABLE saved_replies (
    id         TEXT PRIMARY KEY NOT NULL,
    title      TEXT NOT NULL,
    text       TEXT NOT NULL,
    category   TEXT NOT NULL,
    -- JSON arrays of queue ids and platform names.
    queues     TEXT NOT NULL,
    platforms  TEXT NOT NULL,
    archived   INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
