/**
 * Coalesced group reads (issue 11; graphql/dataloader's idea): a refresh of thousands of groups would cost one
 * DescribeLiveMessageGroup per group — 100 s for 5,000 at the 50/s budget. Reads of groups of one app that arrive
 * close together are answered from the app's list pages instead: ListLiveMessageGroupByPage, 50 groups per call
 * (ListLiveMessageGroups pages only 20, and both give the same fields, §5.6/§5.7), so 5,000 groups are 100 calls.
 *
 * The listing: SortType 1 (oldest first), GroupStatus 1 (live groups only), pages fetched concurrently (the client's
 * pace spreads them). Page 1's `TotalCount` is the app's live-group count — the number the 5,000-groups quota
 * check in `check` needs, so the quota look-up and the reads share that page.
 *
 * What a listing may answer, and what it may not:
 * - A read is answered from a listing that began at most `maxAgeMs` before the read was asked for, never from one
 *   older, and never from one that began before this process wrote to the app (`invalidate`). So a refresh shows a
 *   group as it was at most `maxAgeMs` before the engine asked — as if the engine had asked that much earlier; a
 *   process never sees a listing from before its own writes, and a new process (every `pulumi up`/`refresh`) starts
 *   with none.
 * - Absence from the pages proves nothing: a soft-deleted group is not listed (GroupStatus 1), a group created after
 *   page 1 may lie beyond the last page, and page-number paging can skip an entry when a group is deleted while the
 *   pages are fetched. Every read the pages did not answer falls back to DescribeLiveMessageGroup, which decides
 *   "deleted" and "gone" — so a deleted group among 5,000 costs one Describe and is always found.
 * - The pages carry no counters (OnlineUserCounts, TotalTimes, MsgAmount) and no SuperLargeGroup: a read answered
 *   from them keeps the values last recorded (see group handler `read`).
 * - Whether listing pays: a few reads (fewer than `probeAfter` within `maxAgeMs`) are Described directly; then page
 *   1 is fetched (one call, which also answers the reads of the groups on it); the other pages only when the reads
 *   asked for within `maxAgeMs` are at least `listWhenReadsPerPage` × the number of pages — so a small stack in a
 *   big app keeps using Describe (at most one page more than it would anyway).
 *
 * The read-back of a group this process has just created (`created`) is coalesced the same way, from the other end:
 * the app's newest page (SortType 2, newest first), fetched only after the create was answered, answers every
 * read-back that joined it. Reads join for up to `newestWindowMs` (or until a page's worth are waiting), so a 64-way
 * create of 1,000 groups reads them back in a few dozen list calls instead of 1,000 Describes — DescribeLiveMessageGroup
 * has the same 50/s budget as CreateLiveMessageGroup, and a second Describe per create (the ID check before it is the
 * first) would halve the pace. A group not on that page (more than a page of groups created in the app since), a
 * page without a creation time, or a failed page: DescribeLiveMessageGroup, as before.
 */
import type { ActionCaller } from "../../client/call-options";
import { BY_PAGE_SIZE_MAX, PAGE_NUMBER_MAX, type DataCenter } from "../../limits";
import { ListLiveMessageGroupByPage, toGroupsByPage, type GroupListEntry } from "../../operations";

/** Defaults of the coalesced reads; named here and in the README. */
export const GROUP_READ_DEFAULTS = Object.freeze({
  /** A listing answers reads asked for at most this long after it began (ms). */
  maxAgeMs: 30_000,
  /** Reads of one app within `maxAgeMs` before its first page is fetched. */
  probeAfter: 4,
  /** The rest of the pages are fetched when the recent reads are at least this many per page (ski rental). */
  listWhenReadsPerPage: 0.5,
  pageSize: BY_PAGE_SIZE_MAX,
  /** A newest-page fetch for read-backs after creates waits at most this long for more read-backs to join (ms). */
  newestWindowMs: 250,
});

export type GroupReadSettings = { readonly [K in keyof typeof GROUP_READ_DEFAULTS]: number };

interface FirstPage {
  total: number;
  items: Map<string, GroupListEntry>;
}

