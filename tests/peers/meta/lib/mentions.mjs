// Instagram mentions: another account's media whose caption @mentions the Instagram
// account. Meta documents two calls for them (Instagram Graph API reference, IG User):
//
// - `GET /{ig-user-id}?fields=mentioned_media.media_id({media-id}){fields}` reads such a
//   media (its caption, `comments{…}`, …) with the account's token, although the media is
//   another account's;
// - `POST /{ig-user-id}/mentions` (`media_id`, `message`, and `comment_id` for a mention in
//   a comment) writes a comment on it as the account; answers `{id}`.
//
// A media is **mentioned** here when it is listed in the account's `tags` and its caption
// names `@<username>`. Only a tag (a photo the account was tagged in, no @mention) cannot
// be read or answered this way ("Commenting on photos in which you were tagged is not
// supported"). Meta does not document its error for a media that is not (or no longer) a
// mention, or whose comments are turned off: the fake answers code 100 subcode 33 (the
// "does not exist" error) for the first and code 100 "comments are turned off" for the
// second — its own choice.

import { GraphError, unknownObject, missingParam } from './errors.mjs';
import { now } from './time.mjs';

/** Whether `media` @mentions Instagram account `ig` in its caption (and is listed in its tags). */
export function mentions(media, ig) {
  if (!media || media.type !== 'IGMedia' || media._deleted || media._tags !== ig.id) return false;
  return (media.caption ?? '').toLowerCase().includes(`@${ig.username.toLowerCase()}`);
}

/** The value of `IGUser.mentioned_media` with modifier `media_id(<id>)`: a reference. */
export function mentionedMedia(graph, ctx, ig, mods) {
  graph.checkPerms(ctx, ['instagram_basic', 'instagram_manage_comments']);
  const id = mods?.media_id;
  if (!id) throw missingParam('media_id');
  const media = graph.store.get(id);
  if (!mentions(media, ig)) throw unknownObject(id);
  return { $ref: media.id };
}

/** `POST /{ig-user-id}/mentions`: the account's comment on a media (or a reply to a comment) that mentions it. */
export function replyToMention(graph, ctx, ig) {
  const p = ctx.params;
  graph.checkPerms(ctx, ['instagram_basic', 'instagram_manage_comments'], 200);
  graph.requirePageToken(ctx, ig.id);
  if (!p.media_id) throw missingParam('media_id');
  if (!p.message) throw missingParam('message');
  const media = graph.store.get(p.media_id);
  if (!mentions(media, ig)) throw unknownObject(p.media_id);
  if (media._commentsOff) throw new GraphError(400, 100, '(#100) Comments on this media are turned off');
  let on = media.id;
  if (p.comment_id) {
    const comment = graph.store.get(p.comment_id);
    if (!comment || comment.type !== 'IGComment' || comment._media !== media.id) throw unknownObject(p.comment_id);
    on = comment.id;
  }
  const c = graph.addIgComment(on, { id: ig.id, username: ig.username }, p.message, now(), true);
  c._postedAt = now();
  return { status: 200, body: { id: c.id } };
}
