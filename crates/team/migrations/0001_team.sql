-- Team mode: the team's shared log and the few things decided in one place.
-- Every table has team_id; row-level security is ENABLED and FORCED on every table.
-- A member sees and writes only rows of `switchboard.current_team()`: the team named by
-- `SET LOCAL switchboard.team = '<uuid>'` in the transaction, and only when the connected
-- login role is a member of that team's group role. The administrator who runs the
-- migrations (the owner) gets an unrestricted policy of its own.

CREATE SCHEMA IF NOT EXISTS switchboard;

-- The team of this transaction, or NULL when none is set or current_user is not a
-- member of it. Membership is role membership ('MEMBER', so it holds for NOINHERIT roles
-- too); it reads no table, so policies that use it cannot recurse. One expression with
-- every name qualified, so PostgreSQL inlines it and no search_path can redirect it;
-- the policies call it as `(SELECT switchboard.current_team())`, evaluated once per
-- statement rather than once per row.
CREATE FUNCTION switchboard.current_team() RETURNS uuid
LANGUAGE sql STABLE
AS $$
  SELECT CASE WHEN coalesce(pg_catalog.pg_has_role(current_user,
                 pg_catalog.to_regrole(pg_catalog.concat('switchboard_team_',
                   pg_catalog.replace(pg_catalog.current_setting('switchboard.team', true), '-', ''))),
                 'MEMBER'), false)
              THEN nullif(pg_catalog.current_setting('switchboard.team', true), '')::pg_catalog.uuid
         END
$$;

CREATE TABLE switchboard.teams (
  team_id    uuid PRIMARY KEY,
  name       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE switchboard.members (
  team_id    uuid NOT NULL REFERENCES switchboard.teams,
  login_role text NOT NULL,
  name       text NOT NULL,
  email      text NOT NULL,
  queues     text[] NOT NULL DEFAULT '{}',
  lead       boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  removed_at timestamptz,
  PRIMARY KEY (team_id, login_role)
);

CREATE TABLE switchboard.events (
  team_id     uuid NOT NULL REFERENCES switchboard.teams,
  server_seq  bigint NOT NULL,
  event_id    uuid NOT NULL UNIQUE,
  author      text NOT NULL DEFAULT current_user,
  device      text NOT NULL,
  device_seq  bigint NOT NULL,
  kind        text NOT NULL,
  payload     jsonb NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, server_seq)
);

-- server_seq: assigned under a per-team transaction-level advisory lock that is held
-- until commit, so rows of one team become visible in server_seq order (see
-- crates/team/src/schema.rs for why a plain serial column would let readers skip rows).
CREATE FUNCTION switchboard.assign_server_seq() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('switchboard.events'), hashtext(NEW.team_id::text));
  NEW.server_seq := coalesce(
    (SELECT max(e.server_seq) FROM switchboard.events e WHERE e.team_id = NEW.team_id), 0) + 1;
  RETURN NEW;
END
$$;

CREATE TRIGGER assign_server_seq BEFORE INSERT ON switchboard.events
  FOR EACH ROW EXECUTE FUNCTION switchboard.assign_server_seq();

-- Wakes the team's listeners at commit (identical notifications in one transaction are
-- folded into one). A wake-up carries nothing: the reader re-reads from its cursor.
CREATE FUNCTION switchboard.notify_events() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
BEGIN
  PERFORM pg_notify('switchboard_' || replace(NEW.team_id::text, '-', ''), '');
  RETURN NULL;
END
$$;

CREATE TRIGGER notify_events AFTER INSERT ON switchboard.events
  FOR EACH ROW EXECUTE FUNCTION switchboard.notify_events();

CREATE TABLE switchboard.items (
  team_id     uuid NOT NULL REFERENCES switchboard.teams,
  platform    text NOT NULL,
  account     text NOT NULL,
  native_id   text NOT NULL,
  payload     jsonb NOT NULL,
  pulled_by   text NOT NULL DEFAULT current_user,
  device      text NOT NULL,
  lease_fence bigint NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, platform, account, native_id)
);

