#!/usr/bin/env node
/**
 * `livemessage-emulator` — runs the LiveMessage emulator until SIGINT/SIGTERM (then flushes the log, closes the
 * server and exits 0).
 */
import { parseArgs } from "node:util";
import { startEmulator, DEFAULT_CREDENTIALS } from "./server";

export const DEFAULT_CLI_PORT = 8787;

export const USAGE = `Usage: livemessage-emulator [options]

A local emulator of Alibaba Cloud ApsaraVideo Live interactive messaging (LiveMessage API 2016-11-01).

Options:
  --port <n>        TCP port to listen on (default ${DEFAULT_CLI_PORT}; 0 picks a free port)
  --host <addr>     interface to bind (default 127.0.0.1)
  --data-dir <dir>  persist state in <dir> (write-ahead log + snapshots); default: memory only
  --no-throttle     disable the per-action QPS limits (50/s, 10/s for mute operations)
  --no-verify       skip signature, timestamp and nonce checks (the AccessKeyId still selects the account)
  --seed <n>        seed for generated IDs and fault injection (reproducible runs)
  -h, --help        show this help

Credentials: the emulator accepts the fake key pair
  ALIBABA_CLOUD_ACCESS_KEY_ID=${DEFAULT_CREDENTIALS.accessKeyId}
  ALIBABA_CLOUD_ACCESS_KEY_SECRET=${DEFAULT_CREDENTIALS.accessKeySecret}

Admin endpoints: GET /_emulator/health, GET /_emulator/state, POST /_emulator/reset,
  POST|DELETE /_emulator/apps/{appId}/groups/{groupId}/members[/{userId}], GET|POST|DELETE /_emulator/faults
`;

export interface CliOptions {
  readonly port: number;
  readonly host: string;
  readonly dataDir?: string;
  readonly throttle: boolean;
  readonly verifySignatures: boolean;
  readonly seed?: number;
  readonly help: boolean;
}

/** Parses argv (without node and script); throws with a readable message on bad input. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      "data-dir": { type: "string" },
      "no-throttle": { type: "boolean" },
      "no-verify": { type: "boolean" },
      seed: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const int = (name: string, raw: string | undefined, max: number): number | undefined => {
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw) || Number(raw) > max) throw new Error(`--${name} must be an integer between 0 and ${max}, got "${raw}"`);
    return Number(raw);
  };
  return {
    port: int("port", values.port, 65535) ?? DEFAULT_CLI_PORT,
    host: values.host ?? "127.0.0.1",
    ...(values["data-dir"] !== undefined ? { dataDir: values["data-dir"] } : {}),
    throttle: !values["no-throttle"],
    verifySignatures: !values["no-verify"],
    ...(values.seed !== undefined ? { seed: int("seed", values.seed, 2 ** 32 - 1) } : {}),
    help: values.help === true,
  };
}

export async function main(argv: readonly string[]): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCliArgs(argv);
  } catch (e) {
    process.stderr.write(`livemessage-emulator: ${(e as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  const emu = await startEmulator({
    port: options.port,
    host: options.host,
    ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
    throttle: options.throttle,
    verifySignatures: options.verifySignatures,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const cred = emu.credentials[0]!;
  process.stdout.write(
    [
      `LiveMessage emulator listening on ${emu.url}`,
      `  storage:    ${emu.dataDir !== undefined ? `${emu.dataDir} (durable)` : "memory only"}`,
      `  signatures: ${options.verifySignatures ? "verified" : "NOT verified (--no-verify)"}; throttling: ${options.throttle ? "on" : "off"}; seed: ${emu.seed}`,
      "",
      "Credentials (fake, accepted only by this emulator):",
      `  export ALIBABA_CLOUD_ACCESS_KEY_ID=${cred.accessKeyId}`,
      `  export ALIBABA_CLOUD_ACCESS_KEY_SECRET=${cred.accessKeySecret}`,
      `  export LIVEMESSAGE_ENDPOINT=${emu.url}`,
      "or in a Pulumi stack:",
      `  pulumi config set livemessage:endpoint ${emu.url}`,
      "",
    ].join("\n"),
  );

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.stderr.write(`livemessage-emulator: ${signal} again, exiting without waiting\n`);
      process.exit(1);
    }
    stopping = true;
    process.stderr.write(`livemessage-emulator: ${signal} received, stopping\n`);
    emu.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`livemessage-emulator: error while stopping: ${(e as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`livemessage-emulator: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
