/**
 * Pairwise precision and recall of a grouping against labelled stories: every pair of articles
 * put in one story is a prediction, every pair in one labelled cluster is a truth (issue #15).
 */
export interface PairScores {
  truePairs: number;
  predictedPairs: number;
  correctPairs: number;
  precision: number;
  recall: number;
  /** Pairs grouped that the labels keep apart, and labelled pairs left apart. */
  wrong: [string, string][];
  missed: [string, string][];
}

function pairs(groups: readonly (readonly string[])[]): Set<string> {
  const out = new Set<string>();
  for (const group of groups) {
    const sorted = [...group].sort();
    for (let i = 0; i < sorted.length; i += 1) for (let j = i + 1; j < sorted.length; j += 1) out.add(`${sorted[i]} ${sorted[j]}`);
  }
  return out;
}

const split = (pair: string): [string, string] => pair.split(' ') as [string, string];

export function pairScores(labelled: readonly (readonly string[])[], predicted: readonly (readonly string[])[]): PairScores {
  const truth = pairs(labelled);
  const guessed = pairs(predicted);
  const correct = [...guessed].filter((p) => truth.has(p));
  return {
    truePairs: truth.size,
    predictedPairs: guessed.size,
    correctPairs: correct.length,
    // No prediction is no mistake; no truth is nothing to miss.
    precision: guessed.size === 0 ? 1 : correct.length / guessed.size,
    recall: truth.size === 0 ? 1 : correct.length / truth.size,
    wrong: [...guessed].filter((p) => !truth.has(p)).map(split),
    missed: [...truth].filter((p) => !guessed.has(p)).map(split),
  };
}
