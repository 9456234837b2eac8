// The Graph API endpoints the fake serves (all under /v23.0/): nodes, edges, the POSTs
// that comment, reply and send messages, and Facebook Login for Devices.
//
// Terms: a *grant* is one person's approval of the app (a user token and one Page token
// per Page, carrying the granted permissions); an *edge* is `/{id}/{name}` (also readable
// as a field, `messages.limit(5){...}`); the *messaging window* is 24 h after the
// customer's latest message (7 days with the HUMAN_AGENT tag).

import { spec, extraFields } from './specs.mjs';
import { render, page, selection, unparse } from './render.mjs';
import {
  GraphError, unknownObject, unknownPath, badToken, noToken, missingParam, missingPermission,
  needsPageToken, outsideWindow,
} from './errors.mjs';
import { metaTime, now } from './time.mjs';
import { byTime, timeOf, hex } from './store.mjs';
import { updateComment } from './hiding.mjs';
import { mentionedMedia, replyToMention } from './mentions.mjs';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const newestFirst = (a, b) => -byTime(a, b);

export class Graph {
  constructor(store) {
    this.store = store;
    this.interval = parseInt(process.env.FAKE_META_INTERVAL ?? '1', 10);
    this.expiresIn = parseInt(process.env.FAKE_META_EXPIRES_IN ?? '420', 10);
    this.edges = this.edgeTable();
  }

  hasEdge(type, name) {
    return Boolean(this.edges[type]?.[name]);
  }

  // ---- values ------------------------------------------------------------------------

  /** The value of field `name` of `node` (undefined: absent, Graph omits it); `mods` are
   * the field's modifiers (`mentioned_media.media_id(…)`). */
  value(ctx, node, name, mods = {}) {
    const s = this.store;
    switch (`${node.type}.${name}`) {
      case 'Page.access_token': {
        if (ctx.token?.kind === 'user' && ctx.listing === 'User.accounts') return ctx.token.grant.pageTokens[node.id];
        if (ctx.token?.kind === 'page' && ctx.token.pageId === node.id) return ctx.tokenText;
        return undefined;
      }
      case 'Page.instagram_business_account':
      case 'Page.connected_instagram_account':
        return node._ig ? { $ref: node._ig } : undefined;
      case 'Page.tasks':
        return node._tasks;
      case 'Comment.comment_count':
        return s.children(node.id).length;
      case 'Comment.can_comment':
        return !node.parent;
      case 'IGUser.mentioned_media':
        return mentionedMedia(this, ctx, node, mods);
      case 'IGMedia.is_comment_enabled':
        return !node._commentsOff;
      case 'IGMedia.comments_count':
        return s.all('IGComment', (c) => c._media === node.id).length;
      case 'IGUser.media_count':
        return s.all('IGMedia', (m) => m._owner === node.id).length;
      case 'UnifiedThread.message_count':
        return this.threadMessages(node).length;
      case 'UnifiedThread.updated_time': {
        const last = this.threadMessages(node)[0];
        return last ? last.created_time : node.updated_time;
      }
      case 'UnifiedThread.snippet': {
        const last = this.threadMessages(node)[0];
        return last ? last.message.slice(0, 100) : undefined;
      }
      default:
        if (name.startsWith('_')) return undefined;
        return node[name];
    }
  }

  threadMessages(thread) {
    return this.store.all('Message', (m) => m._thread === thread.id).sort(newestFirst);
  }

  // ---- edges -------------------------------------------------------------------------

