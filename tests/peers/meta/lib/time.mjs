// Meta's time format: "2026-12-06T12:00:00+0000" (seconds, UTC, no millis).

/** Formats milliseconds since the epoch as Meta does. */
export function metaTime(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

/** Now, in milliseconds. */
export const now = () => Date.now();
