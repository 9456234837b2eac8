// Hiding a comment from the public (nothing is deleted): `POST /{comment-id}` with
// `is_hidden=true|false` (Facebook Comment, Graph changelog v2.2; spec Comment #update) or
// `POST /{ig-comment-id}` with `hide=true|false` (IGComment #update, `hide` required).
// A hidden comment stays listed to the Page with `is_hidden: true` / `hidden: true`, as
// Meta lists it to the Page; the public no longer sees it (the fake has no public view).

import { GraphError, missingParam } from './errors.mjs';

/** Graph's reading of a boolean parameter: true/false or 1/0; undefined when absent. */
function flag(value, name) {
  if (value === undefined || value === '') return undefined;
  if (value === true || value === 'true' || value === '1' || value === 1) return true;
  if (value === false || value === 'false' || value === '0' || value === 0) return false;
  throw new GraphError(400, 100, `(#100) Param ${name} must be a boolean`);
}

/** `POST /{comment}` on a Facebook Comment (`is_hidden`) or an IGComment (`hide`). */
export function updateComment(graph, ctx, node) {
  const p = ctx.params;
  if (node.type === 'Comment') {
    graph.checkPerms(ctx, ['pages_manage_engagement'], 200);
    const hidden = flag(p.is_hidden, 'is_hidden');
    if (hidden === undefined) {
      throw new GraphError(501, 1, 'the fake implements POST /{comment-id} for is_hidden only');
    }
    node.is_hidden = hidden;
    return { status: 200, body: { success: true } };
  }
  graph.checkPerms(ctx, ['instagram_basic', 'instagram_manage_comments'], 200);
  const hidden = flag(p.hide, 'hide');
  if (hidden === undefined) throw missingParam('hide');
  node.hidden = hidden;
  return { status: 200, body: { success: true } };
}

/** Whether comment `id` is hidden (control `GET /_fake/hidden?id=`); undefined: no such comment. */
export function isHidden(store, id) {
  const node = store.get(id);
  if (node?.type === 'Comment') return Boolean(node.is_hidden);
  if (node?.type === 'IGComment') return Boolean(node.hidden);
  return undefined;
}
