/**
 * `pulumi-resource-livemessage`: the entry point the engine runs (through `plugin/bin/pulumi-resource-livemessage`)
 * as `<plugin> [flags…] <engine address>`. It serves the provider, prints the port on the first stdout line, and
 * runs until the engine kills it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { setLogger } from "../provider/resources/log";
import { EngineLogger } from "./engine-log";
import { NativeProvider } from "./provider";
import { serve } from "./server";

/** The package root: `dist/plugin/main.js` → two levels up (`plugin/main.ts` under ts-node-like loaders too). */
export function packageRoot(from: string = __dirname): string {
  let dir = from;
  for (let i = 0; i < 4; i++) {
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "schema.json"))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`cannot find the package root (package.json and schema.json) above ${from}`);
}

/** The engine's address: the last argument that is not a flag (flags like `--tracing <addr>` come before it). */
export function engineAddressOf(argv: readonly string[]): string | undefined {
  const positional = argv.filter((a, i) => !a.startsWith("-") && !(i > 0 && argv[i - 1] === "--tracing"));
  return positional.at(-1);
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const root = packageRoot();
  const { version } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };
  const schema = fs.readFileSync(path.join(root, "schema.json"), "utf8");
  const logger = new EngineLogger();
  logger.setEngineAddress(engineAddressOf(argv));
  setLogger(logger);
  const { port } = await serve(new NativeProvider(version, schema), logger);
  process.stdout.write(`${port}\n`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`pulumi-resource-livemessage failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
