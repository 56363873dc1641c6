import cron, { type ScheduledTask } from 'node-cron';
import { parseCron } from './cronExpression.js';
import type { Log } from './log.js';

export interface Scheduler {
  stop(): Promise<void>;
}

/**
 * Runs `job` on the cron schedule, never two at once: a tick that finds the last run still going
 * is skipped and logged (node-cron's noOverlap). node-cron gets the expression as we read it
 * (cronExpression.ts), never the text as given.
 */
export function scheduleRefresh(expression: string, job: () => Promise<unknown>, log: Log): Scheduler {
  const parsed = parseCron(expression);
  if (!parsed.ok) throw new Error(`not a cron expression: ${JSON.stringify(expression)}: ${parsed.reason}`);
  const task: ScheduledTask = cron.schedule(parsed.schedule.expression, async () => {
    await job();
  }, { name: 'refresh', noOverlap: true });
  task.on('execution:overlap', () => {
    log.warn({ cron: expression }, 'refresh still running; this tick is skipped');
  });
  task.on('execution:failed', (ctx) => {
    log.error({ err: ctx.execution?.error }, 'scheduled refresh failed');
  });
  return {
    async stop() {
      await task.stop();
      await task.destroy();
    },
  };
}
