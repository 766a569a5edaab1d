// The group-read coalescer on its own, against an in-memory app behind a fake ActionCaller (every call counted): when
// it lists and when it does not, what one listing may answer (fresh enough, not from before our own writes), that
// absence from the pages is never taken for "gone", failed pages, the quota's shared page 1 — and, as a property,
// that every answer is the group as it was at some moment no earlier than maxAgeMs before it was asked for.
import fc from "fast-check";
import type { ActionCaller, ApiParams } from "../../client/call-options";
import { LiveApiError } from "../../client/errors";
import { GROUP_READ_DEFAULTS, GroupReads } from "./group-reads";

interface FakeGroup {
  groupId: string;
  groupInfo: string;
  deleted: boolean;
  createSeq: number;
}

/** An app's groups as ListLiveMessageGroupByPage shows them (GroupStatus 1 = live only), with a fake clock. */
class FakeApp implements ActionCaller {
  groups: FakeGroup[] = [];
  calls: { action: string; page: number; sortType: number }[] = [];
  failPages = new Set<number>();
  /** Runs before each call is answered (e.g. an out-of-band change "during" the listing). */
  beforeAnswer: ((page: number) => void) | undefined;
  t = 0;
  constructor(n: number) {
    for (let i = 0; i < n; i++) this.add(`g${i}`);
  }
  /** A group created now (the newest). */
  add(groupId: string): void {
    this.groups.push({ groupId, groupInfo: "v0", deleted: false, createSeq: this.groups.length });
  }
  async call(action: string, params: ApiParams): Promise<unknown> {
    const page = Number(params.PageNumber ?? 1);
    this.calls.push({ action, page, sortType: Number(params.SortType) });
    await new Promise((resolve) => setImmediate(resolve));
    this.beforeAnswer?.(page);
    if (this.failPages.has(page)) {
      throw new LiveApiError({ code: "ServiceUnavailable", message: "down", httpStatus: 503, action, retryable: true });
    }
    const size = Number(params.PageSize ?? 20);
    const order = Number(params.SortType) === 2 ? -1 : 1;
    const live = this.groups.filter((g) => !g.deleted).sort((a, b) => order * (a.createSeq - b.createSeq));
    const items = live.slice((page - 1) * size, page * size);
    return {
      RequestId: "r",
      GroupList: items.map((g) => ({ GroupId: g.groupId, GroupName: "", GroupInfo: g.groupInfo, CreatorId: "", AdminList: [], Createtime: 1, Delete: false })),
      TotalCount: live.length,
      PageNumber: page,
      PageSize: size,
    };
  }
}

const readAll = (reads: GroupReads, ids: string[]) => Promise.all(ids.map((id) => reads.listed("app1", "cn-shanghai", id)));

describe("when it lists", () => {
  it("a burst of reads in one app is answered from its pages: 1,000 groups, 400 reads → 20 page calls", async () => {
    const app = new FakeApp(1000);
    const reads = new GroupReads(app, GROUP_READ_DEFAULTS, () => app.t);
    const ids = Array.from({ length: 400 }, (_, i) => `g${(i * 7) % 1000}`);
    const got = await readAll(reads, ids);
    expect(app.calls).toHaveLength(20);
    // The first few reads, before listing pays, are left to Describe; the rest come from the pages.
    const fallbacks = got.filter((g) => g === undefined).length;
    expect(fallbacks).toBe(GROUP_READ_DEFAULTS.probeAfter - 1);
    expect(got.slice(GROUP_READ_DEFAULTS.probeAfter - 1).every((g, i) => g?.groupId === ids[i + GROUP_READ_DEFAULTS.probeAfter - 1])).toBe(true);
  });

  it("a few reads are left to Describe: no page at all", async () => {
    const app = new FakeApp(1000);
    const reads = new GroupReads(app, GROUP_READ_DEFAULTS, () => app.t);
    expect(await readAll(reads, ["g1", "g2", "g3"])).toEqual([undefined, undefined, undefined]);
    expect(app.calls).toHaveLength(0);
  });

  it("a small stack in a big app costs page 1 at most: 12 reads of an app with 5,000 groups", async () => {
    const app = new FakeApp(5000);
    const reads = new GroupReads(app, GROUP_READ_DEFAULTS, () => app.t);
    const got = await readAll(reads, ["g1", "g2", "g3", "g4", "g5", "g6", "g7", "g8", "g9", "g4000", "g4001", "g4002"]);
    expect(app.calls).toEqual([{ action: "ListLiveMessageGroupByPage", page: 1, sortType: 1 }]);
    // Those on page 1 are answered by it; the others are Described.
    expect(got.map((g) => g?.groupId)).toEqual([undefined, undefined, undefined, "g4", "g5", "g6", "g7", "g8", "g9", undefined, undefined, undefined]);
  });

  it("sequential reads switch to listing once enough of them came within maxAgeMs", async () => {
    const app = new FakeApp(500); // 10 pages: listing pays from 5 recent reads on
    const reads = new GroupReads(app, GROUP_READ_DEFAULTS, () => app.t);
    const got: unknown[] = [];
    for (let i = 0; i < 60; i++) {
      app.t += 10;
      got.push(await reads.listed("app1", "cn-shanghai", `g${100 + i}`));
    }
    expect(app.calls).toHaveLength(10);
    expect(got.filter((g) => g === undefined).length).toBeLessThanOrEqual(5);
  });
});

