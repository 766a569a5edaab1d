#!/usr/bin/env node
/**
 * `livemessage-emulator` — runs the LiveMessage emulator until SIGINT/SIGTERM (then flushes the log, closes the
 * server and exits 0). `livemessage-emulator repair --data-dir <dir>` repairs a damaged data directory and exits.
 */
import { parseArgs } from "node:util";
import { ADMIN_ENDPOINTS } from "./admin";
import { ADMIN_TOKEN_ENV, DEFAULT_CREDENTIALS, repairEmulatorData, startEmulator } from "./server";

export const DEFAULT_CLI_PORT = 8787;

export const USAGE = `Usage: livemessage-emulator [options]
       livemessage-emulator repair --data-dir <dir>

A local emulator of Alibaba Cloud ApsaraVideo Live interactive messaging (LiveMessage API 2016-11-01).

Options:
  --port <n>           TCP port to listen on (default ${DEFAULT_CLI_PORT}; 0 picks a free port)
  --host <addr>        interface to bind (default 127.0.0.1)
  --data-dir <dir>     persist state in <dir> (checksummed write-ahead log + snapshots); default: memory only
  --repair             if the data directory is damaged, move the damaged files aside and start from the
                       longest verified prefix (the \`repair\` command does only that, then exits)
  --compact-every <n>  log entries between automatic snapshots (default 50000)
  --no-throttle        disable the per-account, per-action QPS limits (50/s, 10/s for mute operations)
  --no-verify          skip signature, timestamp and nonce checks (the AccessKeyId still selects the account)
  --seed <n>           seed for generated IDs and fault injection (reproducible runs); a data directory keeps
                       its seed, so a restart without --seed continues its random stream
  --admin-token <t>    require this token on every admin call (or set ${ADMIN_TOKEN_ENV})
  -h, --help           show this help

Credentials: the emulator accepts the fake key pair
  ALIBABA_CLOUD_ACCESS_KEY_ID=${DEFAULT_CREDENTIALS.accessKeyId}
  ALIBABA_CLOUD_ACCESS_KEY_SECRET=${DEFAULT_CREDENTIALS.accessKeySecret}

Admin endpoints (JSON; writes need Content-Type: application/json and are refused cross-origin; with an admin
token, every call needs \`Authorization: Bearer <token>\`):
${ADMIN_ENDPOINTS.map((e) => `  ${e}`).join("\n")}
`;

export interface CliOptions {
  readonly command: "serve" | "repair";
  readonly port: number;
  readonly host: string;
  readonly dataDir?: string;
  readonly throttle: boolean;
  readonly verifySignatures: boolean;
  readonly seed?: number;
  readonly compactEvery?: number;
  readonly repair: boolean;
  readonly adminToken?: string;
  readonly help: boolean;
}

/** Parses argv (without node and script); throws with a readable message on bad input. */
export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): CliOptions {
  const { values, positionals } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      "data-dir": { type: "string" },
      "no-throttle": { type: "boolean" },
      "no-verify": { type: "boolean" },
      seed: { type: "string" },
      "compact-every": { type: "string" },
      repair: { type: "boolean" },
      "admin-token": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (positionals.length > 1 || (positionals.length === 1 && positionals[0] !== "repair")) {
    throw new Error(`unknown command "${positionals.join(" ")}" (the only command is \`repair\`)`);
  }
  const command = positionals[0] === "repair" ? "repair" : "serve";
  if (command === "repair" && values["data-dir"] === undefined) throw new Error("repair needs --data-dir <dir>");
  const int = (name: string, raw: string | undefined, min: number, max: number): number | undefined => {
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw) || Number(raw) > max || Number(raw) < min) throw new Error(`--${name} must be an integer between ${min} and ${max}, got "${raw}"`);
    return Number(raw);
  };
  const adminToken = values["admin-token"] ?? env[ADMIN_TOKEN_ENV];
  if (adminToken !== undefined && adminToken.length < 8) throw new Error(`the admin token must have at least 8 characters`);
  const compactEvery = int("compact-every", values["compact-every"], 1, 1e9);
  return {
    command,
    port: int("port", values.port, 0, 65535) ?? DEFAULT_CLI_PORT,
    host: values.host ?? "127.0.0.1",
    ...(values["data-dir"] !== undefined ? { dataDir: values["data-dir"] } : {}),
    throttle: !values["no-throttle"],
    verifySignatures: !values["no-verify"],
    ...(values.seed !== undefined ? { seed: int("seed", values.seed, 0, 2 ** 32 - 1) } : {}),
    ...(compactEvery !== undefined ? { compactEvery } : {}),
    repair: values.repair === true,
    ...(adminToken !== undefined && adminToken !== "" ? { adminToken } : {}),
    help: values.help === true,
  };
}

export async function main(argv: readonly string[]): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCliArgs(argv, process.env);
  } catch (e) {
    process.stderr.write(`livemessage-emulator: ${(e as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (options.command === "repair") {
    const report = repairEmulatorData(options.dataDir!, (line) => process.stderr.write(`${line}\n`));
    process.stdout.write(`${report.message}\n`);
    return;
  }
  const emu = await startEmulator({
    port: options.port,
    host: options.host,
    ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
    throttle: options.throttle,
    verifySignatures: options.verifySignatures,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.compactEvery !== undefined ? { compactEvery: options.compactEvery } : {}),
    ...(options.adminToken !== undefined ? { adminToken: options.adminToken } : {}),
    repair: options.repair,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const cred = emu.credentials[0]!;
  process.stdout.write(
    [
      `LiveMessage emulator listening on ${emu.url}`,
      `  storage:    ${emu.dataDir !== undefined ? `${emu.dataDir} (durable)` : "memory only"}`,
      `  signatures: ${options.verifySignatures ? "verified" : "NOT verified (--no-verify)"}; throttling: ${options.throttle ? "on" : "off"}; seed: ${emu.seed}`,
      `  admin:      ${emu.url}/_emulator/health${options.adminToken !== undefined ? " (admin token required)" : ""}`,
      `  dashboard:  ${emu.url}/_emulator/ui/`,
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
