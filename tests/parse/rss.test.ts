import { describeFixturePairs } from './fixturePairs.js';

describeFixturePairs('rss', 'RSS 2.0 (src/parse/rss.ts)');
