import { LiveClient } from "../index";
import { startLoopbackServer } from "./test-support/loopback-server";
it("smoke", async () => {
  const srv = await startLoopbackServer({ secrets: { AK1: "s1", AK2: "s2" } });
  for (const sv of ["v3", "v1"] as const) {
    const ak = sv === "v3" ? "AK1" : "AK2";
    const c = new LiveClient({ endpoint: srv.url, credentials: { accessKeyId: ak, accessKeySecret: ak === "AK1" ? "s1" : "s2" }, signatureVersion: sv });
    const t0 = performance.now();
    const res = await Promise.all(Array.from({ length: 300 }, (_, i) => c.call("DescribeLiveMessageGroup", { AppId: "a", GroupId: `g${i}`, Admins: ["x y", "z*~"] })));
    console.log(sv, performance.now() - t0, res.length, (res[0] as any), srv.throttled, srv.rejectedSignatures, srv.maxInWindow);
    await c.close();
  }
  await srv.stop();
}, 60000);
