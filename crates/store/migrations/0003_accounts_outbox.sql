-- Brand accounts this person signed in to in this workspace. Never a token: those live
-- in the OS keychain under the workspace's namespace and the account's key.
CREATE TABLE accounts (
    key           TEXT PRIMARY KEY NOT NULL,
    platform      TEXT NOT NULL,
    account_id    TEXT NOT NULL,
    handle        TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    service       TEXT NOT NULL,
    added_at      INTEGER NOT NULL,
    added_by      TEXT NOT NULL,
    needs_sign_in INTEGER NOT NULL DEFAULT 0
);

-- Replies written in Switchboard: a projection of the reply_* events. The idempotency
-- key goes with every attempt, so a retry after a crash never posts twice.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id),
    account         TEXT NOT NULL,
    in_reply_to     TEXT NOT NULL,
    body            TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'failed')),
    error           TEXT,
    author          TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    native_id       TEXT
);
CREATE INDEX outbox_by_conversation ON outbox (conversation_id, id);
CREATE INDEX outbox_sending ON outbox (state) WHERE state = 'sending';
