// Overlong grapheme clusters in customer text, cut before they are shown.
//
// A grapheme cluster is what a reader sees as one character: a base with its combining
// marks, or emoji joined by zero-width joiners (U+200D). Customer text can make one
// cluster of hundreds of marks (stacked "zalgo" text, painted far above and below its
// line) or of hundreds of joined emoji (one unbreakable run wider than any window). The
// window keeps at most MAX_MARKS combining marks in a row and MAX_JOINS joiners in one
// emoji sequence — what any real writing or emoji needs — as the core does for names and
// notifications; the bubbles and History also clip whatever still overflows (CSS).

/** Most combining marks kept in a row on one base character. */
export const MAX_MARKS = 4;
/** Most zero-width joiners kept in one emoji sequence (the longest real ones use 3). */
export const MAX_JOINS = 4;

const MARK = /[\p{Mn}\p{Me}]/u;
const EMOJI_PART = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE00-\uFE0F]/u;
const ZWJ = '\u200D';

/** `text` with overlong grapheme clusters cut, nothing else changed. */
export function capClusters(text: string): string {
  let out = '';
  let marks = 0;
  let joins = 0;
  for (const c of text) {
    if (MARK.test(c)) {
      marks += 1;
      if (marks > MAX_MARKS) continue;
    } else if (c === ZWJ) {
      joins += 1;
      if (joins > MAX_JOINS) continue;
    } else {
      marks = 0;
      if (!EMOJI_PART.test(c)) joins = 0;
    }
    out += c;
  }
  return out;
}
