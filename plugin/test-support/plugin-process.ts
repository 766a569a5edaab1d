/**
 * Runs the real plugin executable (`plugin/bin/pulumi-resource-livemessage`, i.e. the built `dist/`) the way the
 * engine does — port on the first stdout line — and calls its RPCs with plain values, for the protocol tests.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import type * as grpcTypes from "@grpc/grpc-js";
import type { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as provTypes from "@pulumi/pulumi/proto/provider_pb";
import { loadEngineRpc } from "../rpc";

export const PLUGIN_BIN = path.resolve(__dirname, "..", "bin", "pulumi-resource-livemessage");

type Bag = Record<string, unknown>;

export interface DiffReply {
  changes: "none" | "some" | "unknown";
  replaces: string[];
  stables: string[];
  deleteBeforeReplace: boolean;
  detailedDiff: Record<string, string>;
  hasDetailedDiff: boolean;
}

export interface RpcFailure extends Error {
  code?: number;
  details?: string;
  metadata?: grpcTypes.Metadata;
}

const KIND_NAMES = ["add", "add-replace", "delete", "delete-replace", "update", "update-replace"];

/** The environment of a plugin started by the engine, without this machine's cloud credentials. */
function pluginEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(ALIBABA_CLOUD_|ALICLOUD_|ALIBABACLOUD_|LIVEMESSAGE_)/.test(k) || k === "NODE_OPTIONS") continue;
    env[k] = v;
  }
  return { ...env, ALIBABA_CLOUD_CLI_PROFILE_DISABLED: "true", ...extra };
}

