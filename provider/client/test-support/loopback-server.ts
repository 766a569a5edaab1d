/**
 * Test helper: a tiny LiveMessage-shaped HTTP server on 127.0.0.1:0 that verifies V1/V3 signatures with
 * signature.ts and enforces a per-(AccessKeyId, Action) budget over a sliding 1-second window by arrival time,
 * answering `Throttling.User` (spec §11.2) beyond it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyRequest } from "./verify-signature";

export interface LoopbackServerOptions {
  secrets: Readonly<Record<string, string>>;
  /** Budget per window per (AccessKeyId, Action); default 50. */
  qps?: number;
  windowMs?: number;
}

export interface LoopbackServer {
  url: string;
  received: number;
  throttled: number;
  rejectedSignatures: number;
  /** Largest number of arrivals observed inside any window, per key. */
  maxInWindow: Map<string, number>;
  nonces: Set<string>;
  stop(): Promise<void>;
}

export async function startLoopbackServer(options: LoopbackServerOptions): Promise<LoopbackServer> {
  const qps = options.qps ?? 50;
  const windowMs = options.windowMs ?? 1000;
  const arrivals = new Map<string, number[]>();
  const state: Omit<LoopbackServer, "url" | "stop"> = {
    received: 0,
    throttled: 0,
    rejectedSignatures: 0,
    maxInWindow: new Map(),
    nonces: new Set(),
  };
  let seq = 0;
  const send = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { "content-type": "application/json;charset=utf-8" });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const at = performance.now();
    state.received++;
    const requestId = `REQ-${++seq}`;
    const v = verifyRequest({ method: req.method ?? "", path: req.url ?? "/", headers: req.headers }, options.secrets);
    req.resume();
    if (!v.ok) {
      state.rejectedSignatures++;
      send(res, 400, { RequestId: requestId, Code: "SignatureDoesNotMatch", Message: v.reason });
      return;
    }
    if (state.nonces.has(v.nonce)) {
      send(res, 400, { RequestId: requestId, Code: "SignatureNonceUsed", Message: "Specified signature nonce was used already." });
      return;
    }
    state.nonces.add(v.nonce);
    const key = `${v.accessKeyId}/${v.action}`;
    const log = arrivals.get(key) ?? [];
    arrivals.set(key, log);
    while (log.length > 0 && log[0]! <= at - windowMs) log.shift();
    if (log.length >= qps) {
      state.throttled++;
      res.setHeader("x-acs-retry-after", "200");
      send(res, 400, { RequestId: requestId, Code: "Throttling.User", Message: "Request was denied due to user flow control." });
      return;
    }
    log.push(at);
    state.maxInWindow.set(key, Math.max(state.maxInWindow.get(key) ?? 0, log.length));
    send(res, 200, { RequestId: requestId, Action: v.action, Version: v.version, Params: v.params });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
