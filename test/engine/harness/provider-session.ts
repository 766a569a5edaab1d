// The engine's side of the pulumirpc.ResourceProvider protocol, marshalling like the engine's provider plugin
// layer (sdk/go/common/resource/plugin/provider_plugin.go): secrets stripped when the provider said
// acceptSecrets=false and re-annotated on the way back, unknowns only in preview, Create/Update never called in
// preview for a provider without supportsPreview, `undefined` never sent.
import { randomBytes } from "crypto";
import type * as GrpcJs from "@grpc/grpc-js";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import type { PulumiRpc } from "./grpc";
import type { ProviderProcess } from "./provider-process";
import {
  annotateSecrets,
  cleanMap,
  containsUnknowns,
  stripSecretsMap,
  type PropertyMap,
} from "./wire";

export type RpcMethod =
  | "Handshake"
  | "GetPluginInfo"
  | "CheckConfig"
  | "Configure"
  | "Check"
  | "Diff"
  | "Create"
  | "Read"
  | "Update"
  | "Delete";

/** One RPC as the provider saw it: `request` holds the marshalled payloads exactly as sent. */
export interface RpcRecord {
  method: RpcMethod;
  urn?: string;
  id?: string;
  request: Record<string, unknown>;
  response?: Record<string, unknown>;
  error?: { code: number; message: string };
}

/** `ErrorResourceInitFailed` details of a partial failure: the resource exists but failed to initialise. */
export interface InitFailure {
  id: string;
  properties: PropertyMap;
  reasons: string[];
}

/** An RPC that failed; `message` is the provider's message (gRPC details). */
export class ProviderRpcError extends Error {
  constructor(
    readonly method: RpcMethod,
    readonly code: number,
    message: string,
    readonly initFailure?: InitFailure,
  ) {
    super(message);
    this.name = "ProviderRpcError";
  }
}

export interface ProviderProtocol {
  acceptSecrets: boolean;
  acceptResources: boolean;
  acceptOutputs: boolean;
  supportsPreview: boolean;
}

export interface CheckFailureInfo {
  property: string;
  reason: string;
}

export interface CheckResult {
  inputs: PropertyMap;
  failures: CheckFailureInfo[];
}

export type DiffChanges = "unknown" | "none" | "some";

export interface PropertyDiffInfo {
  kind: "add" | "add-replace" | "delete" | "delete-replace" | "update" | "update-replace";
  inputDiff: boolean;
}

export interface DiffResult {
  changes: DiffChanges;
  replaces: string[];
  stables: string[];
  diffs: string[];
  deleteBeforeReplace: boolean;
  detailedDiff?: Record<string, PropertyDiffInfo>;
}

export interface ReadResult {
  /** Empty when the resource is gone. */
  id: string;
  properties?: PropertyMap;
  inputs?: PropertyMap;
}

const nameOf = (urn: string): string => urn.split("::").slice(3).join("::");
const typeOf = (urn: string): string => (urn.split("::")[2] ?? "").split("$").pop() ?? "";

const DETAILED_KINDS: PropertyDiffInfo["kind"][] = [
  "add",
  "add-replace",
  "delete",
  "delete-replace",
  "update",
  "update-replace",
];

export interface ProviderSessionOptions {
  engineAddress?: string;
  programDirectory: string;
  /** Per-RPC deadline; a hung provider fails the step instead of the whole test run. */
  rpcTimeoutMs?: number;
}

type Callback<Resp> = (err: GrpcJs.ServiceError | null, resp: Resp) => void;

export class ProviderSession {
  readonly calls: RpcRecord[] = [];
  protocol: ProviderProtocol | undefined;
  private readonly client: ResourceProviderClient;

  constructor(
    private readonly rpc: PulumiRpc,
    readonly process: ProviderProcess,
    private readonly opts: ProviderSessionOptions,
  ) {
    this.client = new rpc.provrpc.ResourceProviderClient(process.address, rpc.grpc.credentials.createInsecure());
  }

  close(): void {
    this.client.close();
  }

  private get keepSecrets(): boolean {
    return this.protocol?.acceptSecrets === true;
  }

