import { callbackUrlProblem } from "./limits";
it.each([
  ["https://example.com/hook", undefined],
  ["http://example.com", undefined],
  ["https://example.com:8443/x", "port"],
  ["https://example.com:443/x", "port"],
  ["ftp://example.com/x", "http"],
  ["http://10.1.2.3/x", "private"],
  ["http://192.168.0.1/x", "private"],
  ["http://127.0.0.1/x", "private"],
  ["http://localhost/x", "private"],
  ["http://[::1]/x", "private"],
  ["http://[fd00::1]/x", "private"],
  ["http://8.8.8.8/x", undefined],
  ["not a url", "absolute"],
  ["https://user:pw@example.com/", "credentials"],
])("%s", (u, want) => {
  const p = callbackUrlProblem(u);
  if (want === undefined) expect(p).toBeUndefined();
  else expect(p).toContain(want);
});
