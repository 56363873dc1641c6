import type { Language } from '../model.js';
import type { SourceDefinition } from './definitions.js';

/** How the feeds describe a source, known or not. */
export interface SourceInfo {
  id: string;
  name: string;
  title: string;
  url: string;
  /** The outlet's own feed, for RSS `<source url>`; absent for hosts no definition claims. */
  feedUrl?: string;
  language: Language;
}

interface Claim {
  domain: string;
  /** The home page's path: `/cn/` for RFI, whose host also carries other languages. */
  path: string;
  source: SourceDefinition;
}

function claimOf(source: SourceDefinition): Claim {
  const url = new URL(source.url);
  return { domain: url.hostname.replace(/^www\./, ''), path: url.pathname, source };
}

/**
 * Answers which source an article URL belongs to, by host (`www.rfi.fr` and `rfi.fr` are RFI's)
 * and, where several sources share a host, by the longest home-page path the URL starts with.
 */
export class SourceRegistry {
  private readonly claims: Claim[];

  constructor(readonly definitions: readonly SourceDefinition[]) {
    this.claims = definitions.map(claimOf);
  }

  /** The source id for an article URL; a host no definition claims is its own source. */
  sourceIdFor(url: string): string {
    const { hostname, pathname } = new URL(url);
    let best: { claim: Claim; score: number } | undefined;
    for (const claim of this.claims) {
      if (hostname !== claim.domain && !hostname.endsWith(`.${claim.domain}`)) continue;
      // A longer domain is a closer claim; on the same domain, a longer matching path is.
      const pathScore = pathname.startsWith(claim.path) ? claim.path.length : 0;
      const score = claim.domain.length * 10_000 + pathScore;
      if (!best || score > best.score) best = { claim, score };
    }
    return best ? best.claim.source.id : hostname.replace(/^www\./, '');
  }

  get(id: string): SourceDefinition | undefined {
    return this.definitions.find((d) => d.id === id);
  }

  describe(id: string): SourceInfo {
    const def = this.get(id);
    if (!def) return { id, name: id, title: id, url: `https://${id}/`, language: 'zh-Hans' };
    const info: SourceInfo = { id, name: def.name, title: def.title, url: def.url, language: def.language };
    if (def.feeds[0] !== undefined) info.feedUrl = def.feeds[0];
    return info;
  }
}
