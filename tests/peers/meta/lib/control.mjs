// The test-control endpoints under /_fake/ (JSON in, JSON out): acting as the person at
// facebook.com/device, as customers, as the Page elsewhere (Meta Business Suite), and as
// Meta's faults; plus counters and a state dump.

import { metaTime, now } from './time.mjs';
import { PERMISSIONS } from './store.mjs';
import { isHidden } from './hiding.mjs';
import { mentions } from './mentions.mjs';

/** Answers POST/GET /_fake/<name>; returns { status, body }. */
export function control(store, graph, method, name, body, query) {
  const s = store;
  const ok = (b) => ({ status: 200, body: b });
  const bad = (message) => ({ status: 400, body: { error: message } });
  switch (name) {
    case 'device/approve':
    case 'device/decline': {
      const d = [...s.devices.values()].find((x) => x.userCode === body.user_code);
      if (!d) return bad(`no pending device login with user code ${body.user_code}`);
      if (name === 'device/decline') {
        d.status = 'declined';
        return ok({});
      }
      const missing = new Set(body.missing ?? []);
      const asked = d.scope.length ? d.scope : ['public_profile'];
      const granted = asked.filter((p) => !missing.has(p));
      const declined = asked.filter((p) => missing.has(p));
      d.grant = s.grant(granted, declined);
      d.status = 'approved';
      return ok({ user_token: d.grant.userToken, page_tokens: d.grant.pageTokens });
    }
    case 'device/timing': {
      // Device codes made from now on: lifetime and polling interval, in seconds.
      if (body.expires_in !== undefined) graph.expiresIn = body.expires_in;
      if (body.interval !== undefined) graph.interval = body.interval;
      return ok({ expires_in: graph.expiresIn, interval: graph.interval });
    }
    case 'comment': {
      const at = now() - (body.back_dated_secs ?? 0) * 1000;
      const on = s.get(body.on);
      if (!on) return bad(`no object ${body.on}`);
      if (on.type === 'IGMedia' || on.type === 'IGComment') {
        const c = graph.addIgComment(on.id, { id: body.who.id, username: body.who.name }, body.text, at, false);
        return ok({ id: c.id });
      }
      s.customer(body.who);
      const c = graph.addComment(on.id, body.who.id, body.text, at);
      return ok({ id: c.id });
    }
    case 'page_comment': {
      const on = s.get(body.on);
      if (!on) return bad(`no object ${body.on}`);
      if (on.type === 'IGMedia' || on.type === 'IGComment') {
        const c = graph.addIgComment(on.id, { id: s.ig.id, username: s.ig.username }, body.text, now(), true);
        return ok({ id: c.id });
      }
      const c = graph.addComment(on.id, s.page.id, body.text, now());
      return ok({ id: c.id });
    }
    case 'visitor_post': {
      s.customer(body.who);
      const at = now() - (body.back_dated_secs ?? 0) * 1000;
      const id = `${s.page.id}_${s.number('1230')}`;
      s.put({
        type: 'PagePost', id, message: body.text, created_time: metaTime(at), updated_time: metaTime(at),
        from: { $ref: body.who.id }, is_published: true, permalink_url: `https://www.facebook.com/${id}`,
        _page: s.page.id, _visitor: true,
      });
      return ok({ id });
    }
    case 'page_post': {
      // A post of the Page itself (as if published in Meta Business Suite), back-dated.
      const at = now() - (body.back_dated_secs ?? 0) * 1000;
      const id = `${s.page.id}_${s.number('1220')}`;
      s.put({
        type: 'PagePost', id, message: body.text, created_time: metaTime(at), updated_time: metaTime(at),
        from: { $ref: s.page.id }, is_published: true, permalink_url: `https://www.facebook.com/${id}`,
        _page: s.page.id, _visitor: false,
      });
      return ok({ id });
    }
    case 'page_media': {
      // A media of the Instagram account itself, back-dated.
      const at = now() - (body.back_dated_secs ?? 0) * 1000;
      const id = s.number('178990');
      s.put({
        type: 'IGMedia', id, caption: body.caption, timestamp: metaTime(at), username: s.ig.username,
        media_type: 'IMAGE', media_product_type: 'FEED', permalink: `https://www.instagram.com/p/${id.slice(-8)}/`,
        owner: { $ref: s.ig.id }, _owner: s.ig.id, _tagged: false,
      });
      return ok({ id });
    }
    case 'instagram_mention': {
      const at = now() - (body.back_dated_secs ?? 0) * 1000;
      const id = s.number('179800');
      s.put({
        type: 'IGMedia', id, caption: body.caption, timestamp: metaTime(at), username: body.who.name,
        media_type: 'IMAGE', media_product_type: 'FEED', permalink: `https://www.instagram.com/p/${id.slice(-8)}/`,
        _owner: body.who.id, _tags: s.ig.id,
      });
      return ok({ id });
    }
    case 'mention_answer': {
      // The Instagram account answering a mention in Instagram itself: its comment on the
      // mentioning media (under `reply_to`, a comment there, when given).
      const media = s.get(body.media);
      if (!mentions(media, s.ig)) return bad(`${body.media} is not a media mentioning @${s.ig.username}`);
      const c = graph.addIgComment(body.reply_to ?? media.id, { id: s.ig.id, username: s.ig.username }, body.text, now(), true);
      return ok({ id: c.id });
    }
    case 'mention_media': {
      // The mentioning account turning its media's comments off / on, or deleting it.
      const media = s.get(body.media);
      if (!media || media.type !== 'IGMedia' || !media._tags) return bad(`no mentioning media ${body.media}`);
      if (body.comments !== undefined) media._commentsOff = body.comments === 'off';
      if (body.deleted) media._deleted = true;
      return ok({ id: media.id });
    }
    case 'message': {
      const platform = body.inbox === 'instagram' ? 'instagram' : 'messenger';
      const thread = graph.thread(platform, body.who);
      const m = graph.addMessage(thread, 'customer', body.text, now() - (body.sent_ago_secs ?? 0) * 1000);
      return ok({ conversation: thread.id, message: m.id });
    }
    case 'page_message': {
      const thread = s.get(body.conversation);
      if (!thread || thread.type !== 'UnifiedThread') return bad(`no conversation ${body.conversation}`);
      const m = graph.addMessage(thread, 'page', body.text, now() - (body.sent_ago_secs ?? 0) * 1000);
      return ok({ id: m.id });
    }
    case 'fault': {
      const f = body.fault ?? {};
      if (f.kind === 'expire_cursors') {
        s.cursorEpoch += 1;
        return ok({ cursor_epoch: s.cursorEpoch });
      }
      s.faults.push({ path: body.path ?? '', fault: f, remaining: body.times ?? 1 });
      return ok({});
    }
    case 'listing_lag': {
      // Objects Graph POSTs create stay out of listings for lag_ms after their creation.
      const lag = Number(body.lag_ms ?? 0);
      if (!Number.isFinite(lag) || lag < 0) return bad(`lag_ms must be a number of milliseconds, not ${body.lag_ms}`);
      s.listingLagMs = lag;
      return ok({ lag_ms: lag });
    }
    case 'revoke': {
      for (const t of s.tokens.values()) t.revoked = true;
      return ok({});
    }
    case 'page_replies': {
      const parent = query.get('parent') ?? body.parent;
      const mine = [...s.nodes.values()]
        .filter((n) => {
          if (n.type === 'Comment') return n._parent === parent && n._author === s.page.id;
          if (n.type === 'IGComment') return n._parent === parent && n._brand;
          if (n.type === 'Message') return n._thread === parent && n._by === 'page';
          return false;
        })
        .sort((a, b) => a._seq - b._seq)
        .map((n) => [n.id, n.message ?? n.text]);
      return ok({ replies: mine });
    }
    case 'hidden': {
      const id = query.get('id') ?? body.id;
      const hidden = isHidden(s, id);
      if (hidden === undefined) return bad(`no comment ${id}`);
      return ok({ hidden });
    }
    case 'requests': {
      const path = query.get('path') ?? '';
      return ok({ count: s.requests.filter((p) => p.includes(path)).length });
    }
    case 'state':
      return ok({
        app: { id: s.app.id },
        permissions: PERMISSIONS,
        nodes: [...s.nodes.values()],
        devices: [...s.devices.values()].map(({ grant, ...d }) => ({ ...d, approved: Boolean(grant) })),
        faults: s.faults,
        listing_lag_ms: s.listingLagMs,
        cursor_epoch: s.cursorEpoch,
        requests: s.requests.length,
      });
    default:
      return { status: 404, body: { error: `no control ${method} /_fake/${name}` } };
  }
}
