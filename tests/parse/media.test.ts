import { describeFixturePairs } from './fixturePairs.js';

describeFixturePairs('media', 'lead images from enclosures and Media RSS (src/parse/media.ts)');
