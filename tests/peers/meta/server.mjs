// The fake Graph API: a stateful stand-in for graph.facebook.com (v23.0) that Switchboard's
// Meta tests run against. No dependencies; `node server.mjs [port]` (0: a free port).
//
// Prints one ready line on stdout:
//   {"ready":true,"port":N,"seed":{...},"user_token":"...","page_tokens":{...}}
// and exits when stdin closes (its parent test process is gone).
//
// Every Graph answer carries X-App-Usage (and X-Business-Use-Case-Usage on Page-token
// calls). Faults registered through /_fake/fault apply to the next matching requests.
// See README.md.

import http from 'node:http';
import { Store } from './lib/store.mjs';
import { Graph } from './lib/graph.mjs';
import { control } from './lib/control.mjs';
import { GraphError, fbtrace } from './lib/errors.mjs';

const store = new Store();
const graph = new Graph(store);
const VERSION = 'v23.0';

function usage(store, token, full, regainMinutes) {
  store.appCalls += 1;
  const pct = (n, per) => (full ? 100 : Math.min(60, Math.floor(n / per)));
  const headers = {
    'x-app-usage': JSON.stringify({
      call_count: pct(store.appCalls, 20),
      total_cputime: pct(store.appCalls, 40),
      total_time: pct(store.appCalls, 30),
    }),
  };
  const pageId = token?.kind === 'page' ? token.pageId : full ? store.page.id : undefined;
  if (pageId) {
    const n = (store.pageCalls.get(pageId) ?? 0) + 1;
    store.pageCalls.set(pageId, n);
    headers['x-business-use-case-usage'] = JSON.stringify({
      [pageId]: [
        {
          type: 'pages',
          call_count: pct(n, 20),
          total_cputime: pct(n, 40),
          total_time: pct(n, 30),
          estimated_time_to_regain_access: full ? regainMinutes : 0,
        },
      ],
    });
  }
  return headers;
}

const THROTTLE = {
  4: '(#4) Application request limit reached',
  17: '(#17) User request limit reached',
  32: '(#32) Page request limit reached',
  613: '(#613) Calls to this api have exceeded the rate limit.',
  80001: '(#80001) There have been too many calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
  80002: '(#80002) There have been too many calls to this Instagram account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
  80006: '(#80006) There have been too many messenger api calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
};

/** The fault for this request, if one is armed (consumes one use). */
function takeFault(method, path) {
  for (const f of store.faults) {
    if (f.remaining <= 0 || !path.includes(f.path)) continue;
    if (f.fault.kind === 'drop_after_apply' && method !== 'POST') continue;
    f.remaining -= 1;
    return f.fault;
  }
  return null;
}

function faultError(f) {
  switch (f.kind) {
    case 'throttle':
      return new GraphError(400, f.code, THROTTLE[f.code] ?? `(#${f.code}) Rate limit reached`, {
        extra: { is_transient: true },
      });
    case 'token_expired':
      return new GraphError(
        400,
        190,
        'Error validating access token: Session has expired on Sunday, 06-Dec-26 04:00:00 PST. The current time is Sunday, 06-Dec-26 05:00:00 PST.',
        { subcode: 463 },
      );
    case 'missing_permission':
      return f.code === 10
        ? new GraphError(400, 10, '(#10) Application does not have permission for this action')
        : new GraphError(400, f.code, `(#${f.code}) Requires extended permission: pages_messaging`);
    default:
      return null;
  }
}

function send(res, status, body, headers = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json; charset=UTF-8',
    'x-fb-trace-id': fbtrace(),
    'facebook-api-version': VERSION,
    ...headers,
  });
  res.end(text);
}

async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const text = Buffer.concat(chunks).toString('utf8');
  const type = req.headers['content-type'] ?? '';
  if (!text) return {};
  if (type.includes('application/json')) return JSON.parse(text);
  return Object.fromEntries(new URLSearchParams(text));
}