CREATE TABLE switchboard.claims (
  team_id      uuid NOT NULL REFERENCES switchboard.teams,
  conversation text NOT NULL,
  holder       text NOT NULL,
  device       text NOT NULL,
  fence        bigint NOT NULL,
  expires_at   timestamptz NOT NULL,
  PRIMARY KEY (team_id, conversation)
);

CREATE TABLE switchboard.poll_leases (
  team_id       uuid NOT NULL REFERENCES switchboard.teams,
  platform      text NOT NULL,
  account       text NOT NULL,
  holder_member text NOT NULL,
  holder_device text NOT NULL,
  fence         bigint NOT NULL,
  expires_at    timestamptz NOT NULL,
  cursor        text,
  PRIMARY KEY (team_id, platform, account)
);

CREATE TABLE switchboard.policy (
  team_id    uuid NOT NULL REFERENCES switchboard.teams,
  version    integer NOT NULL CHECK (version > 0),
  body_toml  text NOT NULL,
  author     text NOT NULL DEFAULT current_user,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, version)
);

CREATE TABLE switchboard.presence (
  team_id      uuid NOT NULL REFERENCES switchboard.teams,
  member       text NOT NULL DEFAULT current_user,
  device       text NOT NULL,
  conversation text NOT NULL,
  activity     text NOT NULL CHECK (activity IN ('viewing', 'replying')),
  expires_at   timestamptz NOT NULL,
  PRIMARY KEY (team_id, member, device)
);

