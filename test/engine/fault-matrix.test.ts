// The fault matrix of issue 9 through the real dynamic-provider process: every row of faults/fault-matrix.ts, each on
// a fresh emulator and stack, held to the invariants 0 orphans, 0 duplicates, 0 takeovers, no unrequested
// replacement. Rows run a few at a time (each waits mostly on retry backoff), on a pool of lanes.
import { startLane, type Lane } from "./faults/fault-env";
import { FAULT_ROWS, rowTitle, runRow, type FaultRow } from "./faults/fault-matrix";
import { NO_VIOLATIONS } from "./faults/invariants";

const LANES = 6;
jest.setTimeout(600_000);

const lanes: Lane[] = [];
const idle: Lane[] = [];
const waiting: ((lane: Lane) => void)[] = [];

async function withLane<T>(run: (lane: Lane) => Promise<T>): Promise<T> {
  const lane = idle.pop() ?? (await new Promise<Lane>((resolve) => waiting.push(resolve)));
  try {
    await lane.reset();
    return await run(lane);
  } finally {
    const next = waiting.shift();
    if (next) next(lane);
    else idle.push(lane);
  }
}

beforeAll(async () => {
  for (let i = 0; i < LANES; i++) lanes.push(await startLane());
  idle.push(...lanes);
}, 120_000);
afterAll(async () => {
  for (const lane of lanes) await lane.dispose();
});

describe("fault matrix: resource × method × call × fault → recorded or not, the next run, and the invariants", () => {
  it.concurrent.each(FAULT_ROWS.map((row, i) => [rowTitle(row), row, i] as const))("%s", async (_title: string, row: FaultRow, i: number) => {
    const outcome = await withLane((lane) => runRow(lane, row, i));
    const expected = { first: row.first, next: row.next, converged: true, violations: NO_VIOLATIONS };
    const actual = { first: outcome.first, next: outcome.next, converged: outcome.converged, violations: outcome.violations };
    if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`${JSON.stringify(actual, null, 1)}\n${outcome.detail}`);
    expect(actual).toEqual(expected);
  });
});
