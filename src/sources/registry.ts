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

function domainOf(url: string): string {
  return new URL(url).hostname.replace(/^www\./, '');
}

/** Answers which source an article URL belongs to, by host: `www.rfi.fr` and `rfi.fr` are RFI's. */
export class SourceRegistry {
  private readonly byDomain: { domain: string; source: SourceDefinition }[];

  constructor(readonly definitions: readonly SourceDefinition[]) {
    this.byDomain = definitions
      .map((source) => ({ domain: domainOf(source.url), source }))
      .sort((a, b) => b.domain.length - a.domain.length);
  }

  /** The source id for an article URL; a host no definition claims is its own source. */
  sourceIdFor(url: string): string {
    const host = new URL(url).hostname;
    const match = this.byDomain.find(({ domain }) => host === domain || host.endsWith(`.${domain}`));
    return match ? match.source.id : host.replace(/^www\./, '');
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