-- Row-level security on every table, forced (the owner too), with an unrestricted
-- policy for the administrator who owns the tables and member policies for everyone
-- else. Members get no UPDATE/DELETE privilege and no such policy on events, items,
-- policy (granted per member by `switchboard-team add-member`).
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['teams', 'members', 'events', 'items', 'claims', 'poll_leases',
                           'policy', 'presence'] LOOP
    EXECUTE format('ALTER TABLE switchboard.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE switchboard.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('REVOKE ALL ON switchboard.%I FROM PUBLIC', t);
    EXECUTE format(
      'CREATE POLICY administrator ON switchboard.%I TO CURRENT_USER USING (true) WITH CHECK (true)', t);
  END LOOP;
END
$$;

CREATE POLICY member_read ON switchboard.teams FOR SELECT
  USING (team_id = (SELECT switchboard.current_team()));
CREATE POLICY member_read ON switchboard.members FOR SELECT
  USING (team_id = (SELECT switchboard.current_team()));

CREATE POLICY member_read ON switchboard.events FOR SELECT
  USING (team_id = (SELECT switchboard.current_team()));
CREATE POLICY member_append ON switchboard.events FOR INSERT
  WITH CHECK (team_id = (SELECT switchboard.current_team()) AND author = current_user);

CREATE POLICY member_read ON switchboard.items FOR SELECT
  USING (team_id = (SELECT switchboard.current_team()));
CREATE POLICY member_append ON switchboard.items FOR INSERT
  WITH CHECK (team_id = (SELECT switchboard.current_team()) AND pulled_by = current_user);

CREATE POLICY member_read ON switchboard.claims FOR SELECT
  USING (team_id = (SELECT switchboard.current_team()));
CREATE POLICY member_claim ON switchboard.claims FOR INSERT
  WITH CHECK (team_id = (SELECT switchboard.current_team()) AND holder = current_user);
CREATE POLICY member_change ON switchboard.claims FOR UPDATE
  USING (team_id = (SELECT switchboard.current_team()))
  WITH CHECK (team_id = (SELECT switchboard.current_team()) AND holder = current_user);

CREATE POLICY member_read ON switchboard.poll_leases FOR SELECT
  USING (team_id = (SELECT switchboard.current_team()));
CREATE POLICY member_acquire ON switchboard.poll_leases FOR INSERT
  WITH CHECK (team_id = (SELECT switchboard.current_team()) AND holder_member = current_user);
CREATE POLICY member_change ON switchboard.poll_leases FOR UPDATE
  USING (team_id = (SELECT switchboard.current_team()))
  WITH CHECK (team_id = (SELECT switchboard.current_team()) AND holder_member = current_user);

-- Only a lead publishes a new policy version.
CREATE POLICY member_read ON switchboard.policy FOR SELECT
  USING (team_id = (SELECT switchboard.current_team()));
CREATE POLICY lead_publish ON switchboard.policy FOR INSERT
  WITH CHECK (team_id = (SELECT switchboard.current_team()) AND author = current_user
              AND EXISTS (SELECT 1 FROM switchboard.members m
                          WHERE m.team_id = policy.team_id AND m.login_role = current_user
                            AND m.lead AND m.removed_at IS NULL));

CREATE POLICY member_read ON switchboard.presence FOR SELECT
  USING (team_id = (SELECT switchboard.current_team()));
CREATE POLICY member_announce ON switchboard.presence FOR INSERT
  WITH CHECK (team_id = (SELECT switchboard.current_team()) AND member = current_user);
CREATE POLICY member_change ON switchboard.presence FOR UPDATE
  USING (team_id = (SELECT switchboard.current_team()) AND member = current_user)
  WITH CHECK (team_id = (SELECT switchboard.current_team()) AND member = current_user);

-- A claim in one round trip (so the claim row is locked only while the server works,
-- never while a laptop's packets travel): the one upsert that decides the claim —
-- granted when nobody holds it, it expired, or the caller holds it already — then, only
-- when a row came back, the `claimed` event in the same transaction; otherwise who
-- holds it and until when. Runs as the caller (row-level security applies).
CREATE FUNCTION switchboard.claim(
  p_team uuid, p_conversation text, p_device text, p_ttl_secs float8,
  p_event_id uuid, p_device_seq bigint)
RETURNS TABLE (granted boolean, fence bigint, holder text, device text, expires_at_ms bigint)
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
DECLARE
  f bigint;
  e timestamptz;
BEGIN
  PERFORM set_config('switchboard.team', p_team::text, true);
  -- A live claim of someone else needs no row lock to be reported.
  RETURN QUERY SELECT false, c.fence, c.holder, c.device,
                      (extract(epoch FROM c.expires_at) * 1000)::int8
               FROM switchboard.claims c
               WHERE c.team_id = p_team AND c.conversation = p_conversation
                 AND c.expires_at > now() AND c.holder <> current_user;
  IF FOUND THEN
    RETURN;
  END IF;
  INSERT INTO switchboard.claims AS c (team_id, conversation, holder, device, fence, expires_at)
  VALUES (p_team, p_conversation, current_user, p_device, 1,
          now() + make_interval(secs => p_ttl_secs))
  ON CONFLICT (team_id, conversation) DO UPDATE
    SET holder = EXCLUDED.holder, device = EXCLUDED.device,
        fence = CASE WHEN c.holder = EXCLUDED.holder AND c.expires_at > now()
                     THEN c.fence ELSE c.fence + 1 END,
        expires_at = EXCLUDED.expires_at
    WHERE c.expires_at <= now() OR c.holder = EXCLUDED.holder
  RETURNING c.fence, c.expires_at INTO f, e;
  IF FOUND THEN
    INSERT INTO switchboard.events (team_id, server_seq, event_id, device, device_seq, kind, payload)
    VALUES (p_team, 0, p_event_id, p_device, p_device_seq, 'claimed',
            jsonb_build_object('conversation', p_conversation, 'fence', f, 'device', p_device,
                               'expires_at_ms', (extract(epoch FROM e) * 1000)::int8))
    ON CONFLICT (event_id) DO NOTHING;
    RETURN QUERY SELECT true, f, current_user::text, p_device, (extract(epoch FROM e) * 1000)::int8;
  ELSE
    RETURN QUERY SELECT false, c.fence, c.holder, c.device,
                        (extract(epoch FROM c.expires_at) * 1000)::int8
                 FROM switchboard.claims c
                 WHERE c.team_id = p_team AND c.conversation = p_conversation;
  END IF;
END
$$;