interface Listing {
  startedAt: number;
  generation: number;
  /** Page 1; rejects when it could not be read (the reads then fall back to Describe). */
  first: Promise<FirstPage>;
  /** Every page; a page that could not be read is simply missing (its reads fall back to Describe). */
  all?: AllPages;
}

/**
 * The other pages as they arrive: a read waits for its group's page, not for the last page (they come at the
 * client's pace, 50 a second, so 5,000 groups take 2 s to list); `done` once every page has been answered.
 */
interface AllPages {
  found: Map<string, GroupListEntry>;
  waiting: Map<string, ((entry: GroupListEntry | undefined) => void)[]>;
  done: boolean;
}

interface AppReads {
  /** When recent reads were asked for (within maxAgeMs). */
  recent: number[];
  generation: number;
  listing?: Listing;
  /** The newest-page fetch that read-backs after creates may still join (not sent yet). */
  newest?: NewestBatch;
}

interface NewestBatch {
  waiting: number;
  start: () => void;
  result: Promise<Map<string, GroupListEntry> | undefined>;
}

/** Calls this process made for the listings (for tests and benchmarks). */
export interface GroupReadCounters {
  pages: number;
  listedAnswers: number;
  fallbacks: number;
}

export class GroupReads {
  private readonly apps = new Map<string, AppReads>();
  readonly counters: GroupReadCounters = { pages: 0, listedAnswers: 0, fallbacks: 0 };

  constructor(
    private readonly client: ActionCaller,
    private readonly settings: GroupReadSettings = GROUP_READ_DEFAULTS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * The group as the app's list pages show it, or undefined: read it with DescribeLiveMessageGroup (the pages did
   * not cover it, could not be read, or listing does not pay for so few reads).
   */
  async listed(appId: string, dataCenter: DataCenter, groupId: string): Promise<GroupListEntry | undefined> {
    const at = this.now();
    const app = this.app(appId, dataCenter);
    app.recent.push(at);
    while (app.recent.length > 0 && app.recent[0]! < at - this.settings.maxAgeMs) app.recent.shift();
    let listing = this.fresh(app, at);
    if (!listing) {
      if (app.recent.length < this.settings.probeAfter) return this.fallback();
      listing = this.begin(app, appId, dataCenter, at);
    }
    const first = await listing.first.catch(() => undefined);
    if (!first) return this.fallback();
    const onFirst = first.items.get(groupId);
    if (onFirst) return this.answer(onFirst);
    const pages = Math.min(PAGE_NUMBER_MAX, Math.ceil(first.total / this.settings.pageSize));
    if (pages <= 1) return this.fallback();
    if (!listing.all) {
      if (app.recent.length < pages * this.settings.listWhenReadsPerPage) return this.fallback();
      listing.all = this.rest(appId, dataCenter, first, pages);
    }
    const entry = await this.fromPages(listing.all, groupId);
    return entry ? this.answer(entry) : this.fallback();
  }

  /**
   * The read-back of a group this process has just created (its create was answered before this call): the app's
   * newest page, fetched after this call joined it, or undefined — read it with DescribeLiveMessageGroup.
   */
  async created(appId: string, dataCenter: DataCenter, groupId: string): Promise<GroupListEntry | undefined> {
    const app = this.app(appId, dataCenter);
    const batch = app.newest ?? this.newestBatch(app, appId, dataCenter);
    batch.waiting++;
    if (batch.waiting >= this.settings.pageSize) batch.start();
    const entry = (await batch.result)?.get(groupId);
    return entry && (entry.createTime ?? 0) > 0 ? this.answer(entry) : this.fallback();
  }

  private newestBatch(app: AppReads, appId: string, dataCenter: DataCenter): NewestBatch {
    let begin!: () => void;
    const started = new Promise<void>((resolve) => (begin = resolve));
    const timer = setTimeout(() => batch.start(), this.settings.newestWindowMs);
    const batch: NewestBatch = {
      waiting: 0,
      start: () => {
        clearTimeout(timer);
        // Later read-backs must not join a page that is already on its way: it may not show their groups.
        if (app.newest === batch) app.newest = undefined;
        begin();
      },
      result: started.then(() =>
        this.page(appId, dataCenter, 1, 2).then(
          (p) => p.items,
          () => undefined,
        ),
      ),
    };
    app.newest = batch;
    return batch;
  }

