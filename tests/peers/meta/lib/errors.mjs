// Graph API error bodies: {"error":{"message","type","code","error_subcode"?,"fbtrace_id"}}.

import { randomBytes } from 'node:crypto';

/** A Graph error the handlers throw; the server turns it into the HTTP answer. */
export class GraphError extends Error {
  constructor(status, code, message, { type = 'OAuthException', subcode, extra = {}, headers = {} } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.type = type;
    this.subcode = subcode;
    this.extra = extra;
    this.headers = headers;
  }

  body() {
    const error = { message: this.message, type: this.type, code: this.code };
    if (this.subcode !== undefined) error.error_subcode = this.subcode;
    Object.assign(error, this.extra);
    error.fbtrace_id = fbtrace();
    return { error };
  }
}

/** A trace id like Meta's (`A1b2C3d4E5f6G7h8I9j0K1l`). */
export function fbtrace() {
  return randomBytes(16).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 23);
}

export const nonexistingField = (field, type) =>
  new GraphError(400, 100, `(#100) Tried accessing nonexisting field (${field}) on node type (${type})`);

export const unknownObject = (id) =>
  new GraphError(
    400,
    100,
    `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    { type: 'GraphMethodException', subcode: 33 },
  );

export const unknownPath = (path) =>
  new GraphError(400, 2500, `Unknown path components: /${path}`);

export const badToken = () =>
  new GraphError(400, 190, 'Invalid OAuth access token - Cannot parse access token');

export const noToken = () =>
  new GraphError(400, 104, 'An access token is required to request this resource.');

export const missingParam = (name) =>
  new GraphError(400, 100, `(#100) The parameter ${name} is required`);

/** Code 10 (reading) or 200 (acting) for a permission the token lacks. */
export const missingPermission = (code, permission) =>
  code === 10
    ? new GraphError(
        400,
        10,
        `(#10) This endpoint requires the '${permission}' permission or the 'Page Public Content Access' feature. Refer to https://developers.facebook.com/docs/apps/review/login-permissions#manage-pages and https://developers.facebook.com/docs/apps/review/feature#reference-PAGES_ACCESS for details.`,
      )
    : new GraphError(400, code, `(#${code}) Requires ${permission} permission to manage the object`);

export const needsPageToken = () =>
  new GraphError(400, 210, '(#210) A page access token is required to request this resource.');

/** The invalid / expired paging cursor error Meta sends (seen in facebook-java-business-sdk#292). */
export const badCursor = () => new GraphError(400, 2642, '(#2642) Invalid cursors values');

/**
 * The messaging window is closed. Messenger: code 10 subcode 2018278 (Messenger Platform,
 * Common Error Codes); Instagram: code 10 subcode 2534022 (what Instagram messaging sends,
 * as seen by clients in the wild — Meta's table does not list it).
 */
export const outsideWindow = (platform) =>
  platform === 'instagram'
    ? new GraphError(400, 10, '(#10) This message is sent outside of allowed window.', { subcode: 2534022 })
    : new GraphError(
        400,
        10,
        '(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview',
        { subcode: 2018278 },
      );
