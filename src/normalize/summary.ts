/** How long a summary may be, in characters (issue #2: "about 200"). */
export const SUMMARY_MAX = 200;
/** A sentence end this far in or further is a better cut than a mid-sentence ellipsis. */
const SENTENCE_CUT_MIN = 120;
const SENTENCE_END = /[。！？!?；;]/;

/** A plain-text summary of about SUMMARY_MAX characters, cut at a sentence end where one is near. */
export function summarize(text: string, max: number = SUMMARY_MAX): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  if (chars.length <= max) return chars.join('');
  const head = chars.slice(0, max);
  for (let i = head.length - 1; i >= SENTENCE_CUT_MIN; i -= 1) {
    if (SENTENCE_END.test(head[i]!)) return head.slice(0, i + 1).join('');
  }
  return `${head.slice(0, max - 1).join('').trimEnd()}…`;
}