  private marshal(props: PropertyMap | undefined, label: string, opts: { keepUnknowns: boolean; keepSecrets?: boolean }): Struct {
    let v = cleanMap(props ?? {});
    if (!(opts.keepSecrets ?? this.keepSecrets)) v = stripSecretsMap(v);
    if (!opts.keepUnknowns && containsUnknowns(v)) throw new Error(`${label}: unknown value outside preview`);
    return this.rpc.structpb.Struct.fromJavaScript(v);
  }

  private unmarshal(s: Struct | undefined): PropertyMap | undefined {
    return s ? cleanMap(s.toJavaScript()) : undefined;
  }

  private async unary<Req, Resp>(
    method: RpcMethod,
    fn: (req: Req, md: GrpcJs.Metadata, options: Partial<GrpcJs.CallOptions>, cb: Callback<Resp>) => unknown,
    req: Req,
    record: RpcRecord,
  ): Promise<Resp> {
    this.calls.push(record);
    const token = this.process.beginCall(record.urn);
    try {
      return await new Promise<Resp>((resolve, reject) => {
        const deadline = Date.now() + (this.opts.rpcTimeoutMs ?? 60000);
        fn.call(this.client, req, new this.rpc.grpc.Metadata(), { deadline }, (err: GrpcJs.ServiceError | null, resp: Resp) => {
          if (err) {
            const initFailure = this.parseInitFailure(err);
            record.error = { code: err.code, message: err.details || err.message };
            reject(new ProviderRpcError(method, err.code, err.details || err.message, initFailure));
          } else {
            resolve(resp);
          }
        });
      });
    } finally {
      await this.process.endCall(token);
    }
  }

  /** The dynamic provider packs `ErrorResourceInitFailed` into `grpc-status-details-bin` (partial failure). */
  private parseInitFailure(err: GrpcJs.ServiceError): InitFailure | undefined {
    const raw = err.metadata?.get("grpc-status-details-bin")?.[0];
    if (!raw || typeof raw === "string") return undefined;
    const status = this.rpc.statuspb.Status.deserializeBinary(new Uint8Array(raw));
    for (const any of status.getDetailsList()) {
      if (!any.getTypeName().endsWith("pulumirpc.ErrorResourceInitFailed")) continue;
      const detail = this.rpc.provpb.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
      return {
        id: detail.getId(),
        properties: this.unmarshal(detail.getProperties()) ?? {},
        reasons: detail.getReasonsList(),
      };
    }
    return undefined;
  }

  private isUnimplemented(e: unknown): boolean {
    return e instanceof ProviderRpcError && e.code === this.rpc.grpc.status.UNIMPLEMENTED;
  }

  /** The engine's readiness probe; the dynamic provider answers UNIMPLEMENTED and the engine uses Configure. */
  /**
   * The engine's plugin start-up: Handshake (UNIMPLEMENTED here), GetPluginInfo, CheckConfig, Configure with the
   * checked config and the `pulumi-nodejs:config:<key>` variables of the plain stack config.
   */
  async startUp(params: { providerUrn: string; providerId: string; args: PropertyMap; plainConfig: Record<string, string> }): Promise<void> {
    await this.handshake();
    await this.getPluginInfo();
    const checked = await this.checkConfig(params.providerUrn, params.args);
    const variables: Record<string, string> = {};
    for (const [k, v] of Object.entries(params.plainConfig)) variables[`pulumi-nodejs:config:${k}`] = v;
    await this.configure({ urn: params.providerUrn, id: params.providerId, args: checked.inputs, variables });
  }

  async handshake(): Promise<{ implemented: boolean }> {
    const req = new this.rpc.provpb.ProviderHandshakeRequest();
    req.setEngineAddress(this.opts.engineAddress ?? "");
    req.setRootDirectory(this.opts.programDirectory);
    req.setProgramDirectory(this.opts.programDirectory);
    req.setConfigureWithUrn(true);
    req.setSupportsRefreshBeforeUpdate(true);
    try {
      const resp = await this.unary("Handshake", this.client.handshake, req, { method: "Handshake", request: {} });
      this.protocol = {
        acceptSecrets: resp.getAcceptSecrets(),
        acceptResources: resp.getAcceptResources(),
        acceptOutputs: resp.getAcceptOutputs(),
        supportsPreview: true, // the engine assumes preview support after a successful handshake
      };
      return { implemented: true };
    } catch (e) {
      if (this.isUnimplemented(e)) return { implemented: false };
      throw e;
    }
  }

