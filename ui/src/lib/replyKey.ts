// The idempotency key of a reply: minted once per reply written and sent with every attempt to send it, so a
// resend after a lost answer never queues (or posts) the reply twice. A UUID version 7: unique, and dated by when
// it was written, as platforms that derive a record key from it (Bluesky) expect.

/** A new reply key (UUID v7) for `now` (milliseconds since the epoch). */
export function newReplyKey(now: number = Date.now(), random: (bytes: Uint8Array) => void = fillRandom): string {
  const bytes = new Uint8Array(16);
  random(bytes);
  let millis = Math.max(0, Math.floor(now));
  for (let i = 5; i >= 0; i--) {
    bytes[i] = millis % 256;
    millis = Math.floor(millis / 256);
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x70; // version 7
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function fillRandom(bytes: Uint8Array): void {
  globalThis.crypto.getRandomValues(bytes);
}
