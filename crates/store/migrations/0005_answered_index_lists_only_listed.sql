-- The recency index of answered conversations now holds only the rows a queue lists:
-- conversations with a customer (brand-only threads — the brand's own posts — are never
-- listed) that are not marked done. Ingest then moves no index entry when the brand writes
-- again in a thread nobody else has written in.
DROP INDEX conversations_answered_by_activity;
CREATE INDEX conversations_answered_by_activity ON conversations (queue_id, last_activity_at)
    WHERE breached_at IS NULL AND customer_handle IS NOT NULL AND done_reason IS NULL;