describe("what a listing may answer", () => {
  it("absence is not 'gone': a soft-deleted group, or one created after page 1, is left to Describe", async () => {
    const app = new FakeApp(101);
    app.groups[60]!.deleted = true; // 100 live groups: 2 pages by page 1's count
    const reads = new GroupReads(app, GROUP_READ_DEFAULTS, () => app.t);
    app.beforeAnswer = (page) => {
      if (page === 2 && app.groups.length === 101) app.groups.push({ groupId: "late", groupInfo: "v0", deleted: false, createSeq: 999 });
    };
    const got = await readAll(reads, ["g1", "g2", "g3", "g4", "g5", "g60", "late", "g100"]);
    // g60 (soft-deleted) is not listed, "late" lies beyond the pages counted on page 1: both left to Describe.
    expect(got.map((g) => g?.groupId)).toEqual([undefined, undefined, undefined, "g4", "g5", undefined, undefined, "g100"]);
  });

  it("a listing older than maxAgeMs answers nothing; a new one is fetched, and sees later changes", async () => {
    const app = new FakeApp(100);
    const reads = new GroupReads(app, GROUP_READ_DEFAULTS, () => app.t);
    await readAll(reads, ["g1", "g2", "g3", "g4", "g60", "g61"]);
    expect(app.calls).toHaveLength(2);
    app.groups[50]!.groupInfo = "v1";
    app.t += GROUP_READ_DEFAULTS.maxAgeMs - 1;
    // Still fresh enough: the older view (as if the engine had asked a little earlier).
    expect((await reads.listed("app1", "cn-shanghai", "g50"))?.groupInfo).toBe("v0");
    app.t += 2;
    const again = await readAll(reads, ["g50", "g51", "g52", "g53"]);
    expect(again[3]?.groupInfo).toBe("v0");
    expect(app.calls.length).toBeGreaterThan(2);
    expect((await reads.listed("app1", "cn-shanghai", "g50"))?.groupInfo).toBe("v1");
  });

  it("after this process writes to the app, no listing from before answers", async () => {
    const app = new FakeApp(100);
    const reads = new GroupReads(app, GROUP_READ_DEFAULTS, () => app.t);
    await readAll(reads, ["g1", "g2", "g3", "g4", "g5"]);
    const before = app.calls.length;
    app.groups[70]!.groupInfo = "ours";
    reads.invalidate("app1", "cn-shanghai");
    expect((await reads.listed("app1", "cn-shanghai", "g70"))?.groupInfo).toBe("ours");
    expect(app.calls.length).toBeGreaterThan(before);
    // Another app is not affected.
    reads.invalidate("other", "cn-shanghai");
  });

  it("a page that cannot be read leaves its groups to Describe; the others are answered", async () => {
    const app = new FakeApp(150);
    app.failPages.add(2);
    const reads = new GroupReads(app, GROUP_READ_DEFAULTS, () => app.t);
    const got = await readAll(reads, ["g0", "g1", "g2", "g3", "g60", "g120"]);
    expect(got.map((g) => g?.groupId)).toEqual([undefined, undefined, undefined, "g3", undefined, "g120"]);
  });

  it("when page 1 cannot be read, every read is left to Describe", async () => {
    const app = new FakeApp(150);
    app.failPages.add(1);
    const reads = new GroupReads(app, GROUP_READ_DEFAULTS, () => app.t);
    expect((await readAll(reads, ["g0", "g1", "g2", "g3", "g60"])).every((g) => g === undefined)).toBe(true);
  });
});

describe("the quota's live-group count", () => {
  it("is page 1's TotalCount, shared with the reads that follow (one call for both)", async () => {
    const app = new FakeApp(40);
    app.groups[3]!.deleted = true;
    const reads = new GroupReads(app, GROUP_READ_DEFAULTS, () => app.t);
    expect(await reads.liveCount("app1", "cn-shanghai")).toBe(39);
    const got = await readAll(reads, ["g0", "g1", "g2", "g5", "g6"]);
    expect(got.every((g) => g !== undefined)).toBe(true);
    expect(app.calls).toHaveLength(1);
  });

  it("a failed page 1 is the look-up's error", async () => {
    const app = new FakeApp(10);
    app.failPages.add(1);
    const reads = new GroupReads(app, GROUP_READ_DEFAULTS, () => app.t);
    await expect(reads.liveCount("app1", "cn-shanghai")).rejects.toMatchObject({ code: "ServiceUnavailable" });
  });
});

