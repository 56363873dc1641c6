/**
 * A clock the test moves by hand, with timers of its own: `sleep(ms)` waits until the clock has
 * been moved that far, and `run(work)` moves it from timer to timer, each time nothing else can
 * happen, until `work` settles. No real time passes, so what a test measures is exact.
 */
export interface ManualClock {
  now: () => number;
  set(t: number): void;
  advance(ms: number): void;
  sleep: (ms: number) => Promise<void>;
  run<T>(work: Promise<T>): Promise<T>;
}

export function manualClock(start: number): ManualClock {
  let t = start;
  let order = 0;
  const timers: { at: number; order: number; wake: () => void }[] = [];
  /** Lets every promise chain that can move on do so: they all run before the next macrotask. */
  const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  return {
    now: () => t,
    set: (v) => void (t = v),
    advance: (ms) => void (t += ms),
    sleep: (ms) => new Promise<void>((wake) => void timers.push({ at: t + Math.max(0, ms), order: order++, wake })),
    async run<T>(work: Promise<T>): Promise<T> {
      let settled = false;
      const result = work.finally(() => {
        settled = true;
      });
      for (;;) {
        await settle();
        if (settled) return result;
        if (timers.length === 0) throw new Error('manualClock.run: the work waits on something other than this clock');
        timers.sort((a, b) => a.at - b.at || a.order - b.order);
        const next = timers.shift()!;
        t = Math.max(t, next.at);
        next.wake();
      }
    },
  };
}
