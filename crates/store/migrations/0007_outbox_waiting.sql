-- A reply that is still sending but waits for its platform to be reachable again says
-- why here, in plain words ("Will send when Mastodon is reachable …"); NULL while it is
-- being sent or once it is sent or failed. No event is logged for a wait: the log keeps
-- what happened to the reply (written, sent, failed), not every try.
ALTER TABLE outbox ADD COLUMN waiting TEXT;