describe("property: every answer is the group as it was no earlier than maxAgeMs before it was asked for", () => {
  it("holds for random reads, changes and deletes interleaved in time", async () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant("read" as const), group: fc.integer({ min: 0, max: 149 }), dt: fc.integer({ min: 0, max: 3000 }) }),
      fc.record({ kind: fc.constant("change" as const), group: fc.integer({ min: 0, max: 149 }), dt: fc.integer({ min: 0, max: 3000 }) }),
      fc.record({ kind: fc.constant("delete" as const), group: fc.integer({ min: 0, max: 149 }), dt: fc.integer({ min: 0, max: 3000 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 120 }), fc.integer({ min: 1, max: 8 }), async (steps, burst) => {
        const app = new FakeApp(150);
        const reads = new GroupReads(app, GROUP_READ_DEFAULTS, () => app.t);
        // Every version of every group, with when it became current.
        const history = new Map<string, { at: number; info: string; deleted: boolean }[]>();
        for (const g of app.groups) history.set(g.groupId, [{ at: -Infinity, info: g.groupInfo, deleted: false }]);
        let version = 0;
        for (const s of steps) {
          app.t += s.dt;
          const g = app.groups[s.group]!;
          if (s.kind === "change") {
            g.groupInfo = `v${++version}`;
            history.get(g.groupId)!.push({ at: app.t, info: g.groupInfo, deleted: g.deleted });
          } else if (s.kind === "delete") {
            g.deleted = true;
            history.get(g.groupId)!.push({ at: app.t, info: g.groupInfo, deleted: true });
          } else {
            const asked = app.t;
            const ids = Array.from({ length: burst }, (_, i) => `g${(s.group + i * 13) % 150}`);
            const got = await readAll(reads, ids);
            got.forEach((entry, i) => {
              if (!entry) return;
              const versions = history.get(ids[i]!)!;
              // The versions current at some moment in [asked − maxAge, now].
              const from = asked - GROUP_READ_DEFAULTS.maxAgeMs;
              const possible = versions.filter((v, j) => (versions[j + 1]?.at ?? Infinity) >= from && v.at <= app.t);
              expect(possible.some((v) => !v.deleted && v.info === entry.groupInfo)).toBe(true);
            });
          }
        }
      }),
      { numRuns: 60, seed: 1111 },
    );
  });
});

describe("read-backs after creates (the newest page)", () => {
  const created = (reads: GroupReads, ids: string[]) => Promise.all(ids.map((id) => reads.created("app1", "cn-shanghai", id)));

  it("200 groups created 64-way are read back with a few newest-first pages, never a Describe", async () => {
    const app = new FakeApp(300);
    const reads = new GroupReads(app, GROUP_READ_DEFAULTS, () => app.t);
    const ids = Array.from({ length: 200 }, (_, i) => `new${i}`);
    let next = 0;
    let pace = Promise.resolve();
    const got: unknown[] = [];
    // 64 "creates" in flight, answered one every 5 ms (200/s, four times the service's pace): each reads its group
    // back when answered, then the next one starts.
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < ids.length) {
          const id = ids[next++]!;
          const turn = pace.then(() => new Promise<void>((resolve) => setTimeout(resolve, 5)));
          pace = turn;
          await turn;
          app.add(id);
          got.push(await reads.created("app1", "cn-shanghai", id));
        }
      }),
    );
    expect(got.every((g) => g !== undefined)).toBe(true);
    expect(app.calls.every((c) => c.sortType === 2 && c.page === 1)).toBe(true);
    expect(app.calls.length).toBeLessThanOrEqual(Math.ceil(200 / 50) + 8);
    expect(reads.counters.fallbacks).toBe(0);
  });

  it("a page is fetched only after the read-backs that joined it were asked for: a page on its way takes no one", async () => {
    const app = new FakeApp(0);
    const reads = new GroupReads(app, { ...GROUP_READ_DEFAULTS, newestWindowMs: 20 }, () => app.t);
    app.add("a");
    const first = reads.created("app1", "cn-shanghai", "a");
    await new Promise((resolve) => setTimeout(resolve, 30)); // the first page is on its way (or answered)
    app.add("b");
    const second = reads.created("app1", "cn-shanghai", "b");
    expect((await first)?.groupId).toBe("a");
    expect((await second)?.groupId).toBe("b");
    expect(app.calls).toHaveLength(2);
  });

  it("a group pushed off the newest page by later creates, or a failed page, is left to Describe", async () => {
    const app = new FakeApp(0);
    const reads = new GroupReads(app, GROUP_READ_DEFAULTS, () => app.t);
    app.add("old");
    for (let i = 0; i < GROUP_READ_DEFAULTS.pageSize; i++) app.add(`later${i}`);
    expect(await reads.created("app1", "cn-shanghai", "old")).toBeUndefined();
    app.failPages.add(1);
    expect(await reads.created("app1", "cn-shanghai", "later0")).toBeUndefined();
    expect(reads.counters.fallbacks).toBe(2);
  });

  it("a full page's worth of read-backs does not wait for the window", async () => {
    const app = new FakeApp(0);
    const reads = new GroupReads(app, { ...GROUP_READ_DEFAULTS, newestWindowMs: 60_000 }, () => app.t);
    const ids = Array.from({ length: GROUP_READ_DEFAULTS.pageSize }, (_, i) => `n${i}`);
    for (const id of ids) app.add(id);
    const got = await created(reads, ids);
    expect(got.every((g) => g !== undefined)).toBe(true);
    expect(app.calls).toHaveLength(1);
  });
});
