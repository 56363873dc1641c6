/** A clock the test moves by hand. */
export function manualClock(start: number): { now: () => number; set(t: number): void; advance(ms: number): void } {
  let t = start;
  return { now: () => t, set: (v) => void (t = v), advance: (ms) => void (t += ms) };
}