export class PluginProcess {
  readonly stderr: string[] = [];
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: ResourceProviderClient,
  ) {
    child.stderr?.on("data", (d: Buffer) => this.stderr.push(d.toString()));
  }

  static async start(env: Record<string, string> = {}): Promise<PluginProcess> {
    const child = spawn(PLUGIN_BIN, [], { env: pluginEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      let err = "";
      const timer = setTimeout(() => reject(new Error(`plugin did not print a port in 20 s; stderr: ${err}`)), 20_000);
      child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
      child.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        const line = out.split("\n")[0]!;
        if (out.includes("\n")) {
          clearTimeout(timer);
          resolve(Number(line.trim()));
        }
      });
      child.once("exit", (code) => reject(new Error(`plugin exited with ${code}: ${err}`)));
    });
    const { grpc, provrpc } = loadEngineRpc();
    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new PluginProcess(child, client);
  }

  async stop(): Promise<void> {
    this.client.close();
    if (this.child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.kill("SIGKILL");
    });
  }

  private call<Req, Res>(method: keyof ResourceProviderClient, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
      const fn = this.client[method] as unknown as (r: Req, cb: (e: grpcTypes.ServiceError | null, res: Res) => void) => void;
      fn.call(this.client, req, (e, res) => (e ? reject(e) : resolve(res)));
    });
  }

  private struct(bag: Bag) {
    const { structpb } = loadEngineRpc();
    return structpb.Struct.fromJavaScript(bag as Parameters<typeof structpb.Struct.fromJavaScript>[0]);
  }

  async pluginInfo(): Promise<string> {
    const { emptypb } = loadEngineRpc();
    const res = await this.call<unknown, { getVersion(): string }>("getPluginInfo", new emptypb.Empty());
    return res.getVersion();
  }

  async schema(): Promise<string> {
    const { provpb } = loadEngineRpc();
    const res = await this.call<provTypes.GetSchemaRequest, provTypes.GetSchemaResponse>("getSchema", new provpb.GetSchemaRequest());
    return res.getSchema();
  }

  async checkConfig(news: Bag): Promise<{ inputs: Bag; failures: { property: string; reason: string }[] }> {
    const { provpb } = loadEngineRpc();
    const req = new provpb.CheckRequest();
    req.setUrn("urn:pulumi:dev::proj::pulumi:providers:livemessage::default");
    req.setOlds(this.struct({}));
    req.setNews(this.struct(news));
    const res = await this.call<provTypes.CheckRequest, provTypes.CheckResponse>("checkConfig", req);
    return { inputs: res.getInputs()?.toJavaScript() ?? {}, failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })) };
  }

  async diffConfig(olds: Bag, news: Bag): Promise<DiffReply> {
    const { provpb } = loadEngineRpc();
    const req = new provpb.DiffRequest();
    req.setUrn("urn:pulumi:dev::proj::pulumi:providers:livemessage::default");
    req.setOlds(this.struct(olds));
    req.setNews(this.struct(news));
    return this.diffReply(await this.call<provTypes.DiffRequest, provTypes.DiffResponse>("diffConfig", req));
  }

  async configure(args: Bag): Promise<{ acceptSecrets: boolean; supportsPreview: boolean }> {
    const { provpb } = loadEngineRpc();
    const req = new provpb.ConfigureRequest();
    req.setArgs(this.struct(args));
    req.setAcceptsecrets(true);
    const res = await this.call<provTypes.ConfigureRequest, provTypes.ConfigureResponse>("configure", req);
    return { acceptSecrets: res.getAcceptsecrets(), supportsPreview: res.getSupportspreview() };
  }

  async check(urn: string, olds: Bag, news: Bag, seed?: Uint8Array): Promise<{ inputs: Bag; failures: { property: string; reason: string }[] }> {
    const { provpb } = loadEngineRpc();
    const req = new provpb.CheckRequest();
    req.setUrn(urn);
    req.setOlds(this.struct(olds));
    req.setNews(this.struct(news));
    if (seed) req.setRandomseed(seed);
    const res = await this.call<provTypes.CheckRequest, provTypes.CheckResponse>("check", req);
    return { inputs: res.getInputs()?.toJavaScript() ?? {}, failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })) };
  }

  private diffReply(res: provTypes.DiffResponse): DiffReply {
    const { provpb } = loadEngineRpc();
    const detailedDiff: Record<string, string> = {};
    res.getDetaileddiffMap().forEach((d, k) => (detailedDiff[k] = KIND_NAMES[d.getKind()]!));
    const changes = res.getChanges();
    return {
      changes: changes === provpb.DiffResponse.DiffChanges.DIFF_SOME ? "some" : changes === provpb.DiffResponse.DiffChanges.DIFF_NONE ? "none" : "unknown",
      replaces: res.getReplacesList(),
      stables: res.getStablesList(),
      deleteBeforeReplace: res.getDeletebeforereplace(),
      detailedDiff,
      hasDetailedDiff: res.getHasdetaileddiff(),
    };
  }

  async diff(urn: string, id: string, olds: Bag, news: Bag): Promise<DiffReply> {
    const { provpb } = loadEngineRpc();
    const req = new provpb.DiffRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setOlds(this.struct(olds));
    req.setNews(this.struct(news));
    return this.diffReply(await this.call<provTypes.DiffRequest, provTypes.DiffResponse>("diff", req));
  }

  async create(urn: string, properties: Bag, preview = false): Promise<{ id: string; properties: Bag }> {
    const { provpb } = loadEngineRpc();
    const req = new provpb.CreateRequest();
    req.setUrn(urn);
    req.setProperties(this.struct(properties));
    req.setPreview(preview);
    const res = await this.call<provTypes.CreateRequest, provTypes.CreateResponse>("create", req);
    return { id: res.getId(), properties: res.getProperties()?.toJavaScript() ?? {} };
  }

  async read(urn: string, id: string, properties: Bag = {}, inputs: Bag = {}): Promise<{ id: string; properties: Bag; inputs: Bag }> {
    const { provpb } = loadEngineRpc();
    const req = new provpb.ReadRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setProperties(this.struct(properties));
    req.setInputs(this.struct(inputs));
    const res = await this.call<provTypes.ReadRequest, provTypes.ReadResponse>("read", req);
    return { id: res.getId(), properties: res.getProperties()?.toJavaScript() ?? {}, inputs: res.getInputs()?.toJavaScript() ?? {} };
  }

  async update(urn: string, id: string, olds: Bag, news: Bag, preview = false): Promise<Bag> {
    const { provpb } = loadEngineRpc();
    const req = new provpb.UpdateRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setOlds(this.struct(olds));
    req.setNews(this.struct(news));
    req.setPreview(preview);
    const res = await this.call<provTypes.UpdateRequest, provTypes.UpdateResponse>("update", req);
    return res.getProperties()?.toJavaScript() ?? {};
  }

  async delete(urn: string, id: string, properties: Bag): Promise<void> {
    const { provpb } = loadEngineRpc();
    const req = new provpb.DeleteRequest();
    req.setUrn(urn);
    req.setId(id);
    req.setProperties(this.struct(properties));
    await this.call<provTypes.DeleteRequest, unknown>("delete", req);
  }

  async invoke(tok: string, args: Bag): Promise<{ result: Bag; failures: { property: string; reason: string }[] }> {
    const { provpb } = loadEngineRpc();
    const req = new provpb.InvokeRequest();
    req.setTok(tok);
    req.setArgs(this.struct(args));
    const res = await this.call<provTypes.InvokeRequest, provTypes.InvokeResponse>("invoke", req);
    return { result: res.getReturn()?.toJavaScript() ?? {}, failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })) };
  }

  async cancel(): Promise<void> {
    const { emptypb } = loadEngineRpc();
    await this.call<unknown, unknown>("cancel", new emptypb.Empty());
  }

  /** The `pulumirpc.ErrorResourceInitFailed` packed into a failed Create/Update, if any. */
  static initFailure(e: RpcFailure): { id: string; properties: Bag; reasons: string[] } | undefined {
    const { statuspb, provpb } = loadEngineRpc();
    const raw = e.metadata?.get("grpc-status-details-bin")[0];
    if (!raw) return undefined;
    const status = statuspb.Status.deserializeBinary(typeof raw === "string" ? Buffer.from(raw, "binary") : raw);
    for (const any of status.getDetailsList()) {
      if (!any.getTypeUrl().endsWith("pulumirpc.ErrorResourceInitFailed")) continue;
      const d = provpb.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
      return { id: d.getId(), properties: d.getProperties()?.toJavaScript() ?? {}, reasons: d.getReasonsList() };
    }
    return undefined;
  }
}

export const urnOf = (type: string, name: string) => `urn:pulumi:dev::proj::${type}::${name}`;
