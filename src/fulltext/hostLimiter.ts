/**
 * Politeness towards the outlets' web servers when fetching article pages (issue #6): at most
 * `perHost` requests to one host at a time, at most `total` overall, and request starts to one
 * host at least `delayMs` apart.
 */
export interface HostLimits {
  perHost: number;
  total: number;
  delayMs: number;
}

export const DEFAULT_HOST_LIMITS: HostLimits = { perHost: 2, total: 6, delayMs: 1_000 };

interface HostSlot {
  active: number;
  /** When the next request to this host may start, epoch ms. */
  nextStart: number;
}

export class HostLimiter {
  private readonly hosts = new Map<string, HostSlot>();
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  /** `now` and `sleep` are the clock and the timer the delay is kept by: the system's unless a test gives its own. */
  constructor(
    private readonly limits: HostLimits = DEFAULT_HOST_LIMITS,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = systemSleep,
  ) {}

  /** Runs `task` once the host and overall limits allow, and releases its slot when it settles. */
  async run<T>(url: string, task: () => Promise<T>): Promise<T> {
    const host = new URL(url).host;
    await this.acquire(host);
    try {
      return await task();
    } finally {
      this.release(host);
    }
  }

  private slot(host: string): HostSlot {
    let slot = this.hosts.get(host);
    if (!slot) {
      slot = { active: 0, nextStart: 0 };
      this.hosts.set(host, slot);
    }
    return slot;
  }

  private async acquire(host: string): Promise<void> {
    const slot = this.slot(host);
    for (;;) {
      if (this.active < this.limits.total && slot.active < this.limits.perHost) {
        const wait = slot.nextStart - this.now();
        if (wait <= 0) break;
        await this.sleep(wait);
        continue;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    slot.active += 1;
    this.active += 1;
    slot.nextStart = this.now() + this.limits.delayMs;
  }

  private release(host: string): void {
    this.slot(host).active -= 1;
    this.active -= 1;
    // Everyone re-checks: the slot freed may be for their host or only the overall one.
    for (const wake of this.waiting.splice(0)) wake();
  }
}

function systemSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
