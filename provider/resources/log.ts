/**
 * Logging from resource handlers. Inside Pulumi's provider process this is `pulumi.log` (shown in the CLI next to
 * the resource); elsewhere (tests, plain scripts) it falls back to stderr. Handlers never log credentials.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

type PulumiLog = { info(m: string): void; warn(m: string): void; debug(m: string): void };

let override: Logger | undefined;

/** Tests can capture log lines. */
export function setLogger(logger: Logger | undefined): void {
  override = logger;
}

function pulumiLog(): PulumiLog | undefined {
  try {
    // Lazily, so that the provider core does not load @pulumi/pulumi unless it is already there.
    return (require("@pulumi/pulumi") as { log: PulumiLog }).log;
  } catch {
    return undefined;
  }
}

export const log: Logger = {
  info: (m) => (override ?? pulumiLog() ?? fallback).info(m),
  warn: (m) => (override ?? pulumiLog() ?? fallback).warn(m),
  debug: (m) => (override ?? pulumiLog() ?? fallback).debug(m),
};

const fallback: Logger = {
  info: (m) => process.stderr.write(`info: ${m}\n`),
  warn: (m) => process.stderr.write(`warning: ${m}\n`),
  debug: () => undefined,
};
