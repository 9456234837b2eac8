// Rendering nodes with a `fields=` selection, validated against Meta's specs, and paging
// edges with opaque cursors.
//
// A field not in the node type's spec (nor documented by the edge that lists it) is
// Graph's "(#100) Tried accessing nonexisting field" error; every value served is checked
// against the spec's type (a mismatch is a bug of the fake: HTTP 500).

import { spec, extraFields, typeMatches } from './specs.mjs';
import { GraphError, nonexistingField, badCursor } from './errors.mjs';
import { parseFields } from './fields.mjs';

/** Fields Graph returns when a request names none. */
export const DEFAULTS = {
  User: ['name', 'id'],
  Page: ['name', 'id'],
  PagePost: ['created_time', 'message', 'id'],
  Comment: ['created_time', 'from', 'message', 'id'],
  IGUser: ['id'],
  IGMedia: ['id'],
  IGComment: ['timestamp', 'text', 'id'],
  IGCommentFromUser: ['id', 'username'],
  UnifiedThread: ['id', 'updated_time'],
  Message: ['id', 'created_time'],
  Permission: ['permission', 'status'],
};

const plain = (names) => names.map((name) => ({ name, mods: {}, sub: null }));

/** Parses `fields=` or throws Graph's syntax error. */
export function selection(text) {
  if (text === undefined || text === '') return null;
  try {
    return parseFields(text);
  } catch (e) {
    throw new GraphError(400, 2500, e.message);
  }
}

/** Serialises a selection back to `fields=` text (for `next` links of nested edges). */
export function unparse(sel) {
  return sel
    .map((f) => {
      let out = f.name;
      for (const [k, v] of Object.entries(f.mods)) if (k !== 'limit') out += `.${k}(${v})`;
      if (f.sub) out += `{${unparse(f.sub)}}`;
      return out;
    })
    .join(',');
}

/**
 * Renders `node` with selection `sel` (null: Graph's defaults). `extra` are the fields the
 * listing edge documents on top of the spec. `ctx` = { store, graph, token, base }.
 */
export function render(ctx, node, sel, extra = new Map()) {
  const s = spec(node.type);
  const wanted = sel ?? plain(DEFAULTS[node.type] ?? ['id']);
  const out = {};
  for (const f of wanted) {
    const type = s.fields.get(f.name) ?? extra.get(f.name);
    if (!type) {
      if (s.edges.has(f.name) && ctx.graph.hasEdge(node.type, f.name)) {
        const page = ctx.graph.edgePage(ctx, node, f.name, f.mods, f.sub);
        out[f.name] = page;
        continue;
      }
      if (s.edges.has(f.name)) {
        throw new GraphError(501, 1, `the fake Graph API does not implement the ${node.type}.${f.name} edge`);
      }
      throw nonexistingField(f.name, node.type);
    }
    const raw = ctx.graph.value(ctx, node, f.name, f.mods);
    if (raw === undefined) {
      // Graph checks the names even when the value is absent (a top comment's parent).
      if (f.sub) validate(type, f.sub);
      continue;
    }
    const value = shape(ctx, raw, f);
    if (!typeMatches(type, value)) {
      throw new GraphError(500, 1, `fake bug: ${node.type}.${f.name} served ${JSON.stringify(value)}, spec type ${type}`);
    }
    out[f.name] = value;
  }
  if (out.id === undefined && node.id !== undefined && s.fields.has('id')) out.id = node.id;
  return out;
}

/** Checks a nested selection's names against node type `type`'s spec, when it has one. */
export function validate(type, sel) {
  let s;
  try {
    s = spec(type);
  } catch {
    return; // Object and other types without a spec: nothing to check against
  }
  for (const f of sel) {
    if (s.fields.has(f.name)) {
      if (f.sub) validate(s.fields.get(f.name), f.sub);
    } else if (s.edges.has(f.name)) {
      if (f.sub) validate(s.edges.get(f.name), f.sub);
    } else {
      throw nonexistingField(f.name, type);
    }
  }
}

function shape(ctx, raw, f) {
  if (raw && typeof raw === 'object' && raw.$ref) {
    const target = ctx.store.get(raw.$ref);
    return render(ctx, target, f.sub);
  }
  if (raw && typeof raw === 'object' && raw.$obj) {
    const { $obj, ...rest } = raw;
    return render(ctx, { type: $obj, ...rest }, f.sub);
  }
  if (f.sub && raw && typeof raw === 'object' && !Array.isArray(raw)) {
    // A documented plain object (Message.from, participants): pick the named keys.
    const pick = (o) => Object.fromEntries(f.sub.filter((k) => k.name in o).map((k) => [k.name, o[k.name]]));
    return Array.isArray(raw.data) ? { ...raw, data: raw.data.map(pick) } : pick(raw);
  }
  return raw;
}

/** Opaque cursor of item `id` in the current cursor epoch. */
export function cursor(store, id) {
  return Buffer.from(JSON.stringify({ i: id, e: store.cursorEpoch })).toString('base64url');
}

function decodeCursor(store, text) {
  let c;
  try {
    c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (!c || typeof c.i !== 'string' || c.e !== store.cursorEpoch) throw badCursor();
  return c.i;
}

/**
 * One page of `items` (already in the edge's order) with `{data, paging}`; `params` holds
 * limit/after/before; `link(after)` builds the `next` url.
 */
export function page(ctx, items, params, renderItem, link) {
  const limit = Math.min(Math.max(parseInt(params.limit ?? '25', 10) || 25, 1), 100);
  let start = 0;
  let end;
  if (params.after) {
    const id = decodeCursor(ctx.store, params.after);
    const at = items.findIndex((n) => n.id === id);
    if (at < 0) throw badCursor();
    start = at + 1;
    end = Math.min(items.length, start + limit);
  } else if (params.before) {
    const id = decodeCursor(ctx.store, params.before);
    const at = items.findIndex((n) => n.id === id);
    if (at < 0) throw badCursor();
    end = at;
    start = Math.max(0, end - limit);
  } else {
    end = Math.min(items.length, limit);
  }
  const slice = items.slice(start, end);
  const data = slice.map(renderItem);
  if (slice.length === 0) return { data };
  const paging = {
    cursors: { before: cursor(ctx.store, slice[0].id), after: cursor(ctx.store, slice[slice.length - 1].id) },
  };
  if (end < items.length) paging.next = link(paging.cursors.after);
  if (start > 0) paging.previous = link(null, paging.cursors.before);
  return { data, paging };
}
