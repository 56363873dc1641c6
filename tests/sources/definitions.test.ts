import { describe, expect, it } from 'vitest';
import { SourceDefinitionError } from '../../src/errors.js';
import { articlePath, MERGED_KEY, STORIES_KEY } from '../../src/render/sitePaths.js';
import { parseSourceDefinition, RESERVED_SOURCE_IDS } from '../../src/sources/definitions.js';

/** feeds/<id>.json, checked by its zod schema: each fault named with the file and the field. */

const GOOD = { title: ' 美国之音中文网 ', url: 'https://www.voachinese.com', feeds: ['https://www.voachinese.com/api/x'], language: 'zh-Hans' };

function fault(definition: unknown, file = 'feeds/voa.json'): string {
  try {
    parseSourceDefinition(file, JSON.stringify(definition));
  } catch (err) {
    expect(err).toBeInstanceOf(SourceDefinitionError);
    return (err as Error).message;
  }
  throw new Error('accepted');
}

describe('parseSourceDefinition', () => {
  it.each(RESERVED_SOURCE_IDS)('refuses the id %s, a path of the site\'s own, naming the file', (id) => {
    expect(fault(GOOD, `feeds/${id}.json`)).toMatch(new RegExp(`feeds/${id}\\.json.*is a path of the site's own`));
  });

  it('reserves every fixed first segment of the site\'s paths', () => {
    for (const key of [MERGED_KEY, STORIES_KEY]) expect(RESERVED_SOURCE_IDS).toContain(key);
    for (const path of ['/archive/1/feed.xml', articlePath('0000000000000000')]) expect(RESERVED_SOURCE_IDS).toContain(path.split('/')[1]);
  });

  it('reads a definition: trimmed title, name from the id, URLs as WHATWG writes them, fullText off', () => {
    expect(parseSourceDefinition('feeds/voa.json', JSON.stringify({ ...GOOD, feeds: ['HTTPS://Example.org'] }))).toEqual({
      id: 'voa', name: 'VOA', title: '美国之音中文网', url: 'https://www.voachinese.com/', feeds: ['https://example.org/'], language: 'zh-Hans', fullText: false,
    });
  });

  it.each([
    ['not an object', [GOOD], 'must be a JSON object'],
    ['an unknown key, before any other fault', { extra: 1, title: '' }, 'unknown key "extra"'],
    ['no title', { ...GOOD, title: undefined }, '"title" must be a non-empty string'],
    ['a blank title', { ...GOOD, title: '  ' }, '"title" must be a non-empty string'],
    ['a name that is not text', { ...GOOD, name: null }, '"name" must be a non-empty string'],
    ['feeds that are not a list', { ...GOOD, feeds: 'https://a.example/' }, '"feeds" must be an array of feed URLs'],
    ['an unknown language', { ...GOOD, language: 'en' }, '"language" must be one of zh-Hans, zh-Hant'],
    ['a fullText that is not true or false', { ...GOOD, fullText: 'yes' }, '"fullText" must be true or false'],
    ['no url', { ...GOOD, url: undefined }, '"url" must be a URL string'],
    ['a relative url', { ...GOOD, url: '/zh' }, '"url" is not an absolute http(s) URL: "/zh"'],
    ['a feed that is not a URL string', { ...GOOD, feeds: ['https://a.example/', 5] }, '"feeds[1]" must be a URL string'],
    ['a feed of another scheme', { ...GOOD, feeds: ['ftp://a.example/'] }, '"feeds[0]" is not an absolute http(s) URL: "ftp://a.example/"'],
    ['faults in the language and a feed: the language first', { ...GOOD, language: 'en', feeds: [5] }, '"language" must be one of'],
    ['faults in the url and a feed: the url first', { ...GOOD, url: 5, feeds: [5] }, '"url" must be a URL string'],
  ])('refuses %s, naming the file and the field', (_name, definition, message) => {
    expect(fault(definition)).toContain(`feeds/voa.json: `);
    expect(fault(definition)).toContain(message);
  });
});
