import { describeFixturePairs } from './fixturePairs.js';

describeFixturePairs('rdf', 'RSS 1.0 and 0.90 (src/parse/rdf.ts)');
