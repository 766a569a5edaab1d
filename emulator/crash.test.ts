/**
 * Crash test (issue: nothing acknowledged is ever lost): 20 rounds on one data directory, each starting the CLI,
 * streaming concurrent mutations — group creates, messages, joins — with compactions running in the background
 * (`--compact-every 40`), and killing the process with SIGKILL at a random moment. Every round first checks that
 * every write acknowledged in all earlier rounds is present, and that the directory starts without repair.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Agent } from "undici";
import { mulberry32 } from "./random";
import { DEFAULT_CREDENTIALS } from "./server";
import { admin, callV1, callV3, type Json } from "./test-support/client";
import { spawnCli, waitForUrl, type SpawnedCli } from "./test-support/spawn-cli";

const ROUNDS = 20;
const key = DEFAULT_CREDENTIALS;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lm-crash-"));
const children: SpawnedCli[] = [];

afterAll(() => {
  for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill("SIGKILL");
  // A compaction process orphaned by the last kill may still be finishing (it exits without writing).
  fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

function start(): SpawnedCli {
  const c = spawnCli(["--port", "0", "--data-dir", dataDir, "--no-throttle", "--compact-every", "40"]);
  children.push(c);
  return c;
}

interface Acked {
  groups: Set<string>;
  /** `groupId/msgTid` of acknowledged messages. */
  messages: Set<string>;
  /** `groupId/userId` of acknowledged joins. */
  members: Set<string>;
}

/** Everything acknowledged so far must be in the emulator's state. */
async function missing(url: string, appId: string, acked: Acked): Promise<string[]> {
  const state = (await admin(url, "GET", "/state")).json as Json;
  const app = (state.apps as Json[]).find((a) => a.appId === appId);
  if (!app) return [`app ${appId}`];
  const groups = new Map<string, Json>((app.groups as Json[]).map((g) => [g.groupId as string, g]));
  const out: string[] = [];
  for (const g of acked.groups) if (!groups.has(g)) out.push(`group ${g}`);
  for (const m of acked.messages) {
    const [g, tid] = m.split("/") as [string, string];
    if (!(groups.get(g)?.messages as Json[] | undefined)?.some((x) => x.msgTid === tid)) out.push(`message ${m}`);
  }
  for (const m of acked.members) {
    const [g, u] = m.split("/") as [string, string];
    if (!(groups.get(g)?.members as Json[] | undefined)?.some((x) => x.userId === u)) out.push(`member ${m}`);
  }
  return out;
}

describe("kill -9 during concurrent mutations", () => {
  it(`${ROUNDS} rounds: every acknowledged write survives`, async () => {
    const random = mulberry32(20240601);
    const acked: Acked = { groups: new Set(), messages: new Set(), members: new Set() };
    let appId = "";
    let n = 0;
    const totals: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const c = start();
      const url = await waitForUrl(c);
      if (round === 0) {
        appId = (await callV3(url, "CreateLiveMessageApp", { AppName: "crash" }, key)).json.AppId as string;
        expect(appId).toBeTruthy();
        // One active group so messages can be sent.
        expect((await callV3(url, "CreateLiveMessageGroup", { AppId: appId, GroupId: "hall" }, key)).status).toBe(200);
        expect((await admin(url, "POST", `/apps/${appId}/groups/hall/members`, { userId: "host" })).status).toBe(200);
        acked.groups.add("hall");
        acked.members.add("hall/host");
      } else {
        expect([round, await missing(url, appId, acked)]).toEqual([round, []]);
      }
      const agent = new Agent({ connections: 12 });
      let killed = false;
      const workers = Array.from({ length: 12 }, (_, w) =>
        (async () => {
          while (!killed) {
            const i = n++;
            try {
              if (w % 3 === 0) {
                const r = await callV1(url, "SendLiveMessageGroup", { AppId: appId, GroupId: "hall", SenderId: "host", MsgTid: `m${i}`, Body: `b${i}` }, key, {
                  method: "POST",
                  form: true,
                  dispatcher: agent,
                });
                if (r.status === 200) acked.messages.add(`hall/m${i}`);
              } else if (w % 3 === 1) {
                const r = await admin(url, "POST", `/apps/${appId}/groups/hall/members`, { userId: `u${i}` });
                if (r.status === 200) acked.members.add(`hall/u${i}`);
              } else {
                const r = await callV3(url, "CreateLiveMessageGroup", { AppId: appId, GroupId: `g${i}` }, key, { dispatcher: agent });
                if (r.status === 200 && r.json.AlreadyExists === false) acked.groups.add(`g${i}`);
              }
            } catch {
              // The connection died with the process: not acknowledged.
            }
          }
        })(),
      );
      // Let some writes be acknowledged in this round, then kill at a random moment.
      const before = acked.groups.size + acked.messages.size + acked.members.size;
      while (acked.groups.size + acked.messages.size + acked.members.size < before + 5) await new Promise((r) => setTimeout(r, 2));
      // Every fourth round also waits for one explicit compaction while the writers keep going, so snapshots (and
      // the kept previous one) exist however slowly the automatic, low-priority compactions run on a loaded machine.
      if (round % 4 === 1) expect((await admin(url, "POST", "/compact")).status).toBe(200);
      await new Promise((r) => setTimeout(r, Math.floor(random() * 350)));
      c.child.kill("SIGKILL");
      killed = true;
      expect(await c.exited).toBe("SIGKILL");
      await Promise.all(workers);
      await agent.close().catch(() => undefined);
      totals.push(acked.groups.size + acked.messages.size + acked.members.size);
    }
    // Writes were acknowledged in every round (the test exercised something), and a clean start holds them all.
    expect(totals.every((t, i) => i === 0 || t > totals[i - 1]!)).toBe(true);
    // Compactions ran (and were killed) along the way: a previous snapshot exists.
    expect(fs.existsSync(path.join(dataDir, "snapshot.prev.dat"))).toBe(true);
    const last = start();
    const url = await waitForUrl(last);
    expect(await missing(url, appId, acked)).toEqual([]);
    const health = (await admin(url, "GET", "/health")).json;
    expect(health.log.seq).toBeGreaterThanOrEqual(totals[totals.length - 1]!);
    last.child.kill("SIGTERM");
    expect(await last.exited).toBe(0);
    process.stderr.write(`crash test: ${totals[totals.length - 1]} acknowledged writes over ${ROUNDS} kill -9 rounds, all present\n`);
  }, 180_000);
});
