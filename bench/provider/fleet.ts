/**
 * Many stacks on one account, simulated in one process (issue 11, "past one machine"): each simulated stack is a
 * LiveClient with its OWN limiter — exactly what a separate provider process (or machine) has — doing what a Group
 * create does against the emulator's real throttle: CreateLiveMessageGroup, then DescribeLiveMessageGroup to read it
 * back, `parallel` at a time. No coordination between them: only the service's throttling.
 */
import { DEFAULT_CREDENTIALS } from "../../emulator";
import { LiveClient, RateLimiter, type ClientLogEvent } from "../../provider";
import { CreateLiveMessageApp, CreateLiveMessageGroup, DescribeLiveMessageGroup } from "../../provider/operations";

export interface FleetOptions {
  url: string;
  stacks: number;
  groupsPerStack: number;
  parallel: number;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export async function simulateStacks(o: FleetOptions): Promise<Record<string, unknown>> {
  const started = performance.now();
  const settled: number[] = [];
  const stack = async (index: number) => {
    const client = new LiveClient({
      endpoint: o.url,
      credentials: { ...DEFAULT_CREDENTIALS },
      limiter: new RateLimiter(),
      logger: (e: ClientLogEvent) => {
        if (e.type === "throttle-summary" && e.action === "CreateLiveMessageGroup") settled.push(e.settledRate);
      },
    });
    let failed = 0;
    try {
      const appId = (await CreateLiveMessageApp.invoke(client, { AppName: `fleet${index}` })).AppId;
      let next = 0;
      const worker = async () => {
        while (next < o.groupsPerStack) {
          const groupId = `s${index}g${next++}`;
          try {
            await CreateLiveMessageGroup.invoke(client, { AppId: appId, GroupId: groupId });
            await DescribeLiveMessageGroup.invoke(client, { AppId: appId, GroupId: groupId });
          } catch {
            failed++;
          }
        }
      };
      await Promise.all(Array.from({ length: o.parallel }, worker));
    } finally {
      await client.close();
    }
    return { ms: performance.now() - started, failed };
  };
  const results = await Promise.all(Array.from({ length: o.stacks }, (_, i) => stack(i)));
  const wallMs = performance.now() - started;
  const creates = o.stacks * o.groupsPerStack;
  const floorMs = (creates / 50) * 1000;
  const finish = results.map((r) => r.ms).sort((a, b) => a - b);
  const rates = [...settled].sort((a, b) => a - b);
  return {
    stacks: o.stacks,
    groupsPerStack: o.groupsPerStack,
    parallel: o.parallel,
    wallMs: Math.round(wallMs),
    floorMs,
    ratio: Number((wallMs / floorMs).toFixed(3)),
    failed: results.reduce((n, r) => n + r.failed, 0),
    stackFinishMs: { first: Math.round(finish[0]!), median: Math.round(quantile(finish, 0.5)), last: Math.round(finish[finish.length - 1]!) },
    settledCreateRatePerStack: rates.length
      ? { reports: rates.length, min: Number(rates[0]!.toFixed(2)), median: Number(quantile(rates, 0.5).toFixed(2)), max: Number(rates[rates.length - 1]!.toFixed(2)) }
      : undefined,
  };
}
