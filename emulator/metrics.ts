/**
 * What the emulator saw: counters of API requests, throttles and errors per account and action (exposed at
 * `/_emulator/metrics` in the Prometheus text format and summarised in `/_emulator/health`), and a bounded ring
 * buffer of the last API calls (`/_emulator/requests`), for tests, benchmarks and the dashboard.
 *
 * Label values are bounded: the action label is one of the 29 actions or `other`, the account label a configured
 * account id or `unknown` (a request whose key is missing or unknown), so hostile traffic cannot grow the series.
 */
export interface RequestEntry {
  /** ISO time the request arrived. */
  readonly time: string;
  readonly requestId: string;
  /** The action asked for (`other` when it is not one of this service's). */
  readonly action: string;
  /** Account id of the presented key (`unknown` when missing or not configured). */
  readonly account: string;
  readonly accessKeyId?: string;
  readonly status: number;
  /** Error code of a failed call (absent on success). */
  readonly code?: string;
  readonly latencyMs: number;
  readonly throttled: boolean;
  /** Signature version: `v1`, `v3`, or `none` (rejected before one could be told). */
  readonly signature: "v1" | "v3" | "none";
}

export interface RequestQuery {
  readonly action?: string;
  readonly account?: string;
  readonly code?: string;
  readonly status?: number;
  readonly throttled?: boolean;
  /** Most entries returned, newest first (default and cap: the buffer's size). */
  readonly limit?: number;
}

export const DEFAULT_REQUEST_LOG_SIZE = 1000;
export const UNKNOWN_ACCOUNT = "unknown";
export const OTHER_ACTION = "other";

interface Counter {
  requests: number;
  throttled: number;
  errors: number;
  /** Error code → count. */
  readonly byCode: Map<string, number>;
  /** Sum of latencies (ms), for the mean. */
  latencyMsSum: number;
}

export class Metrics {
  private readonly counters = new Map<string, Counter>();
  private readonly ring: (RequestEntry | undefined)[];
  private next = 0;
  private total = 0;

  constructor(readonly requestLogSize = DEFAULT_REQUEST_LOG_SIZE) {
    this.ring = new Array<RequestEntry | undefined>(Math.max(0, requestLogSize));
  }

  record(entry: RequestEntry): void {
    const key = `${entry.account}\n${entry.action}`;
    let c = this.counters.get(key);
    if (!c) this.counters.set(key, (c = { requests: 0, throttled: 0, errors: 0, byCode: new Map(), latencyMsSum: 0 }));
    c.requests++;
    c.latencyMsSum += entry.latencyMs;
    if (entry.throttled) c.throttled++;
    if (entry.code !== undefined) {
      c.errors++;
      c.byCode.set(entry.code, (c.byCode.get(entry.code) ?? 0) + 1);
    }
    this.total++;
    if (this.ring.length === 0) return;
    this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.ring.length;
  }

  /** The last calls matching `q`, newest first. */
  requests(q: RequestQuery = {}): RequestEntry[] {
    const limit = Math.min(q.limit ?? this.ring.length, this.ring.length);
    const out: RequestEntry[] = [];
    for (let i = 1; i <= this.ring.length && out.length < limit; i++) {
      const e = this.ring[(this.next - i + this.ring.length) % this.ring.length];
      if (!e) break;
      if (q.action !== undefined && e.action !== q.action) continue;
      if (q.account !== undefined && e.account !== q.account) continue;
      if (q.code !== undefined && e.code !== q.code) continue;
      if (q.status !== undefined && e.status !== q.status) continue;
      if (q.throttled !== undefined && e.throttled !== q.throttled) continue;
      out.push(e);
    }
    return out;
  }

  /** Per (account, action): requests, throttled, errors (by code), mean latency. */
  summary(): { total: number; byAccountAction: Array<Record<string, unknown>> } {
    const rows = [...this.counters].map(([key, c]) => {
      const [account, action] = key.split("\n") as [string, string];
      return {
        account,
        action,
        requests: c.requests,
        throttled: c.throttled,
        errors: c.errors,
        errorsByCode: Object.fromEntries(c.byCode),
        meanLatencyMs: Math.round((c.latencyMsSum / c.requests) * 1000) / 1000,
      };
    });
    rows.sort((a, b) => (a.account + a.action < b.account + b.action ? -1 : 1));
    return { total: this.total, byAccountAction: rows };
  }

  reset(): void {
    this.counters.clear();
    this.ring.fill(undefined);
    this.next = 0;
    this.total = 0;
  }

  /** The Prometheus text exposition format (version 0.0.4). */
  prometheus(extra: readonly Gauge[] = []): string {
    const lines: string[] = [];
    const family = (name: string, help: string, type: "counter" | "gauge"): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    };
    const sorted = [...this.counters].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const labels = (key: string): string => {
      const [account, action] = key.split("\n") as [string, string];
      return `account="${escapeLabel(account)}",action="${escapeLabel(action)}"`;
    };
    family("livemessage_emulator_requests_total", "API requests received, by account and action.", "counter");
    for (const [k, c] of sorted) lines.push(`livemessage_emulator_requests_total{${labels(k)}} ${c.requests}`);
    family("livemessage_emulator_throttled_total", "API requests refused by the per-account QPS limit (Throttling.User).", "counter");
    for (const [k, c] of sorted) lines.push(`livemessage_emulator_throttled_total{${labels(k)}} ${c.throttled}`);
    family("livemessage_emulator_errors_total", "API requests answered with an error, by account, action and error code.", "counter");
    for (const [k, c] of sorted) {
      for (const [code, n] of [...c.byCode].sort()) lines.push(`livemessage_emulator_errors_total{${labels(k)},code="${escapeLabel(code)}"} ${n}`);
    }
    family("livemessage_emulator_request_duration_milliseconds_sum", "Total time spent answering API requests, by account and action.", "counter");
    for (const [k, c] of sorted) lines.push(`livemessage_emulator_request_duration_milliseconds_sum{${labels(k)}} ${round(c.latencyMsSum)}`);
    for (const g of extra) {
      family(g.name, g.help, "gauge");
      lines.push(`${g.name} ${g.value}`);
    }
    return `${lines.join("\n")}\n`;
  }
}

export interface Gauge {
  readonly name: string;
  readonly help: string;
  readonly value: number;
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
