/**
 * `GET /_emulator/events`: a server-sent-events stream telling watchers (the dashboard) that something changed —
 * the service state (`revision`), the request log (`requests`) or the fault rules (`faults`) — so they fetch the
 * views they show. The events carry counters only, never data: what a watcher may read is decided by the admin
 * endpoints it then calls.
 *
 * Why a push stream rather than polling: a change shows on the page within milliseconds, and an idle page costs
 * nothing (no request every half second in the request log's shadow). Bursts are coalesced — at most one event per
 * `coalesceMs` — so a load test making thousands of calls a second sends a watcher a few events, not thousands.
 */
import type * as http from "node:http";

export interface ChangeCounters {
  /** Bumped by every state change: a successful mutating call, a join, a leave, a reset. */
  readonly revision: number;
  /** API calls recorded in the request log since start. */
  readonly requests: number;
  /** Bumped when the fault rules change: replaced, added, removed, cleared, or one fired. */
  readonly faults: number;
}

/** Default spacing of coalesced events. */
export const CHANGE_COALESCE_MS = 100;
/** A comment line this often keeps idle connections (and proxies) from timing out, and finds dead watchers. */
export const HEARTBEAT_MS = 15_000;
/** Watchers at most; one more is answered 503 (each holds a connection open). */
export const MAX_WATCHERS = 64;

export class ChangeFeed {
  private readonly watchers = new Set<http.ServerResponse>();
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private sent = 0;
  private closed = false;

  constructor(
    private readonly counters: () => ChangeCounters,
    private readonly coalesceMs = CHANGE_COALESCE_MS,
    private readonly heartbeatMs = HEARTBEAT_MS,
  ) {}

  get size(): number {
    return this.watchers.size;
  }

  /** True when another watcher may connect. */
  get accepting(): boolean {
    return !this.closed && this.watchers.size < MAX_WATCHERS;
  }

  /** Takes over the response: headers, the current counters at once, then an event per (coalesced) change. */
  open(res: http.ServerResponse, requestId: string): void {
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "x-acs-request-id": requestId,
      // A buffering proxy would hold events back.
      "x-accel-buffering": "no",
    });
    // Reconnect after 1 s when the stream breaks (EventSource honours it; the dashboard reads it too).
    res.write("retry: 1000\n\n");
    this.watchers.add(res);
    res.on("close", () => {
      this.watchers.delete(res);
      if (this.watchers.size === 0) this.stopHeartbeat();
    });
    this.write(res, this.event());
    this.heartbeat ??= setInterval(() => {
      for (const w of this.watchers) w.write(": keep-alive\n\n");
    }, this.heartbeatMs).unref();
  }

  /** Something changed: an event goes out within `coalesceMs` (one for every change in between). */
  notify(): void {
    if (this.closed || this.watchers.size === 0 || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const e = this.event();
      for (const w of this.watchers) this.write(w, e);
    }, this.coalesceMs);
    this.timer.unref();
  }

  /** Ends every stream (at stop) and refuses new ones. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.stopHeartbeat();
    for (const w of this.watchers) w.end();
    this.watchers.clear();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private event(): string {
    return `id: ${++this.sent}\nevent: change\ndata: ${JSON.stringify(this.counters())}\n\n`;
  }

  private write(res: http.ServerResponse, text: string): void {
    if (!res.destroyed && !res.writableEnded) res.write(text);
  }
}
