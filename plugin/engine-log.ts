/**
 * Log lines of the handlers, sent to the engine's Log service so the CLI shows them next to the resource they
 * belong to (the URN of the request being served, see request-context). Without an engine address (tests, a
 * plugin started by hand) they go to stderr, which the engine also shows.
 */
import type { Logger } from "../provider/resources/log";
import { requestContext } from "../provider/resources/request-context";
import type { EngineClient } from "@pulumi/pulumi/proto/engine_grpc_pb";
import { loadEngineRpc } from "./rpc";

type Severity = "debug" | "info" | "warning";

export class EngineLogger implements Logger {
  private client: EngineClient | undefined;

  /** The engine's address arrives on the command line, or later with Handshake / Attach. */
  setEngineAddress(address: string | undefined): void {
    if (!address) return;
    const { grpc, enginerpc } = loadEngineRpc();
    this.client?.close();
    this.client = new enginerpc.EngineClient(address, grpc.credentials.createInsecure());
  }

  close(): void {
    this.client?.close();
    this.client = undefined;
  }

  info(message: string): void {
    this.send("info", message);
  }

  warn(message: string): void {
    this.send("warning", message);
  }

  debug(message: string): void {
    this.send("debug", message);
  }

  private send(severity: Severity, message: string): void {
    const urn = requestContext()?.urn ?? "";
    if (!this.client) {
      if (severity !== "debug") process.stderr.write(`${severity}: ${message}\n`);
      return;
    }
    const { enginepb } = loadEngineRpc();
    const req = new enginepb.LogRequest();
    req.setSeverity(
      severity === "debug" ? enginepb.LogSeverity.DEBUG : severity === "info" ? enginepb.LogSeverity.INFO : enginepb.LogSeverity.WARNING,
    );
    req.setMessage(message);
    req.setUrn(urn);
    this.client.log(req, (err) => {
      // The engine may already be gone (e.g. at the end of a deployment): the line is not lost, it goes to stderr.
      if (err && severity !== "debug") process.stderr.write(`${severity}: ${message}\n`);
    });
  }
}