  async getPluginInfo(): Promise<{ version: string }> {
    const resp = await this.unary("GetPluginInfo", this.client.getPluginInfo, new this.rpc.emptypb.Empty(), {
      method: "GetPluginInfo",
      request: {},
    });
    return { version: resp.getVersion() };
  }

  /** CheckConfig on the provider resource; UNIMPLEMENTED means the engine keeps `news` as they are. */
  async checkConfig(urn: string, news: PropertyMap): Promise<{ inputs: PropertyMap; unimplemented: boolean }> {
    const req = new this.rpc.provpb.CheckRequest();
    req.setUrn(urn);
    req.setName(nameOf(urn));
    req.setType(typeOf(urn));
    req.setOlds(this.marshal({}, "checkConfig.olds", { keepUnknowns: true, keepSecrets: true }));
    req.setNews(this.marshal(news, "checkConfig.news", { keepUnknowns: true, keepSecrets: true }));
    try {
      const resp = await this.unary("CheckConfig", this.client.checkConfig, req, {
        method: "CheckConfig",
        urn,
        request: { news: "<config>" },
      });
      return { inputs: this.unmarshal(resp.getInputs()) ?? news, unimplemented: false };
    } catch (e) {
      if (this.isUnimplemented(e)) return { inputs: news, unimplemented: true };
      throw e;
    }
  }

  /**
   * Configure with the FULL stack config (keys kept namespaced, secrets wrapped) in `args`, and the legacy
   * `variables` map `pulumi-nodejs:config:<key>` -> string. The record keeps only the key names: values may be
   * secrets.
   */
  async configure(params: {
    urn: string;
    id: string;
    args: PropertyMap;
    variables: Record<string, string>;
  }): Promise<ProviderProtocol> {
    const req = new this.rpc.provpb.ConfigureRequest();
    const vm = req.getVariablesMap();
    for (const [k, v] of Object.entries(params.variables)) vm.set(k, v);
    req.setArgs(this.marshal(params.args, "configure.args", { keepUnknowns: true, keepSecrets: true }));
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    req.setSendsOldInputs(true);
    req.setSendsOldInputsToDelete(true);
    req.setUrn(params.urn);
    req.setName(nameOf(params.urn));
    req.setType(typeOf(params.urn));
    req.setId(params.id);
    const resp = await this.unary("Configure", this.client.configure, req, {
      method: "Configure",
      urn: params.urn,
      request: { argKeys: Object.keys(params.args), variableKeys: Object.keys(params.variables) },
    });
    const fromConfigure: ProviderProtocol = {
      acceptSecrets: resp.getAcceptsecrets(),
      acceptResources: resp.getAcceptresources(),
      acceptOutputs: resp.getAcceptoutputs(),
      supportsPreview: resp.getSupportspreview(),
    };
    this.protocol ??= fromConfigure; // a successful Handshake wins, like in the engine
    return fromConfigure;
  }

