-- The fencing rules, enforced by the database rather than trusted to every client: a
-- member writing hand-made SQL cannot move a claim or a poll lease around them.
--
-- For `claims` and `poll_leases` an UPDATE may
--   * keep the fence and the holder: only the holder does that (renew, release, move the
--     cursor);
--   * raise the fence by exactly one: when the lease or claim expired (the next asker gets
--     it); a live claim only with a `claim_taken_over` event for that conversation and
--     fence written by the same member (an explicit, logged take-over); a live poll lease
--     only by its own device;
-- and nothing else. The administrator (the tables' owner, or a superuser) is not limited.

CREATE FUNCTION switchboard.guard_claim() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
BEGIN
  IF pg_has_role(current_user, (SELECT c.relowner FROM pg_class c WHERE c.oid = TG_RELID), 'MEMBER') THEN
    RETURN NEW;
  END IF;
  IF NEW.team_id <> OLD.team_id OR NEW.conversation <> OLD.conversation THEN
    RAISE EXCEPTION 'a claim cannot move to another conversation' USING ERRCODE = '42501';
  END IF;
  IF NEW.fence = OLD.fence THEN
    IF OLD.holder <> current_user OR NEW.holder <> OLD.holder THEN
      RAISE EXCEPTION 'only the holder of a claim can change it' USING ERRCODE = '42501';
    END IF;
  ELSIF NEW.fence = OLD.fence + 1 THEN
    IF OLD.expires_at > now() AND NOT EXISTS (
        SELECT 1 FROM switchboard.events e
        WHERE e.team_id = NEW.team_id AND e.kind = 'claim_taken_over'
          AND e.author = current_user
          AND e.payload ->> 'conversation' = NEW.conversation
          AND (e.payload ->> 'fence')::bigint = NEW.fence) THEN
      RAISE EXCEPTION 'a live claim is taken over only explicitly (with a claim_taken_over event)'
        USING ERRCODE = '42501';
    END IF;
  ELSE
    RAISE EXCEPTION 'a claim''s fence only grows, one at a time' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER guard_claim BEFORE UPDATE ON switchboard.claims
  FOR EACH ROW EXECUTE FUNCTION switchboard.guard_claim();

CREATE FUNCTION switchboard.guard_poll_lease() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
BEGIN
  IF pg_has_role(current_user, (SELECT c.relowner FROM pg_class c WHERE c.oid = TG_RELID), 'MEMBER') THEN
    RETURN NEW;
  END IF;
  IF NEW.team_id <> OLD.team_id OR NEW.platform <> OLD.platform OR NEW.account <> OLD.account THEN
    RAISE EXCEPTION 'a poll lease cannot move to another account' USING ERRCODE = '42501';
  END IF;
  IF NEW.fence = OLD.fence THEN
    IF OLD.holder_member <> current_user OR NEW.holder_member <> OLD.holder_member
       OR NEW.holder_device <> OLD.holder_device THEN
      RAISE EXCEPTION 'only the holder of a poll lease can change it' USING ERRCODE = '42501';
    END IF;
  ELSIF NEW.fence = OLD.fence + 1 THEN
    IF OLD.expires_at > now() AND NOT (OLD.holder_member = current_user
                                       AND OLD.holder_device = NEW.holder_device) THEN
      RAISE EXCEPTION 'a live poll lease cannot be taken' USING ERRCODE = '42501';
    END IF;
  ELSE
    RAISE EXCEPTION 'a poll lease''s fence only grows, one at a time' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER guard_poll_lease BEFORE UPDATE ON switchboard.poll_leases
  FOR EACH ROW EXECUTE FUNCTION switchboard.guard_poll_lease();

-- New rows start at fence 1.
ALTER TABLE switchboard.claims ADD CONSTRAINT claims_first_fence CHECK (fence >= 1);
ALTER TABLE switchboard.poll_leases ADD CONSTRAINT poll_leases_first_fence CHECK (fence >= 1);
