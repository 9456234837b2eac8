// The fake's state: nodes by id, tokens, device logins, faults, request log.
//
// A node is { type, id, ...fields } where `type` is a spec name (Page, PagePost, Comment,
// IGUser, IGMedia, IGComment, UnifiedThread, Message, User). Fields hold spec values;
// references to other nodes are { $ref: id }; internal bookkeeping lives under `_`.

import { randomBytes } from 'node:crypto';
import { metaTime, now } from './time.mjs';

export const PERMISSIONS = [
  'public_profile',
  'pages_show_list',
  'pages_read_engagement',
  'pages_read_user_content',
  'pages_manage_engagement',
  'pages_messaging',
  'instagram_basic',
  'instagram_manage_comments',
  'instagram_manage_messages',
  'business_management',
];

const HOUR = 3600 * 1000;

export class Store {
  constructor() {
    this.nodes = new Map();
    this.tokens = new Map(); // token → { kind: 'user'|'page', userId, pageId?, perms:Set, grant }
    this.devices = new Map(); // code → device login
    this.faults = [];
    this.requests = [];
    this.cursorEpoch = 1;
    this.listingLagMs = 0; // see Graph.listed
    this.appCalls = 0;
    this.pageCalls = new Map();
    this.nextNumber = 1000;
    this.app = { id: '1350412876543210', clientToken: hex(16), name: 'Acme Switchboard' };
    this.seed();
  }

  /** A new numeric id of `digits` digits (Meta's ids are decimal strings). */
  number(prefix) {
    this.nextNumber += 1;
    return `${prefix}${String(this.nextNumber).padStart(6, '0')}`;
  }

  put(node) {
    this.seq = (this.seq ?? 0) + 1;
    node._seq = this.seq;
    this.nodes.set(node.id, node);
    return node;
  }

  get(id) {
    return this.nodes.get(id);
  }

  seed() {
    const t0 = now() - 2 * 24 * HOUR;
    this.person = this.put({ type: 'User', id: '10229448523390012', name: 'Rosa Lead', first_name: 'Rosa', last_name: 'Lead' });
    this.page = this.put({
      type: 'Page', id: '104857206302193', name: 'Acme Support', username: 'acme.support',
      category: 'Product/service', link: 'https://www.facebook.com/acme.support',
      _tasks: ['ADVERTISE', 'ANALYZE', 'CREATE_CONTENT', 'MESSAGING', 'MODERATE', 'MANAGE'],
      _ig: '17841405822304914',
    });
    this.otherPage = this.put({
      type: 'Page', id: '104857206309911', name: 'Acme Careers', username: 'acme.careers',
      category: 'Company', link: 'https://www.facebook.com/acme.careers',
      _tasks: ['ADVERTISE', 'ANALYZE', 'CREATE_CONTENT', 'MESSAGING', 'MODERATE', 'MANAGE'],
    });
    this.ig = this.put({
      type: 'IGUser', id: '17841405822304914', username: 'acme.support', name: 'Acme Support',
      ig_id: 5822304914, _page: this.page.id,
    });
    this.post = this.put({
      type: 'PagePost', id: `${this.page.id}_${this.number('1220')}`,
      message: 'We are open this Sunday from 10 to 4. Questions? Ask below.',
      created_time: metaTime(t0), updated_time: metaTime(t0), from: { $ref: this.page.id },
      is_published: true, _page: this.page.id, _visitor: false,
    });
    this.post.permalink_url = `https://www.facebook.com/${this.post.id}`;
    this.media = this.put({
      type: 'IGMedia', id: this.number('178990'), caption: 'New in store: the Acme kettle.',
      timestamp: metaTime(t0), username: this.ig.username, media_type: 'IMAGE',
      media_product_type: 'FEED', owner: { $ref: this.ig.id }, _owner: this.ig.id, _tagged: false,
    });
    this.media.permalink = `https://www.instagram.com/p/${this.media.id.slice(-8)}/`;
    // A sign-in that already happened (every permission), for tests that skip device login.
    this.seedGrant = this.grant(PERMISSIONS, []);
  }

  /** A person's approval of `granted` (and refusal of `declined`): a user token and one Page token per Page. */
  grant(granted, declined) {
    const grant = { granted: new Set(['public_profile', ...granted]), declined: new Set(declined), pageTokens: {} };
    grant.userToken = `EAAT${hex(40)}`;
    this.tokens.set(grant.userToken, { kind: 'user', userId: this.person.id, perms: grant.granted, grant });
    for (const page of [this.page, this.otherPage]) {
      const token = `EAAP${hex(40)}`;
      grant.pageTokens[page.id] = token;
      this.tokens.set(token, { kind: 'page', userId: this.person.id, pageId: page.id, perms: grant.granted, grant });
    }
    return grant;
  }

  /** A customer as a User node (Facebook) — created on first sight. */
  customer(who) {
    const existing = this.nodes.get(who.id);
    if (existing) return existing;
    return this.put({ type: 'User', id: who.id, name: who.name, _customer: true });
  }

  /** Children (comments/replies) of a node, oldest first. */
  children(id) {
    return [...this.nodes.values()]
      .filter((n) => n._parent === id)
      .sort(byTime);
  }

  /** Every node of `type` matching `pred`. */
  all(type, pred = () => true) {
    return [...this.nodes.values()].filter((n) => n.type === type && pred(n));
  }
}

function timeOf(n) {
  return Date.parse((n.created_time ?? n.timestamp ?? n.updated_time ?? '').replace('+0000', 'Z')) || 0;
}

/** Oldest first; ties by creation order. */
export function byTime(a, b) {
  return timeOf(a) - timeOf(b) || a._seq - b._seq;
}

export { timeOf };

export function hex(bytes) {
  return randomBytes(bytes).toString('hex');
}