  async check(params: { urn: string; olds: PropertyMap; news: PropertyMap; preview: boolean }): Promise<CheckResult> {
    const { urn, preview } = params;
    const req = new this.rpc.provpb.CheckRequest();
    req.setUrn(urn);
    req.setName(nameOf(urn));
    req.setType(typeOf(urn));
    const olds = this.marshal(params.olds, "check.olds", { keepUnknowns: preview });
    const news = this.marshal(params.news, "check.news", { keepUnknowns: preview });
    req.setOlds(olds);
    req.setNews(news);
    req.setRandomseed(randomBytes(32));
    const record: RpcRecord = { method: "Check", urn, request: { olds: olds.toJavaScript(), news: news.toJavaScript() } };
    const resp = await this.unary("Check", this.client.check, req, record);
    let inputs = this.unmarshal(resp.getInputs()) ?? {};
    if (!preview && containsUnknowns(inputs)) throw new Error(`Check of ${urn} returned unknown values outside preview`);
    if (!this.keepSecrets) inputs = annotateSecrets(inputs, params.news);
    const failures = resp.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() }));
    record.response = { inputs: resp.getInputs()?.toJavaScript() ?? {}, failures };
    return { inputs, failures };
  }

  async diff(params: {
    urn: string;
    id: string;
    oldInputs: PropertyMap;
    oldOutputs: PropertyMap;
    news: PropertyMap;
    preview: boolean;
    ignoreChanges?: string[];
  }): Promise<DiffResult> {
    const { urn, preview } = params;
    const req = new this.rpc.provpb.DiffRequest();
    req.setId(params.id);
    req.setUrn(urn);
    req.setName(nameOf(urn));
    req.setType(typeOf(urn));
    const oldInputs = this.marshal(params.oldInputs, "diff.oldInputs", { keepUnknowns: preview });
    const olds = this.marshal(params.oldOutputs, "diff.olds", { keepUnknowns: preview });
    const news = this.marshal(params.news, "diff.news", { keepUnknowns: preview });
    req.setOldInputs(oldInputs);
    req.setOlds(olds);
    req.setNews(news);
    req.setIgnorechangesList(params.ignoreChanges ?? []);
    const record: RpcRecord = {
      method: "Diff",
      urn,
      id: params.id,
      request: { oldInputs: oldInputs.toJavaScript(), olds: olds.toJavaScript(), news: news.toJavaScript() },
    };
    const resp = await this.unary("Diff", this.client.diff, req, record);
    const C = this.rpc.provpb.DiffResponse.DiffChanges;
    const changes: DiffChanges =
      resp.getChanges() === C.DIFF_SOME ? "some" : resp.getChanges() === C.DIFF_NONE ? "none" : "unknown";
    const result: DiffResult = {
      changes,
      replaces: resp.getReplacesList(),
      stables: resp.getStablesList(),
      diffs: resp.getDiffsList(),
      deleteBeforeReplace: resp.getDeletebeforereplace(),
    };
    if (resp.getHasdetaileddiff()) {
      result.detailedDiff = {};
      resp.getDetaileddiffMap().forEach((d, k) => {
        result.detailedDiff![k] = { kind: DETAILED_KINDS[d.getKind()] ?? "update", inputDiff: d.getInputdiff() };
      });
    }
    record.response = { ...result };
    return result;
  }

  /** Never called in preview unless the provider reported supportsPreview (the dynamic provider ignores the flag). */
  async create(params: { urn: string; properties: PropertyMap; preview: boolean; timeout?: number }): Promise<{
    id: string;
    properties: PropertyMap;
  }> {
    const { urn, preview } = params;
    if (preview && !this.protocol?.supportsPreview) return { id: "", properties: params.properties };
    const req = new this.rpc.provpb.CreateRequest();
    req.setUrn(urn);
    req.setName(nameOf(urn));
    req.setType(typeOf(urn));
    const props = this.marshal(params.properties, "create.properties", { keepUnknowns: preview });
    req.setProperties(props);
    req.setTimeout(params.timeout ?? 0);
    req.setPreview(preview);
    const record: RpcRecord = { method: "Create", urn, request: { properties: props.toJavaScript(), preview } };
    let resp;
    try {
      resp = await this.unary("Create", this.client.create, req, record);
    } catch (e) {
      // Partial failure: the provider outputs are annotated like a success (provider_plugin.go Create).
      if (e instanceof ProviderRpcError && e.initFailure && !this.keepSecrets) {
        annotateSecrets(e.initFailure.properties, params.properties);
      }
      throw e;
    }
    let outs = this.unmarshal(resp.getProperties()) ?? {};
    record.id = resp.getId();
    record.response = { id: resp.getId(), properties: resp.getProperties()?.toJavaScript() ?? {} };
    if (!preview && !resp.getId()) throw new ProviderRpcError("Create", 0, "provider did not return an ID from Create");
    if (!this.keepSecrets) outs = annotateSecrets(outs, params.properties);
    return { id: resp.getId(), properties: outs };
  }

  /**
   * Read: refresh sends the last outputs as `properties` and the last inputs as `inputs`; import and `get` send
   * empty `properties` and the goal inputs (the provider host finds `__provider` in the inputs, pulumi >= 3.268).
   */
  async read(params: { urn: string; id: string; properties: PropertyMap; inputs?: PropertyMap }): Promise<ReadResult> {
    const { urn } = params;
    const req = new this.rpc.provpb.ReadRequest();
    req.setId(params.id);
    req.setUrn(urn);
    req.setName(nameOf(urn));
    req.setType(typeOf(urn));
    const props = this.marshal(params.properties, "read.properties", { keepUnknowns: false });
    req.setProperties(props);
    const inputs = params.inputs ? this.marshal(params.inputs, "read.inputs", { keepUnknowns: false }) : undefined;
    if (inputs) req.setInputs(inputs);
    const record: RpcRecord = {
      method: "Read",
      urn,
      id: params.id,
      request: { properties: props.toJavaScript(), inputs: inputs?.toJavaScript() },
    };
    const resp = await this.unary("Read", this.client.read, req, record);
    record.response = {
      id: resp.getId(),
      properties: resp.getProperties()?.toJavaScript(),
      inputs: resp.getInputs()?.toJavaScript(),
    };
    // provider_plugin.go Read: an empty ID means the resource is gone.
    if (!resp.getId()) return { id: "" };
    let outs = this.unmarshal(resp.getProperties());
    let newInputs = this.unmarshal(resp.getInputs());
    if (!this.keepSecrets) {
      if (outs) outs = annotateSecrets(outs, params.properties);
      if (newInputs) newInputs = annotateSecrets(newInputs, params.inputs);
    }
    return { id: resp.getId(), properties: outs, inputs: newInputs };
  }

  async update(params: {
    urn: string;
    id: string;
    oldInputs: PropertyMap;
    oldOutputs: PropertyMap;
    news: PropertyMap;
    preview: boolean;
    ignoreChanges?: string[];
    timeout?: number;
  }): Promise<{ properties: PropertyMap }> {
    const { urn, preview } = params;
    if (preview && !this.protocol?.supportsPreview) return { properties: params.news };
    const req = new this.rpc.provpb.UpdateRequest();
    req.setId(params.id);
    req.setUrn(urn);
    req.setName(nameOf(urn));
    req.setType(typeOf(urn));
    const oldInputs = this.marshal(params.oldInputs, "update.oldInputs", { keepUnknowns: false });
    const olds = this.marshal(params.oldOutputs, "update.olds", { keepUnknowns: false });
    const news = this.marshal(params.news, "update.news", { keepUnknowns: preview });
    req.setOldInputs(oldInputs);
    req.setOlds(olds);
    req.setNews(news);
    req.setTimeout(params.timeout ?? 0);
    req.setPreview(preview);
    req.setIgnorechangesList(params.ignoreChanges ?? []);
    const record: RpcRecord = {
      method: "Update",
      urn,
      id: params.id,
      request: { oldInputs: oldInputs.toJavaScript(), olds: olds.toJavaScript(), news: news.toJavaScript() },
    };
    let resp;
    try {
      resp = await this.unary("Update", this.client.update, req, record);
    } catch (e) {
      if (e instanceof ProviderRpcError && e.initFailure && !this.keepSecrets) {
        annotateSecrets(e.initFailure.properties, params.news);
      }
      throw e;
    }
    let outs = this.unmarshal(resp.getProperties()) ?? {};
    record.response = { properties: resp.getProperties()?.toJavaScript() ?? {} };
    if (!this.keepSecrets) outs = annotateSecrets(outs, params.news);
    return { properties: outs };
  }

  async delete(params: { urn: string; id: string; oldInputs: PropertyMap; outputs: PropertyMap; timeout?: number }): Promise<void> {
    const { urn } = params;
    const req = new this.rpc.provpb.DeleteRequest();
    req.setId(params.id);
    req.setUrn(urn);
    req.setName(nameOf(urn));
    req.setType(typeOf(urn));
    const props = this.marshal(params.outputs, "delete.properties", { keepUnknowns: false });
    const oldInputs = this.marshal(params.oldInputs, "delete.oldInputs", { keepUnknowns: false });
    req.setProperties(props);
    req.setOldInputs(oldInputs);
    req.setTimeout(params.timeout ?? 0);
    await this.unary("Delete", this.client.delete, req, {
      method: "Delete",
      urn,
      id: params.id,
      request: { properties: props.toJavaScript(), oldInputs: oldInputs.toJavaScript() },
    });
  }
}