  /** Edge definitions: perms (any token kind), list(ctx, owner, params) in edge order. */
  edgeTable() {
    const s = this.store;
    const pagePosts = (pred) => (ctx, page) =>
      s.all('PagePost', (p) => p._page === page.id && pred(p)).sort(newestFirst);
    const comments = (ctx, owner, params) => {
      const filter = params.filter ?? 'toplevel';
      let list;
      if (filter === 'stream' && owner.type === 'PagePost') {
        list = s.all('Comment', (c) => c._post === owner.id).sort(byTime);
      } else {
        list = s.children(owner.id).filter((c) => c.type === 'Comment');
      }
      return params.order === 'reverse_chronological' ? list.reverse() : list;
    };
    return {
      User: {
        accounts: {
          perms: ['pages_show_list'],
          list: (ctx, user) => (ctx.token.kind === 'user' ? [s.page, s.otherPage] : []),
        },
      },
      Page: {
        feed: { perms: ['pages_read_engagement'], list: pagePosts(() => true) },
        posts: { perms: ['pages_read_engagement'], list: pagePosts((p) => !p._visitor) },
        published_posts: { perms: ['pages_read_engagement'], list: pagePosts((p) => !p._visitor) },
        visitor_posts: { perms: ['pages_read_engagement', 'pages_read_user_content'], list: pagePosts((p) => p._visitor) },
        conversations: {
          perms: (params) => ((params.platform ?? 'messenger') === 'instagram' ? ['instagram_manage_messages'] : ['pages_messaging']),
          pageToken: true,
          list: (ctx, page, params) => {
            const platform = params.platform ?? 'messenger';
            const threads = s.all('UnifiedThread', (t) => t._page === page.id && t._platform === platform);
            const at = (t) => Date.parse(this.value(ctx, t, 'updated_time').replace('+0000', 'Z'));
            return threads.sort((a, b) => at(b) - at(a) || b._seq - a._seq);
          },
        },
      },
      PagePost: {
        comments: { perms: ['pages_read_engagement', 'pages_read_user_content'], list: comments },
      },
      Comment: {
        comments: { perms: ['pages_read_engagement', 'pages_read_user_content'], list: comments },
      },
      UnifiedThread: {
        messages: {
          perms: (params, owner) => (owner._platform === 'instagram' ? ['instagram_manage_messages'] : ['pages_messaging']),
          list: (ctx, thread) => this.threadMessages(thread),
        },
      },
      IGUser: {
        media: { perms: ['instagram_basic'], list: (ctx, ig) => s.all('IGMedia', (m) => m._owner === ig.id).sort(newestFirst) },
        tags: {
          perms: ['instagram_basic', 'instagram_manage_comments'],
          list: (ctx, ig) => s.all('IGMedia', (m) => m._tags === ig.id && !m._deleted).sort(newestFirst),
        },
      },
      IGMedia: {
        comments: {
          perms: ['instagram_basic', 'instagram_manage_comments'],
          // Oldest first, as the example of Meta's comment-moderation guide shows.
          list: (ctx, media) => s.all('IGComment', (c) => c._media === media.id && !c.parent_id).sort(byTime),
        },
      },
      IGComment: {
        replies: {
          perms: ['instagram_basic', 'instagram_manage_comments'],
          list: (ctx, comment) => s.all('IGComment', (c) => c.parent_id === comment.id).sort(byTime),
        },
      },
    };
  }

  checkPerms(ctx, perms, code = 10) {
    for (const p of perms) if (!ctx.token.perms.has(p)) throw missingPermission(code, p);
  }

  /** `{data, paging}` of edge `name` of `owner`; `params` = query (top level) or modifiers (nested). */
  edgePage(ctx, owner, name, params, sub) {
    const def = this.edges[owner.type][name];
    const perms = typeof def.perms === 'function' ? def.perms(params, owner) : def.perms;
    this.checkPerms(ctx, perms);
    if (def.pageToken) this.requirePageToken(ctx, owner.id);
    let items = def.list(ctx, owner, params).filter((n) => this.listed(n));
    // Time-based paging (`since` / `until`: a Unix time or a date), on edges of dated
    // objects; Meta documents it as unavailable on conversations.
    if ((params.since || params.until) && name !== 'conversations') {
      const bound = (v) => (/^\d+$/.test(v) ? parseInt(v, 10) * 1000 : Date.parse(v.replace('+0000', 'Z')));
      const since = params.since ? bound(params.since) : -Infinity;
      const until = params.until ? bound(params.until) : Infinity;
      if (Number.isNaN(since) || Number.isNaN(until)) throw new GraphError(400, 100, '(#100) The parameter since or until is not a valid time');
      items = items.filter((n) => timeOf(n) >= since && timeOf(n) <= until);
    }
    const itemType = spec(owner.type).edges.get(name);
    const extra = extraFields(owner.type, name);
    const inner = { ...ctx, listing: `${owner.type}.${name}` };
    return page(
      ctx,
      items,
      params,
      (n) => render(inner, n, sub, extra),
      (after, before) => {
        const url = new URL(`${ctx.base}/v23.0/${owner.id}/${name}`);
        const q = sub ? { ...params, fields: unparse(sub) } : { ...ctx.params };
        delete q.after;
        delete q.before;
        if (ctx.tokenText) q.access_token = ctx.tokenText;
        q.limit = q.limit ?? '25';
        if (after) q.after = after;
        if (before) q.before = before;
        for (const [k, v] of Object.entries(q)) if (typeof v === 'string') url.searchParams.set(k, v);
        return url.toString();
      },
    );
  }

