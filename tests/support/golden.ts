import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Article } from '../../src/model.js';
import type { SqliteStore } from '../../src/store/sqlite.js';
import { makePublisher, storeOf } from './articles.js';
import { fixturePath } from './paths.js';

/**
 * Input/expected pairs: tests/fixtures/feeds/articles.json (six stored articles, three of them
 * hostile: markup and `]]>` in text, characters XML forbids, dates before 1990) rendered under a
 * fixed origin and clock must give exactly the files in expected/. Any change to what we publish
 * shows up here as a diff to review.
 */
export const FIXTURES = fixturePath('feeds');
export const GOLDEN: readonly [path: string, file: string][] = [
  ['/feed.xml', 'feed.xml'],
  ['/atom.xml', 'atom.xml'],
  ['/feed.json', 'feed.json'],
  ['/archive/1/atom.xml', 'archive-1-atom.xml'],
  ['/voa/feed.xml', 'voa-feed.xml'],
  ['/', 'index.html'],
  ['/opml.xml', 'opml.xml'],
  ['/articles/0000000000000001.html', 'article-0000000000000001.html'],
  ['/articles/00000000000003e8.html', 'article-00000000000003e8.html'],
];

/**
 * The fixture articles and a publisher over them; close both after. They are stored in the order
 * they were archived (ties by id), as they would have arrived: archive pages are cut by arrival.
 */
export async function goldenPublisher(): Promise<{ store: SqliteStore; publisher: ReturnType<typeof makePublisher> }> {
  const articles = JSON.parse(readFileSync(join(FIXTURES, 'articles.json'), 'utf8')) as Article[];
  const arrivals = [...articles].sort((a, b) => a.archived - b.archived || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const store = await storeOf(arrivals);
  return { store, publisher: makePublisher(store) };
}

