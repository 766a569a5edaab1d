// Log lines captured from the provider process, the program process and the harness's own engine messages.

export type LogSource = "provider" | "program" | "engine";
export type LogSeverity = "debug" | "info" | "warning" | "error";

export interface LogEntry {
  source: LogSource;
  severity: LogSeverity;
  message: string;
  /** The resource the line belongs to, when known (provider: the URN of the RPC in flight when it was written). */
  urn?: string;
  stream?: "stdout" | "stderr";
}

// `pulumi.log.*` without an engine connection prints "<severity>: [runtime] <message>" (log/index.js).
const RUNTIME_PREFIX = /^(debug|info|warning|error): \[runtime\] ([\s\S]*)$/;

export function parseLogLine(
  source: LogSource,
  stream: "stdout" | "stderr",
  line: string,
  urn: string | undefined,
): LogEntry {
  const m = RUNTIME_PREFIX.exec(line);
  const entry: LogEntry = m
    ? { source, stream, severity: m[1] as LogSeverity, message: m[2] }
    : { source, stream, severity: "info", message: line };
  if (urn) entry.urn = urn;
  return entry;
}

/** Splits a stream into lines, handing each complete line to `onLine` (a trailing partial line waits). */
export class LineSplitter {
  private buf = "";
  constructor(private readonly onLine: (line: string) => void) {}
  push(chunk: string): void {
    this.buf += chunk;
    let nl: number;
    while ((nl = this.buf.indexOf("\n")) >= 0) {
      const line = this.buf.slice(0, nl).replace(/\r$/, "");
      this.buf = this.buf.slice(nl + 1);
      if (line.length > 0) this.onLine(line);
    }
  }
  flush(): void {
    if (this.buf.length > 0) this.onLine(this.buf);
    this.buf = "";
  }
}