  /** Whether listings show `node` yet: an object a Graph POST created stays out of every
   * listing for the store's `listingLagMs` after its creation (Meta's listing lag); read by
   * id it is there at once. */
  listed(node) {
    const lag = this.store.listingLagMs ?? 0;
    return !(lag > 0 && node._postedAt !== undefined && now() - node._postedAt < lag);
  }

  requirePageToken(ctx, pageOrIgId) {
    if (ctx.token.kind !== 'page') throw needsPageToken();
    const page = this.store.get(ctx.token.pageId);
    if (ctx.token.pageId !== pageOrIgId && page._ig !== pageOrIgId) {
      throw new GraphError(400, 200, '(#200) The Page access token does not belong to this Page or its Instagram account');
    }
  }

  // ---- requests ----------------------------------------------------------------------

  /** Answers one Graph request: returns { status, body }. Throws GraphError. */
  handle(ctx) {
    const { method, parts } = ctx;
    if (parts[0] === 'device') return this.device(ctx, parts[1]);
    this.authenticate(ctx);
    const id = parts[0] === 'me' ? (ctx.token.kind === 'page' ? ctx.token.pageId : ctx.token.userId) : parts[0];
    if (!id) throw unknownPath('');
    if (parts.length > 2) throw unknownPath(parts.slice(2).join('/'));
    if (parts[0] === 'me' && parts[1] === 'permissions' && method === 'GET') return this.permissions(ctx);
    const node = this.store.get(id);
    if (!node || node._customer === true || node._deleted) throw unknownObject(id);
    const edge = parts[1];
    if (method === 'GET') {
      const sel = selection(ctx.params.fields);
      if (!edge) return { status: 200, body: render(ctx, node, sel) };
      if (!this.hasEdge(node.type, edge)) {
        if (spec(node.type).edges.has(edge)) throw new GraphError(501, 1, `the fake does not implement ${node.type}/${edge}`);
        throw unknownPath(edge);
      }
      return { status: 200, body: this.edgePage(ctx, node, edge, ctx.params, sel) };
    }
    if (method === 'POST') return this.post(ctx, node, edge);
    throw new GraphError(400, 100, `(#100) Unsupported ${method} request.`);
  }

  authenticate(ctx) {
    if (!ctx.tokenText) throw noToken();
    const token = this.store.tokens.get(ctx.tokenText);
    if (!token) throw badToken();
    if (token.revoked) {
      throw new GraphError(
        400,
        190,
        'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.',
        { subcode: 460 },
      );
    }
    ctx.token = token;
  }

  permissions(ctx) {
    const { granted, declined } = ctx.token.grant;
    const data = [
      ...[...granted].map((permission) => ({ permission, status: 'granted' })),
      ...[...declined].map((permission) => ({ permission, status: 'declined' })),
    ];
    return { status: 200, body: { data: data.map((p) => render(ctx, { type: 'Permission', ...p }, null)) } };
  }

  // ---- writes ------------------------------------------------------------------------

  post(ctx, node, edge) {
    const key = `${node.type}.${edge}`;
    const p = ctx.params;
    switch (key) {
      case 'PagePost.comments':
      case 'Comment.comments': {
        this.checkPerms(ctx, ['pages_manage_engagement'], 200);
        if (!p.message) throw new GraphError(400, 100, '(#100) Missing message or attachment');
        const author = ctx.token.kind === 'page' ? ctx.token.pageId : ctx.token.userId;
        const c = this.addComment(node.id, author, p.message, now());
        c._viaApi = true;
        c._postedAt = now();
        return { status: 200, body: { id: c.id } };
      }
      case 'IGMedia.comments':
      case 'IGComment.replies': {
        this.checkPerms(ctx, ['instagram_basic', 'instagram_manage_comments'], 200);
        if (!p.message) throw missingParam('message');
        const media = node.type === 'IGMedia' ? node : this.store.get(node._media);
        const brand = this.store.get(this.igOfToken(ctx) ?? media._owner);
        const c = this.addIgComment(node.id, { id: brand.id, username: brand.username }, p.message, now(), true);
        c._postedAt = now();
        return { status: 200, body: { id: c.id } };
      }
      case 'IGUser.mentions':
        return replyToMention(this, ctx, node);
      case 'Page.messages':
      case 'IGUser.messages':
        return this.send(ctx, node);
      case 'Comment.undefined':
      case 'IGComment.undefined':
        return updateComment(this, ctx, node);
      default:
        if (spec(node.type).posts.has(edge)) throw new GraphError(501, 1, `the fake does not implement POST ${key}`);
        throw unknownPath(edge ?? '');
    }
  }

