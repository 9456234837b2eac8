-- Conversation rows keep only what queries filter, sort and index on; everything a list
-- shows (customer, preview, counts, claim, hand-off note, snooze…) is read from the stored
-- reducer state, which held all of it already.
--
-- Ingest rewrites a conversation's row for every item it gains; a row of 23 columns cost
-- SQLite about twice the work of one of 11 to decode and rebuild. The two columns queues
-- filter on are added: `has_customer` (a customer has written: brand-only threads — the
-- brand's own posts — are never listed) and `done` (marked done).
DROP INDEX conversations_answered_by_activity;

ALTER TABLE conversations ADD COLUMN has_customer INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN done INTEGER NOT NULL DEFAULT 0;
UPDATE conversations
SET has_customer = customer_handle IS NOT NULL, done = done_reason IS NOT NULL;

ALTER TABLE conversations DROP COLUMN platform;
ALTER TABLE conversations DROP COLUMN kind;
ALTER TABLE conversations DROP COLUMN customer_handle;
ALTER TABLE conversations DROP COLUMN customer_name;
ALTER TABLE conversations DROP COLUMN preview;
ALTER TABLE conversations DROP COLUMN answered_before;
ALTER TABLE conversations DROP COLUMN claimed_by;
ALTER TABLE conversations DROP COLUMN done_reason;
ALTER TABLE conversations DROP COLUMN snoozed_until;
ALTER TABLE conversations DROP COLUMN handoff_note;
ALTER TABLE conversations DROP COLUMN handoff_by;
ALTER TABLE conversations DROP COLUMN handoff_at;
ALTER TABLE conversations DROP COLUMN item_count;
ALTER TABLE conversations DROP COLUMN note_count;

-- Answered conversations a queue lists, by recency (as in migration 0005).
CREATE INDEX conversations_answered_by_activity ON conversations (queue_id, last_activity_at)
    WHERE breached_at IS NULL AND has_customer = 1 AND done = 0;