  /** The app's live groups (page 1's TotalCount): the quota check's count, sharing the page with the reads. */
  async liveCount(appId: string, dataCenter: DataCenter): Promise<number> {
    const at = this.now();
    const app = this.app(appId, dataCenter);
    const listing = this.fresh(app, at) ?? this.begin(app, appId, dataCenter, at);
    return (await listing.first).total;
  }

  /** This process changed the app's groups: no listing from before may answer a read. */
  invalidate(appId: string, dataCenter: DataCenter): void {
    const app = this.apps.get(`${dataCenter}/${appId}`);
    if (app) {
      app.generation++;
      app.listing = undefined;
    }
  }

  private app(appId: string, dataCenter: DataCenter): AppReads {
    const key = `${dataCenter}/${appId}`;
    let app = this.apps.get(key);
    if (!app) {
      app = { recent: [], generation: 0 };
      this.apps.set(key, app);
    }
    return app;
  }

  private fresh(app: AppReads, at: number): Listing | undefined {
    const l = app.listing;
    return l && l.generation === app.generation && l.startedAt >= at - this.settings.maxAgeMs ? l : undefined;
  }

  private begin(app: AppReads, appId: string, dataCenter: DataCenter, at: number): Listing {
    const first = this.page(appId, dataCenter, 1);
    first.catch(() => undefined); // handled by each waiter; never an unhandled rejection
    const listing: Listing = { startedAt: at, generation: app.generation, first };
    app.listing = listing;
    return listing;
  }

  /** One list page; SortType 1 = oldest first (the listings), 2 = newest first (read-backs after creates). */
  private async page(appId: string, dataCenter: DataCenter, pageNumber: number, sortType: 1 | 2 = 1): Promise<FirstPage> {
    this.counters.pages++;
    const res = await ListLiveMessageGroupByPage.invoke(this.client, {
      AppId: appId,
      DataCenter: dataCenter,
      SortType: sortType,
      GroupStatus: 1,
      PageNumber: pageNumber,
      PageSize: this.settings.pageSize,
    });
    const page = toGroupsByPage(res);
    const items = new Map<string, GroupListEntry>();
    // GroupStatus 1 lists live groups only; should a service list a deleted one anyway, Describe decides about it.
    for (const g of page.items) if (!g.deleted) items.set(g.groupId, g);
    return { total: page.totalCount ?? items.size, items };
  }

  private rest(appId: string, dataCenter: DataCenter, first: FirstPage, pages: number): AllPages {
    const all: AllPages = { found: new Map(first.items), waiting: new Map(), done: false };
    const arrived = (p: FirstPage | undefined): void => {
      if (!p) return;
      for (const [id, g] of p.items) {
        all.found.set(id, g);
        const waiters = all.waiting.get(id);
        all.waiting.delete(id);
        for (const w of waiters ?? []) w(g);
      }
    };
    void Promise.all(
      Array.from({ length: pages - 1 }, (_, i) => this.page(appId, dataCenter, i + 2).then(arrived, () => undefined)),
    ).then(() => {
      all.done = true;
      for (const waiters of all.waiting.values()) for (const w of waiters) w(undefined);
      all.waiting.clear();
    });
    return all;
  }

  /** The group's entry once its page is in, or undefined when no page listed it. */
  private fromPages(all: AllPages, groupId: string): Promise<GroupListEntry | undefined> | GroupListEntry | undefined {
    const entry = all.found.get(groupId);
    if (entry || all.done) return entry;
    return new Promise((resolve) => {
      const waiters = all.waiting.get(groupId);
      if (waiters) waiters.push(resolve);
      else all.waiting.set(groupId, [resolve]);
    });
  }

  private answer(entry: GroupListEntry): GroupListEntry {
    this.counters.listedAnswers++;
    return entry;
  }

  private fallback(): undefined {
    this.counters.fallbacks++;
    return undefined;
  }
}

// One per client, i.e. per (endpoint, account key) and process (config.getClient).
const byClient = new WeakMap<ActionCaller, GroupReads>();

export function groupReadsOf(client: ActionCaller): GroupReads {
  let reads = byClient.get(client);
  if (!reads) {
    reads = new GroupReads(client);
    byClient.set(client, reads);
  }
  return reads;
}
