/**
 * The text of HTML that the sanitiser wrote (src/normalize/sanitize.ts): tags become spaces and
 * the five entities it escapes are decoded. Not a general HTML decoder: stored bodies carry only
 * these five, since every other character is written as itself.
 */
const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&amp;': '&' };

export function sanitizedHtmlText(html: string): string {
  return html.replace(/<[^>]*>/g, ' ').replace(/&(?:lt|gt|quot|#39|amp);/g, (e) => ENTITIES[e]!);
}
