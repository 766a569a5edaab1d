/**
 * §7.3 ListLiveMessageGroupMessages: stored messages (NoStorage=false) within the app's retention (MsgLifeCycle),
 * by send time, optionally filtered by time range and MsgType; token paging (`NextPageToken` 0 = no more).
 */
import { Errors } from "../../errors";
import { TOTAL_MESSAGES_AT_LIST_TIME } from "../behaviour";
import { isFirstPage } from "../common";
import { defineHandler } from "../handler";
import { lowerBound, retentionMs, seconds, type GroupRecord, type MessageRecord, type Store } from "../state";

export const ListLiveMessageGroupMessages = defineHandler({
  action: "ListLiveMessageGroupMessages",
  run(store, p, ctx) {
    const appId = p.appId();
    const dataCenter = p.dataCenter();
    const groupId = p.reqStr("GroupId");
    const pageSize = p.reqInt("PageSize");
    const sortType = p.reqInt("SortType");
    const beginTime = p.int("BeginTime");
    const endTime = p.int("EndTime");
    if (beginTime !== undefined && endTime !== undefined && beginTime > endTime) {
      throw Errors.inputInvalid("BeginTime must not be later than EndTime");
    }
    const msgType = p.int("MsgType");
    const token = p.int("NextPageToken");
    const app = store.requireApp("ListLiveMessageGroupMessages", appId, dataCenter, ctx);
    const g = store.requireLiveGroup(app, groupId);

    const msgs = g.messages;
    // Inclusive [lo, hi] in ms: the later of BeginTime and the retention cutoff, to the end of EndTime's second.
    const lo = Math.max(ctx.now - retentionMs(app), (beginTime ?? 0) * 1000);
    const hi = endTime === undefined ? Infinity : endTime * 1000 + 999;
    const first = lowerBound(msgs, lo, 0);
    const last = (hi === Infinity ? msgs.length : lowerBound(msgs, hi + 1, 0)) - 1;
    const descending = sortType === 2;
    let start = descending ? last : first;
    if (!isFirstPage(token)) {
      const at = cursorIndex(store, g, token!, descending);
      start = descending ? Math.min(start, at) : Math.max(start, at);
    }

    const page: MessageRecord[] = [];
    let next: number | undefined;
    const step = descending ? -1 : 1;
    for (let i = start; descending ? i >= first : i <= last; i += step) {
      const m = msgs[i]!;
      if (msgType !== undefined && m.msgType !== msgType) continue;
      if (page.length === pageSize) {
        next = m.seq;
        break;
      }
      page.push(m);
    }
    return {
      GroupId: g.groupId,
      MessageList: page.map((m) => ({
        MsgTid: m.msgTid,
        MsgType: m.msgType,
        Body: m.body,
        SeqNumber: m.seq,
        Timestamp: seconds(m.time),
        TotalMessages: TOTAL_MESSAGES_AT_LIST_TIME ? g.totalMessages : m.seq,
        Sender: { UserId: m.senderId, UserInfo: m.senderInfo },
      })),
      Hasmore: next !== undefined,
      NextPageToken: next ?? 0,
    };
  },
});

/** Where a page whose cursor is message sequence `seq` starts. */
function cursorIndex(store: Store, g: GroupRecord, seq: number, descending: boolean): number {
  const msgs = g.messages;
  // The cursor message was the first item not returned by the previous page.
  const at = store.indexOfSeq(g, seq);
  if (at >= 0) return at;
  // It was deleted (or expired) meanwhile: continue with its neighbours in sequence order (a rare linear scan).
  if (!descending) {
    const j = msgs.findIndex((x) => x.seq > seq);
    return j < 0 ? msgs.length : j;
  }
  for (let j = msgs.length - 1; j >= 0; j--) if (msgs[j]!.seq < seq) return j;
  return -1;
}