async function handle(req, res) {
  const url = new URL(req.url, 'http://fake');
  const query = url.searchParams;
  let body;
  try {
    body = await readBody(req);
  } catch {
    return send(res, 400, { error: { message: 'Invalid JSON body', type: 'OAuthException', code: 100, fbtrace_id: fbtrace() } });
  }

  if (url.pathname.startsWith('/_fake/')) {
    const name = url.pathname.slice('/_fake/'.length);
    const r = control(store, graph, req.method, name, body, query);
    return send(res, r.status, r.body);
  }

  // ---- the Graph API -------------------------------------------------------------------
  const path = url.pathname;
  store.requests.push(path);
  const params = { ...Object.fromEntries(query), ...body };
  let tokenText = params.access_token;
  const auth = req.headers.authorization ?? '';
  const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(auth);
  if (!tokenText && m) tokenText = m[1];
  delete params.access_token;
  const token = tokenText ? store.tokens.get(tokenText) : undefined;

  const fault = takeFault(req.method, path);
  if (fault?.kind === 'hang') return; // never answered; the socket stays open
  if (fault?.kind === 'server_error') {
    store.appCalls += 1;
    if (fault.status === 500) {
      const e = new GraphError(500, 2, 'An unexpected error has occurred. Please retry your request later.', { extra: { is_transient: true } });
      return send(res, 500, e.body(), usage(store, token, false));
    }
    return send(res, fault.status, '<!DOCTYPE html><html><head><title>Facebook | Error</title></head><body><h1>Sorry, something went wrong.</h1><p>We\'re working on it and we\'ll get it fixed as soon as we can.</p></body></html>');
  }
  const injected = fault ? faultError(fault) : null;
  if (injected) {
    const full = fault.kind === 'throttle';
    return send(res, injected.status, injected.body(), usage(store, token, full, fault.regain_minutes ?? 0));
  }

  const parts = path.split('/').filter(Boolean);
  const host = req.headers.host ?? `127.0.0.1:${server.address().port}`;
  const ctx = { method: req.method, parts: parts.slice(1), params, tokenText, store, graph, base: `http://${host}` };
  let status;
  let out;
  try {
    if (parts[0] !== VERSION) {
      throw new GraphError(400, 2635, `The fake Graph API serves ${VERSION} only (asked: ${parts[0] ?? 'no version'}).`);
    }
    ({ status, body: out } = graph.handle(ctx));
  } catch (e) {
    if (!(e instanceof GraphError)) {
      console.error(e);
      e = new GraphError(500, 1, `fake bug: ${e.message}`);
    }
    return send(res, e.status, e.body(), { ...usage(store, ctx.token ?? token, false), ...e.headers });
  }
  if (fault?.kind === 'drop_after_apply') {
    res.socket.destroy();
    return;
  }
  return send(res, status, out, usage(store, ctx.token ?? token, false));
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((e) => {
    console.error(e);
    if (!res.headersSent) send(res, 500, { error: { message: `fake bug: ${e.message}`, type: 'FakeError', code: 1, fbtrace_id: fbtrace() } });
  });
});
server.keepAliveTimeout = 5000;

server.listen(parseInt(process.argv[2] ?? process.env.FAKE_META_PORT ?? '0', 10), '127.0.0.1', () => {
  const s = store;
  const ready = {
    ready: true,
    port: server.address().port,
    seed: {
      app_id: s.app.id,
      client_token: s.app.clientToken,
      page_id: s.page.id,
      page_name: s.page.name,
      page_username: s.page.username,
      other_page_id: s.otherPage.id,
      instagram_id: s.ig.id,
      instagram_username: s.ig.username,
      page_post_id: s.post.id,
      instagram_media_id: s.media.id,
      person_id: s.person.id,
      person_name: s.person.name,
    },
    user_token: s.seedGrant.userToken,
    page_tokens: s.seedGrant.pageTokens,
  };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
});

// The parent holds our stdin; when it goes away, so do we.
if (!process.stdin.isTTY && process.env.FAKE_META_KEEP !== '1') {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
}
