// Meta's published object specs (specs/*.json, vendored from facebook-business-sdk-codegen)
// and the few documented shapes that have no spec file (specs/from-docs/).
//
// A spec lists a node type's fields (name → type) and its edges (`apis` with an
// `endpoint`: GET edges are readable with `fields=edge{...}` and `/{id}/edge`). The fake
// answers only fields the spec lists, with values of the spec's type.

import { readFileSync, existsSync } from 'node:fs';

const DIR = new URL('../specs/', import.meta.url);
const cache = new Map();

/** The spec of node type `type`: { type, fields: Map<name, type>, edges: Map<name, return type> }. */
export function spec(type) {
  if (cache.has(type)) return cache.get(type);
  let file = new URL(`${type}.json`, DIR);
  if (!existsSync(file)) file = new URL(`from-docs/${type}.json`, DIR);
  if (!existsSync(file)) throw new Error(`the fake has no spec for node type ${type}`);
  const raw = JSON.parse(readFileSync(file, 'utf8'));
  const fields = new Map((raw.fields ?? []).map((f) => [f.name, f.type]));
  const edges = new Map();
  const posts = new Map();
  for (const api of raw.apis ?? []) {
    if (!api.endpoint) continue;
    if (api.method === 'GET') edges.set(api.endpoint, api.return);
    if (api.method === 'POST') posts.set(api.endpoint, api.params.map((p) => p.name));
  }
  const out = { type, fields, edges, posts };
  cache.set(type, out);
  return out;
}

const edgeFields = JSON.parse(readFileSync(new URL('from-docs/edge-fields.json', DIR), 'utf8'));

/** Fields that edge `owner.edge` documents on top of its objects' spec (e.g. `tasks` on /me/accounts). */
export function extraFields(ownerType, edge) {
  const extra = edgeFields[`${ownerType}.${edge}`];
  if (!extra) return new Map();
  return new Map(Object.entries(extra).filter(([k]) => k !== 'source'));
}

const DATETIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/;

/** Whether `value` is of spec type `type` (the fake checks every value it serves). */
export function typeMatches(type, value) {
  if (value === null || value === undefined) return true;
  if (type === 'string') return typeof value === 'string';
  if (type === 'datetime') return typeof value === 'string' && DATETIME.test(value);
  if (type === 'int' || type === 'unsigned int' || type === 'float') return typeof value === 'number';
  if (type === 'bool') return typeof value === 'boolean';
  if (type === 'list' || type.startsWith('list<')) return Array.isArray(value);
  if (type.startsWith('map')) return typeof value === 'object' && !Array.isArray(value);
  // Object or a node/struct type.
  return typeof value === 'object' && !Array.isArray(value);
}
