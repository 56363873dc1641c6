import { Trie, type DictGroup, type DictLike } from 'opencc-js/core';
import { configs } from 'opencc-js/preset';
import type { ConversionName } from './scripts.js';

/**
 * OpenCC conversions from opencc-js's dictionaries and configurations, as opencc-js's own
 * `Converter` builds them (normalisation, then segmentation by phrases, then each dictionary
 * group in turn over each segment), except that a dictionary group is loaded into a trie once
 * and shared by every conversion that uses it. Loading STPhrases (1 MB) takes over a second, and
 * s2t, s2tw, s2hk and s2twp all use it twice; shared, the four cost that once (measured in
 * tests/render/opencc.test.ts, reported in README).
 */

/** What opencc-js's preset holds per configuration; `normalizationChain` is not in its types. */
interface Config {
  normalizationChain?: readonly DictGroup[];
  segmentation?: DictLike | DictGroup;
  conversionChain: readonly DictGroup[];
}

export type Convert = (text: string) => string;

const dictionaryIds = new Map<DictLike, number>();
const tries = new Map<string, Trie>();
const converters = new Map<ConversionName, Convert>();

function trieOf(group: DictGroup): Trie {
  const key = group.map((dict) => {
    let id = dictionaryIds.get(dict);
    if (id === undefined) {
      id = dictionaryIds.size;
      dictionaryIds.set(dict, id);
    }
    return id;
  }).join('+');
  let trie = tries.get(key);
  if (!trie) {
    trie = new Trie();
    trie.loadDictGroup(group);
    tries.set(key, trie);
  }
  return trie;
}

/** opencc-js reads a segmentation of several dictionaries as a group, and anything else as one dictionary. */
function asGroup(segmentation: DictLike | DictGroup): DictGroup {
  const several = Array.isArray(segmentation) && segmentation.every((d) => typeof d === 'string');
  return several ? segmentation as DictGroup : [segmentation as DictLike];
}

function build(name: ConversionName): Convert {
  const config = (configs as Record<string, Config>)[name];
  if (!config) throw new Error(`opencc-js has no configuration ${name}`);
  const normalize = (config.normalizationChain ?? []).map(trieOf);
  const segmentation = config.segmentation === undefined ? undefined : trieOf(asGroup(config.segmentation));
  const chain = config.conversionChain.map(trieOf);
  return (text) => {
    const normalized = normalize.reduce((s, trie) => trie.convert(s), text);
    const segments = segmentation ? segmentation.segment(normalized) : [normalized];
    return segments.map((segment) => chain.reduce((s, trie) => trie.convert(s), segment)).join('');
  };
}

/** The conversion `name`, built on first use and kept. */
export function converterFor(name: ConversionName): Convert {
  let convert = converters.get(name);
  if (!convert) {
    convert = build(name);
    converters.set(name, convert);
  }
  return convert;
}