  igOfToken(ctx) {
    if (ctx.token.kind !== 'page') return undefined;
    return this.store.get(ctx.token.pageId)._ig;
  }

  /** A Facebook comment by `authorId` (a User or Page id) on a post or comment. */
  addComment(onId, authorId, text, at) {
    const s = this.store;
    let on = s.get(onId);
    if (!on || !['PagePost', 'Comment'].includes(on.type)) throw unknownObject(onId);
    // Facebook threads are two levels deep: a reply to a reply goes under the top comment.
    if (on.type === 'Comment' && on.parent) on = s.get(on.parent.$ref);
    const post = on.type === 'PagePost' ? on : s.get(on._post);
    const id = `${post.id.split('_')[1]}_${s.number('9010')}`;
    const c = s.put({
      type: 'Comment', id, message: text, created_time: metaTime(at), from: { $ref: authorId },
      is_hidden: false, like_count: 0, permalink_url: `https://www.facebook.com/${post.id}?comment_id=${id}`,
      _post: post.id, _parent: on.id, _author: authorId,
    });
    if (on.type === 'Comment') c.parent = { $ref: on.id };
    const t = Math.max(timeOf(post), at);
    post.updated_time = metaTime(Math.max(t, Date.parse(post.updated_time.replace('+0000', 'Z'))));
    return c;
  }

  /** An Instagram comment by `who` ({id, username}) on a media or (a reply) a comment. */
  addIgComment(onId, who, text, at, byBrand) {
    const s = this.store;
    const on = s.get(onId);
    if (!on || !['IGMedia', 'IGComment'].includes(on.type)) throw unknownObject(onId);
    // Instagram replies are one level deep too.
    const top = on.type === 'IGComment' && on.parent_id ? s.get(on.parent_id) : on;
    const media = top.type === 'IGMedia' ? top : s.get(top._media);
    const c = s.put({
      type: 'IGComment', id: s.number('179000'), text, timestamp: metaTime(at), username: who.username,
      from: { $obj: 'IGCommentFromUser', id: who.id, username: who.username }, hidden: false, like_count: 0,
      media: { $ref: media.id }, _media: media.id, _parent: top.id, _brand: byBrand,
    });
    if (top.type === 'IGComment') c.parent_id = top.id;
    return c;
  }

  send(ctx, owner) {
    const s = this.store;
    const p = ctx.params;
    const recipient = jsonish(p.recipient);
    const message = jsonish(p.message);
    if (!recipient?.id) throw missingParam('recipient');
    if (!message?.text) throw missingParam('message');
    this.requirePageToken(ctx, owner.id);
    const page = s.get(ctx.token.pageId);
    const threads = s.all(
      'UnifiedThread',
      (t) => t._page === page.id && t._customer === recipient.id && (owner.type !== 'IGUser' || t._platform === 'instagram'),
    );
    if (threads.length === 0) throw new GraphError(400, 100, '(#100) No matching user found', { subcode: 2018001 });
    const thread = threads[0];
    this.checkPerms(ctx, [thread._platform === 'instagram' ? 'instagram_manage_messages' : 'pages_messaging'], 200);
    const type = p.messaging_type ?? 'RESPONSE';
    let window = DAY;
    if (type === 'MESSAGE_TAG') {
      if (p.tag !== 'HUMAN_AGENT') throw new GraphError(400, 100, '(#100) Param tag must be one of {CONFIRMED_EVENT_UPDATE, POST_PURCHASE_UPDATE, ACCOUNT_UPDATE, HUMAN_AGENT}');
      window = 7 * DAY;
    } else if (type !== 'RESPONSE' && type !== 'UPDATE') {
      throw new GraphError(400, 100, '(#100) Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}');
    }
    const last = this.threadMessages(thread).find((m) => m._by === 'customer');
    if (!last || now() - timeOf(last) > window) throw outsideWindow(thread._platform);
    const m = this.addMessage(thread, 'page', message.text, now());
    m._postedAt = now();
    return { status: 200, body: { recipient_id: recipient.id, message_id: m.id } };
  }

  /** A message in `thread` by the customer or the page, at `at`. */
  addMessage(thread, by, text, at) {
    const s = this.store;
    const ig = thread._platform === 'instagram';
    const page = s.get(thread._page);
    const brand = ig ? { username: s.get(page._ig).username, id: page._ig } : { name: page.name, email: `${page.id}@facebook.com`, id: page.id };
    const customer = ig
      ? { username: thread._customerName, id: thread._customer }
      : { name: thread._customerName, email: `${thread._customer}@facebook.com`, id: thread._customer };
    const [from, to] = by === 'page' ? [brand, customer] : [customer, brand];
    const num = s.number('77');
    const id = ig ? Buffer.from(`ig_message_${num}`).toString('base64url') : `m_${hex(12)}${num}`;
    return s.put({
      type: 'Message', id, message: text, created_time: metaTime(at), from, to: { data: [to] },
      _thread: thread.id, _by: by,
    });
  }

