import { describeFixturePairs } from './fixturePairs.js';

describeFixturePairs('atom', 'Atom 1.0 (src/parse/atom.ts)');
