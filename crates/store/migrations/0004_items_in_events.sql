-- Items live in the events that ingested them.
--
-- Before: each item was written twice, as an `items` row and as a short
-- `item_ingested`/`brand_reply_observed` event. Now the event holds the whole item and an
-- `item_key` (platform, byte length of the account, account, native id) whose unique index
-- keeps every item exactly once. Every event is carried over with its `seq`; the old item
-- events get their item's full content. An item and its event were written in the same
-- transaction in the same order, so the n-th item of a conversation is the content of its
-- n-th item event.
--
-- `seq` drops AUTOINCREMENT: nothing is ever deleted from the log, so the next rowid is
-- always past every earlier one, without a `sqlite_sequence` update per event.

CREATE TABLE events_v2 (
    seq             INTEGER PRIMARY KEY,
    recorded_at     INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    conversation_id INTEGER,
    actor           TEXT,
    -- Set on item events: what makes the item unique.
    item_key        TEXT,
    -- The whole event (switchboard_core::Event) as JSON.
    payload         TEXT NOT NULL
);

WITH item_events AS (
    SELECT seq, conversation_id,
           row_number() OVER (PARTITION BY conversation_id ORDER BY seq) AS nth
    FROM events WHERE kind IN ('item_ingested', 'brand_reply_observed')
), stored_items AS (
    SELECT i.*, c.thread_key,
           row_number() OVER (PARTITION BY i.conversation_id ORDER BY i.id) AS nth
    FROM items i JOIN conversations c ON c.id = i.conversation_id
), matched AS (
    SELECT e.seq AS event_seq, s.*
    FROM item_events e JOIN stored_items s
        ON s.conversation_id = e.conversation_id AND s.nth = e.nth
)
INSERT INTO events_v2 (seq, recorded_at, kind, conversation_id, actor, item_key, payload)
SELECT e.seq, e.recorded_at, e.kind, e.conversation_id, e.actor,
       iif(m.event_seq IS NULL, NULL,
           m.platform || ':' || length(CAST(m.account AS BLOB)) || ':' || m.account || ':'
               || m.native_id),
       iif(m.event_seq IS NULL, e.payload,
           json_set(e.payload, '$.kind.item', json_object(
               'platform', m.platform, 'account', m.account, 'native_id', m.native_id,
               'thread', m.thread_key, 'kind', m.kind,
               'author', json_object('handle', m.author_handle, 'display_name', m.author_name),
               'from_brand', json(iif(m.from_brand, 'true', 'false')),
               'text', m.body, 'lang', m.lang, 'created_at', m.created_at)))
FROM events e LEFT JOIN matched m ON m.event_seq = e.seq
ORDER BY e.seq;

DROP TABLE events;
DROP TABLE items;
ALTER TABLE events_v2 RENAME TO events;

CREATE UNIQUE INDEX events_item_key ON events (item_key) WHERE item_key IS NOT NULL;
CREATE INDEX events_by_conversation ON events (conversation_id, seq);

CREATE TRIGGER events_are_never_updated BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only');
END;
CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only');
END;

-- Answered conversations by recency. Waiting ones are listed by due time from
-- `conversations_waiting_by_due`; leaving them out of this index means a customer writing
-- again to a waiting conversation (the commonest write) does not move an index entry.
DROP INDEX conversations_by_activity;
CREATE INDEX conversations_answered_by_activity ON conversations (queue_id, last_activity_at)
    WHERE breached_at IS NULL;