  /** The thread of `customer` ({id, name}) with the Page on `platform`, made on first sight. */
  thread(platform, customer) {
    const s = this.store;
    const existing = s.all('UnifiedThread', (t) => t._platform === platform && t._customer === customer.id)[0];
    if (existing) return existing;
    const page = s.page;
    const ig = platform === 'instagram';
    const num = s.number('4400');
    const id = ig ? Buffer.from(`ig_thread_${num}`).toString('base64url') : `t_${num}`;
    const participants = ig
      ? [{ username: customer.name, id: customer.id }, { username: s.ig.username, id: s.ig.id }]
      : [
          { name: customer.name, email: `${customer.id}@facebook.com`, id: customer.id },
          { name: page.name, email: `${page.id}@facebook.com`, id: page.id },
        ];
    return s.put({
      type: 'UnifiedThread', id, participants: { data: participants }, can_reply: true,
      link: ig ? undefined : `/${page.username}/inbox/${num}/`, updated_time: metaTime(now()),
      _page: page.id, _platform: platform, _customer: customer.id, _customerName: customer.name,
    });
  }

  // ---- Facebook Login for Devices ----------------------------------------------------

  device(ctx, step) {
    if (ctx.method !== 'POST') throw new GraphError(400, 100, '(#100) Unsupported get request.');
    const [appId, clientToken] = (ctx.tokenText ?? '').split('|');
    const app = this.store.app;
    if (!ctx.tokenText) throw noToken();
    if (appId !== app.id) throw new GraphError(400, 101, 'Error validating application. Invalid application ID.');
    if (clientToken !== app.clientToken) throw new GraphError(400, 190, 'Invalid OAuth access token signature.');
    if (step === 'login') {
      const code = hex(16);
      const userCode = hex(3).toUpperCase();
      const scope = (ctx.params.scope ?? '').split(',').map((x) => x.trim()).filter(Boolean);
      this.store.devices.set(code, {
        code, userCode, scope, created: now(), expiresIn: this.expiresIn, lastPoll: 0, status: 'pending',
      });
      return {
        status: 200,
        body: { code, user_code: userCode, verification_uri: 'https://www.facebook.com/device', expires_in: this.expiresIn, interval: this.interval },
      };
    }
    if (step === 'login_status') {
      const d = this.store.devices.get(ctx.params.code ?? '');
      if (!d) throw new GraphError(400, 100, '(#100) The parameter code is invalid');
      const t = now();
      const tooFast = t - d.lastPoll < this.interval * 1000;
      d.lastPoll = t;
      if (t > d.created + d.expiresIn * 1000) {
        throw new GraphError(400, 31, 'The code you entered has expired.', {
          subcode: 1349152,
          extra: { error_user_title: 'Code Expired', error_user_msg: 'The code you entered has expired. Please go back to your device for a new code and try again.' },
        });
      }
      if (d.status === 'declined') {
        // 1349173 is the Facebook SDKs' LOGIN_ERROR_SUBCODE_AUTHORIZATION_DECLINED.
        throw new GraphError(400, 31, 'The person declined the login request.', {
          subcode: 1349173,
          extra: { error_user_title: 'Login Declined', error_user_msg: 'The person declined the request.' },
        });
      }
      if (d.status === 'pending') {
        if (tooFast) {
          throw new GraphError(400, 31, 'Polling too frequently.', {
            subcode: 1349172,
            extra: { error_user_title: 'OAuth Device Excessive Polling', error_user_msg: `Your device is polling too frequently. Space your requests with a minimum interval of ${this.interval} seconds.` },
          });
        }
        throw new GraphError(400, 31, 'Authorization pending.', {
          subcode: 1349174,
          extra: { error_user_title: 'Device Login Authorization Pending', error_user_msg: 'User has not yet authorized your application. Continue polling.' },
        });
      }
      return {
        status: 200,
        body: {
          access_token: d.grant.userToken,
          data_access_expiration_time: Math.floor(t / 1000) + 90 * 24 * 3600,
          expires_in: 5183944,
        },
      };
    }
    throw unknownPath(`device/${step ?? ''}`);
  }
}

/** A form value that carries JSON (`recipient={"id":"1"}`), or an object already. */
function jsonish(v) {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object') return v;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}
