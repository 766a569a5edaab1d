/**
 * Helpers shared by the operation handlers: generated IDs, the group list item of §5.6/§5.7, and cursor paging.
 */
import { randomString } from "../random";
import { PAGE_TOKEN_FIRST_PAGE_VALUES } from "./behaviour";
import { seconds, type GroupRecord } from "./state";

/** A random letters+digits ID not yet `taken` (deterministic: draws only from `random`). */
export function generateId(random: () => number, length: number, alphabet: string, taken: (id: string) => boolean): string {
  for (let attempt = 0; ; attempt++) {
    // After many collisions (a crowded ID space) grow the ID rather than loop for ever.
    const id = randomString(random, length + Math.floor(attempt / 16), alphabet);
    if (!taken(id)) return id;
  }
}

/** §5.6 / §5.7 `GroupList[]` item. */
export function groupListItem(g: GroupRecord): Record<string, unknown> {
  return {
    GroupId: g.groupId,
    GroupName: g.groupName,
    GroupInfo: g.groupInfo,
    CreatorId: g.creatorId,
    AdminList: [...g.adminList],
    Createtime: seconds(g.createTime),
    Delete: g.deleted,
  };
}

/** GroupStatus (§5.6): 0 all, 1 existing, 2 deleted. */
export function groupStatusFilter(status: number): ((g: GroupRecord) => boolean) | undefined {
  if (status === 1) return (g) => !g.deleted;
  if (status === 2) return (g) => g.deleted;
  return undefined;
}

/** True when a NextPageToken value asks for the first page. */
export function isFirstPage(token: number | undefined): boolean {
  return token === undefined || PAGE_TOKEN_FIRST_PAGE_VALUES.has(token);
}

/**
 * Cursor paging over items sorted by ascending `key` (a sequence number). Returns the page in the requested
 * direction and the key of the first item of the next page (undefined when there is none).
 */
export function cursorPage<T>(
  sortedAsc: readonly T[],
  key: (item: T) => number,
  options: { descending: boolean; token: number | undefined; size: number; filter?: (item: T) => boolean },
): { page: T[]; next: number | undefined } {
  const { descending, token, size, filter } = options;
  const n = sortedAsc.length;
  // Binary search: first index whose key is ≥ token.
  let lo = 0;
  let hi = n;
  if (!isFirstPage(token)) {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (key(sortedAsc[mid]!) < token!) lo = mid + 1;
      else hi = mid;
    }
  }
  const page: T[] = [];
  let next: number | undefined;
  if (!descending) {
    for (let i = isFirstPage(token) ? 0 : lo; i < n; i++) {
      const item = sortedAsc[i]!;
      if (filter && !filter(item)) continue;
      if (page.length === size) {
        next = key(item);
        break;
      }
      page.push(item);
    }
  } else {
    // Descending: start at the last index whose key is ≤ token.
    let start = n - 1;
    if (!isFirstPage(token)) start = lo < n && key(sortedAsc[lo]!) === token ? lo : lo - 1;
    for (let i = start; i >= 0; i--) {
      const item = sortedAsc[i]!;
      if (filter && !filter(item)) continue;
      if (page.length === size) {
        next = key(item);
        break;
      }
      page.push(item);
    }
  }
  return { page, next };
}
