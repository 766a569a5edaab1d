// Locates a `pulumi` CLI binary so a test can run a second, Automation API based check where one exists.
import * as fs from "fs";
import * as path from "path";

/** The absolute path of an executable `pulumi` on PATH, or undefined (the usual case on our machines). */
export function findPulumiCli(envPath: string | undefined = process.env.PATH): string | undefined {
  const names = process.platform === "win32" ? ["pulumi.exe", "pulumi.cmd"] : ["pulumi"];
  for (const dir of (envPath ?? "").split(path.delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const candidate = path.join(dir, name);
      try {
        const st = fs.statSync(candidate);
        if (!st.isFile()) continue;
        fs.accessSync(candidate, fs.constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}
