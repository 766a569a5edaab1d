// LiveClient over real sockets on 127.0.0.1: a server that verifies V3 and V1 signatures with signature.ts and
// enforces 50 requests per second per (AccessKeyId, Action) over a sliding window. 300 concurrent calls must all
// succeed without a single throttled request. Elapsed time is logged, never asserted.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DEFAULT_QPS } from "../limits";
import { LiveNetworkError, LiveTimeoutError } from "./errors";
import { LiveClient, type ClientLogEvent } from "./live-client";
import { startLoopbackServer, type LoopbackServer } from "./test-support/loopback-server";

const SECRETS = { AKLOOPV3: "loop-secret-v3", AKLOOPV1: "loop-secret-v1", AKLOOPSTS: "loop-secret-sts" };

let server: LoopbackServer;
beforeAll(async () => {
  server = await startLoopbackServer({ secrets: SECRETS, qps: DEFAULT_QPS });
});
afterAll(async () => {
  await server.stop();
});

/** 300 concurrent calls of one action through one client; returns what the assertions need. */
async function burst(signatureVersion: "v3" | "v1", accessKeyId: keyof typeof SECRETS) {
  const events: ClientLogEvent[] = [];
  const client = new LiveClient({
    endpoint: server.url,
    credentials: { accessKeyId, accessKeySecret: SECRETS[accessKeyId] },
    signatureVersion,
    logger: (e) => events.push(e),
  });
  const started = performance.now();
  try {
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        client.call("LoopbackTestAction", { AppId: "app1", GroupId: `g${i}`, Administrators: ["u1", "u2"], Note: "spaces & symbols *~'+/%" }),
      ),
    );
    console.log(`[loopback ${signatureVersion}] 300 calls at ${DEFAULT_QPS}/s took ${Math.round(performance.now() - started)} ms`);
    return { results, events };
  } finally {
    await client.close();
  }
}

it("300 concurrent calls of one action all succeed with no throttling, V3 and V1 (separate keys, run side by side)", async () => {
  const throttledBefore = server.throttled;
  const rejectedBefore = server.rejectedSignatures;
  const runs = await Promise.all([burst("v3", "AKLOOPV3"), burst("v1", "AKLOOPV1")]);
  for (const [index, { results, events }] of runs.entries()) {
    const version = index === 0 ? "v3" : "v1";
    expect(results).toHaveLength(300);
    results.forEach((r, i) => {
      expect(r).toMatchObject({ Action: "LoopbackTestAction", Version: version });
      expect((r as { Params: Record<string, string> }).Params).toEqual({
        AppId: "app1",
        GroupId: `g${i}`,
        Administrators: "u1,u2",
        Note: "spaces & symbols *~'+/%",
      });
    });
    expect(events.filter((e) => e.type === "retry")).toHaveLength(0);
    expect(events.filter((e) => e.type === "attempt")).toHaveLength(300);
    expect(events.some((e) => e.type === "throttled-wait")).toBe(true);
  }
  expect(server.throttled - throttledBefore).toBe(0);
  expect(server.rejectedSignatures - rejectedBefore).toBe(0);
  expect(server.maxInWindow.get("AKLOOPV3/LoopbackTestAction")).toBeLessThanOrEqual(DEFAULT_QPS);
  expect(server.maxInWindow.get("AKLOOPV1/LoopbackTestAction")).toBeLessThanOrEqual(DEFAULT_QPS);
}, 30_000);

it("STS credentials verify over the wire too", async () => {
  const client = new LiveClient({
    endpoint: server.url,
    credentials: { accessKeyId: "AKLOOPSTS", accessKeySecret: SECRETS.AKLOOPSTS, securityToken: "loop-sts-token" },
  });
  try {
    await expect(client.call("LoopbackTestAction", { AppId: "a" })).resolves.toMatchObject({ Version: "v3" });
  } finally {
    await client.close();
  }
});

it("a wrong secret is rejected by the server as SignatureDoesNotMatch and not retried", async () => {
  const client = new LiveClient({ endpoint: server.url, credentials: { accessKeyId: "AKLOOPV3", accessKeySecret: "wrong" } });
  const before = server.received;
  try {
    const err = await client.call("LoopbackTestAction", {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "LiveApiError", code: "SignatureDoesNotMatch", httpStatus: 400 });
    expect((err as Error).message).toMatch(/Check the AccessKey secret \(livemessage:accessKeySecret or ALIBABA_CLOUD_ACCESS_KEY_SECRET\)/);
    expect((err as Error).message).not.toMatch(/gave up after/); // never retried
    expect(server.received - before).toBe(1);
  } finally {
    await client.close();
  }
});

describe("real transport failures", () => {
  let silent: Server;
  let closedPort: number;
  beforeAll(async () => {
    // Accepts connections and never answers.
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });
  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it("connection refused → LiveNetworkError after every attempt", async () => {
    const events: ClientLogEvent[] = [];
    const client = new LiveClient({
      endpoint: `http://127.0.0.1:${closedPort}`,
      credentials: { accessKeyId: "AKREFUSED", accessKeySecret: "s" },
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
      logger: (e) => events.push(e),
    });
    try {
      const err = await client.call("LoopbackTestAction", {}).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LiveNetworkError);
      expect((err as LiveNetworkError).message).toContain("ECONNREFUSED");
      expect((err as LiveNetworkError).message).toMatch(/gave up after 3 attempts$/);
      expect(events.filter((e) => e.type === "attempt")).toHaveLength(3);
    } finally {
      await client.close();
    }
  });

  it("a response lost after the server read the request: retried when the call is idempotent, never when at-most-once (the default)", async () => {
    let received = 0;
    const dropper = createServer((req) => {
      received++;
      req.resume();
      req.socket.destroy();
    });
    await new Promise<void>((resolve) => dropper.listen(0, "127.0.0.1", resolve));
    const client = new LiveClient({
      endpoint: `http://127.0.0.1:${(dropper.address() as AddressInfo).port}`,
      credentials: { accessKeyId: "AKDROP", accessKeySecret: "s" },
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    });
    try {
      const onRetry = jest.fn();
      await expect(client.call("LoopbackTestAction", {}, { onRetry, retrySafety: "idempotent" })).rejects.toBeInstanceOf(LiveNetworkError);
      expect(received).toBe(3);
      expect(onRetry).toHaveBeenCalledTimes(2);
      expect(onRetry).toHaveBeenCalledWith(expect.objectContaining({ mayHaveSucceeded: true }));
      received = 0;
      await expect(client.call("LoopbackTestAction", {})).rejects.toBeInstanceOf(LiveNetworkError);
      expect(received).toBe(1);
    } finally {
      await client.close();
      dropper.closeAllConnections();
      await new Promise<void>((resolve) => dropper.close(() => resolve()));
    }
  });

  it("a server that never answers → LiveTimeoutError phase response per attempt", async () => {
    const client = new LiveClient({
      endpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
      credentials: { accessKeyId: "AKSILENT", accessKeySecret: "s" },
      timeouts: { responseMs: 150 },
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    });
    try {
      await expect(client.call("LoopbackTestAction", {}, { retrySafety: "idempotent" })).rejects.toMatchObject({ name: "LiveTimeoutError", phase: "response" });
      const err = await client.call("LoopbackTestAction", {}, { deadlineMs: 100 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LiveTimeoutError);
      expect(err).toMatchObject({ phase: "deadline" });
    } finally {
      await client.close();
    }
  });
});
