-- Team mode in the window: trainees, when each laptop was last connected, presence that
-- wakes the other laptops, and lead decisions on trainees' replies (one decision each).

-- A trainee's replies wait for a lead's approval before they are posted.
ALTER TABLE switchboard.members ADD COLUMN trainee boolean NOT NULL DEFAULT false;

-- When each member's laptop last exchanged with the team (a heartbeat): "online now" and
-- "last seen" in the members panel.
CREATE TABLE switchboard.member_seen (
  team_id uuid NOT NULL REFERENCES switchboard.teams,
  member  text NOT NULL DEFAULT current_user,
  device  text NOT NULL,
  seen_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, member, device)
);

-- A lead's decision on a trainee's reply. The primary key makes the first decision the
-- only one: a second lead approving or rejecting the same reply is refused, so an
-- approved reply is posted by exactly one laptop.
CREATE TABLE switchboard.approvals (
  team_id    uuid NOT NULL REFERENCES switchboard.teams,
  approval   text NOT NULL,
  decided_by text NOT NULL DEFAULT current_user,
  approved   boolean NOT NULL,
  -- What is posted (an approval, maybe edited by the lead): the approving laptop posts it
  -- even when it stopped between deciding and queueing the reply.
  text       text,
  decided_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, approval)
);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['member_seen', 'approvals'] LOOP
    EXECUTE format('ALTER TABLE switchboard.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE switchboard.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('REVOKE ALL ON switchboard.%I FROM PUBLIC', t);
    EXECUTE format(
      'CREATE POLICY administrator ON switchboard.%I TO CURRENT_USER USING (true) WITH CHECK (true)', t);
  END LOOP;
END
$$;

CREATE POLICY member_read ON switchboard.member_seen FOR SELECT
  USING (team_id = (SELECT switchboard.current_team()));
CREATE POLICY member_beat ON switchboard.member_seen FOR INSERT
  WITH CHECK (team_id = (SELECT switchboard.current_team()) AND member = current_user);
CREATE POLICY member_change ON switchboard.member_seen FOR UPDATE
  USING (team_id = (SELECT switchboard.current_team()) AND member = current_user)
  WITH CHECK (team_id = (SELECT switchboard.current_team()) AND member = current_user);

CREATE POLICY member_read ON switchboard.approvals FOR SELECT
  USING (team_id = (SELECT switchboard.current_team()));
CREATE POLICY lead_decide ON switchboard.approvals FOR INSERT
  WITH CHECK (team_id = (SELECT switchboard.current_team()) AND decided_by = current_user
              AND EXISTS (SELECT 1 FROM switchboard.members m
                          WHERE m.team_id = approvals.team_id AND m.login_role = current_user
                            AND m.lead AND m.removed_at IS NULL));

-- Presence wakes the team's listeners too (payload 'presence': no log to re-read), so
-- "Ana is replying" shows on the other laptops within a second.
CREATE FUNCTION switchboard.notify_presence() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
BEGIN
  PERFORM pg_notify('switchboard_' || replace(NEW.team_id::text, '-', ''), 'presence');
  RETURN NULL;
END
$$;

CREATE TRIGGER notify_presence AFTER INSERT OR UPDATE ON switchboard.presence
  FOR EACH ROW EXECUTE FUNCTION switchboard.notify_presence();

-- Members added before this migration get the new tables' privileges too (members added
-- later get them from `switchboard-team add-member`).
DO $$
DECLARE r text;
BEGIN
  FOR r IN SELECT login_role FROM switchboard.members WHERE removed_at IS NULL LOOP
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('GRANT SELECT, INSERT, UPDATE ON switchboard.member_seen TO %I', r);
      EXECUTE format('GRANT SELECT, INSERT ON switchboard.approvals TO %I', r);
    END IF;
  END LOOP;
END
$$;
