/**
 * The gRPC side of the plugin: `pulumirpc.ResourceProvider` served on 127.0.0.1 with the engine's generated stubs.
 * Written here rather than with `@pulumi/pulumi/provider`'s `main`, whose server answers CheckConfig and DiffConfig
 * UNIMPLEMENTED, drops Configure's arguments and Check's randomSeed, and has no Invoke for plain functions
 * (node_modules/@pulumi/pulumi/provider/server.js). Every method converts the request, calls ./provider.ts and
 * converts the answer; methods not listed (Construct, Call, Parameterize, GetMapping…) answer UNIMPLEMENTED.
 */
import type * as grpcTypes from "@grpc/grpc-js";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { IResourceProviderServer } from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as provTypes from "@pulumi/pulumi/proto/provider_pb";
import { isLiveError } from "../provider/client/errors";
import type { PropertyBag } from "../provider/resources/property-bag";
import type { CheckFailure } from "../provider/resources/validate";
import type { EngineLogger } from "./engine-log";
import { PartialFailure, type DiffKind, type DiffResult, type NativeProvider } from "./provider";
import { loadEngineRpc } from "./rpc";

type Unary<Req, Res> = grpcTypes.handleUnaryCall<Req, Res>;

/** A failure the provider did not anticipate: a bug of ours, reported as such (never as a network or API error). */
export class ProviderBugError extends Error {
  readonly code = "LIVEMSG_PROVIDER_BUG";
  constructor(method: string, cause: unknown) {
    super(
      `internal error in the livemessage provider during ${method} (a bug; please report it with this message): ` +
        `${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`,
      { cause },
    );
    this.name = "ProviderBugError";
  }
}

function toBag(s: Struct | undefined): PropertyBag {
  return (s?.toJavaScript() ?? {}) as PropertyBag;
}

function toStruct(bag: PropertyBag): Struct {
  const { structpb } = loadEngineRpc();
  return structpb.Struct.fromJavaScript(bag as Parameters<typeof structpb.Struct.fromJavaScript>[0]);
}

function failureList(failures: readonly CheckFailure[]): provTypes.CheckFailure[] {
  const { provpb } = loadEngineRpc();
  return failures.map((f) => {
    const out = new provpb.CheckFailure();
    out.setProperty(f.property);
    out.setReason(f.reason);
    return out;
  });
}

function grpcError(method: string, e: unknown): Partial<grpcTypes.StatusObject> {
  const { grpc, provpb, statuspb, anypb } = loadEngineRpc();
  if (e instanceof PartialFailure) {
    // The engine records a resource that exists remotely from these details (pulumirpc.ErrorResourceInitFailed).
    const detail = new provpb.ErrorResourceInitFailed();
    detail.setId(e.id);
    detail.setProperties(toStruct(e.properties));
    detail.setReasonsList(e.reasons);
    const any = new anypb.Any();
    any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new statuspb.Status();
    status.setCode(grpc.status.UNKNOWN);
    status.setMessage(e.message);
    status.addDetails(any);
    const metadata = new grpc.Metadata();
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
    return { code: grpc.status.UNKNOWN, details: e.message, metadata };
  }
  const known = isLiveError(e);
  const err = known ? (e as Error) : new ProviderBugError(method, e);
  if (!known) process.stderr.write(`${err.message}\n${e instanceof Error ? (e.stack ?? "") : ""}\n`);
  return { code: grpc.status.UNKNOWN, details: err.message };
}

function unary<Req, Res>(method: string, fn: (req: Req) => Promise<Res> | Res): Unary<Req, Res> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => fn(call.request))
      .then(
        (res) => callback(null, res),
        (e: unknown) => callback(grpcError(method, e), null),
      );
  };
}

function diffResponse(r: DiffResult): provTypes.DiffResponse {
  const { provpb } = loadEngineRpc();
  const resp = new provpb.DiffResponse();
  resp.setChanges(r.changes ? provpb.DiffResponse.DiffChanges.DIFF_SOME : provpb.DiffResponse.DiffChanges.DIFF_NONE);
  resp.setReplacesList(r.replaces);
  resp.setStablesList(r.stables);
  resp.setDeletebeforereplace(r.deleteBeforeReplace);
  const kinds: Record<DiffKind, provTypes.PropertyDiff.Kind> = {
    add: provpb.PropertyDiff.Kind.ADD,
    "add-replace": provpb.PropertyDiff.Kind.ADD_REPLACE,
    delete: provpb.PropertyDiff.Kind.DELETE,
    "delete-replace": provpb.PropertyDiff.Kind.DELETE_REPLACE,
    update: provpb.PropertyDiff.Kind.UPDATE,
    "update-replace": provpb.PropertyDiff.Kind.UPDATE_REPLACE,
  };
  const entries = Object.entries(r.detailedDiff);
  const changed: string[] = [];
  for (const [key, kind] of entries) {
    const d = new provpb.PropertyDiff();
    d.setKind(kinds[kind]);
    d.setInputdiff(false);
    resp.getDetaileddiffMap().set(key, d);
    changed.push(key);
  }
  resp.setDiffsList(changed);
  // Without a detailed diff (e.g. a deferred seed message that is due again) the engine shows its own comparison.
  resp.setHasdetaileddiff(entries.length > 0);
  return resp;
}

function seedOf(req: provTypes.CheckRequest): Uint8Array | undefined {
  const seed = req.getRandomseed_asU8();
  return seed.length > 0 ? seed : undefined;
}

export function providerService(provider: NativeProvider, logger: EngineLogger): Partial<IResourceProviderServer> {
  const { provpb, pluginpb, emptypb } = loadEngineRpc();
  return {
    handshake: unary("Handshake", (req: provTypes.ProviderHandshakeRequest) => {
      logger.setEngineAddress(req.getEngineAddress());
      const resp = new provpb.ProviderHandshakeResponse();
      resp.setAcceptSecrets(true);
      resp.setAcceptResources(false);
      resp.setAcceptOutputs(false);
      resp.setSupportsAutonamingConfiguration(false);
      return resp;
    }),
    attach: unary("Attach", (req) => {
      logger.setEngineAddress(req.getAddress());
      return new emptypb.Empty();
    }),
    getPluginInfo: unary("GetPluginInfo", () => {
      const info = new pluginpb.PluginInfo();
      info.setVersion(provider.version);
      return info;
    }),
    getSchema: unary("GetSchema", (req) => {
      const resp = new provpb.GetSchemaResponse();
      resp.setSchema(req.getVersion() === 0 ? provider.getSchema() : "{}");
      return resp;
    }),
    checkConfig: unary("CheckConfig", (req) => {
      const r = provider.checkConfig(toBag(req.getNews()));
      const resp = new provpb.CheckResponse();
      resp.setInputs(toStruct(r.inputs));
      resp.setFailuresList(failureList(r.failures));
      return resp;
    }),
    diffConfig: unary("DiffConfig", (req) => diffResponse(provider.diffConfig(toBag(req.getOlds()), toBag(req.getNews())))),
    configure: unary("Configure", (req) => {
      const variables: Record<string, string> = {};
      req.getVariablesMap().forEach((v, k) => (variables[k] = v));
      provider.configure(req.hasArgs() ? toBag(req.getArgs()) : undefined, variables);
      const resp = new provpb.ConfigureResponse();
      resp.setAcceptsecrets(true);
      resp.setSupportspreview(true);
      resp.setAcceptresources(false);
      resp.setAcceptoutputs(false);
      return resp;
    }),
    check: unary("Check", async (req) => {
      const r = await provider.check(req.getUrn(), toBag(req.getOlds()), toBag(req.getNews()), seedOf(req));
      const resp = new provpb.CheckResponse();
      resp.setInputs(toStruct(r.inputs));
      resp.setFailuresList(failureList(r.failures));
      return resp;
    }),
    diff: unary("Diff", async (req) => diffResponse(await provider.diff(req.getUrn(), req.getId(), toBag(req.getOlds()), toBag(req.getNews())))),
    create: unary("Create", async (req) => {
      const r = await provider.create(req.getUrn(), toBag(req.getProperties()), req.getPreview());
      const resp = new provpb.CreateResponse();
      resp.setId(r.id);
      resp.setProperties(toStruct(r.properties));
      return resp;
    }),
    read: unary("Read", async (req) => {
      const r = await provider.read(req.getUrn(), req.getId(), toBag(req.getProperties()), toBag(req.getInputs()));
      const resp = new provpb.ReadResponse();
      resp.setId(r.id);
      resp.setProperties(toStruct(r.properties));
      resp.setInputs(toStruct(r.inputs));
      return resp;
    }),
    update: unary("Update", async (req) => {
      const r = await provider.update(req.getUrn(), req.getId(), toBag(req.getOlds()), toBag(req.getNews()), req.getPreview());
      const resp = new provpb.UpdateResponse();
      resp.setProperties(toStruct(r.properties));
      return resp;
    }),
    delete: unary("Delete", async (req) => {
      await provider.delete(req.getUrn(), req.getId(), toBag(req.getProperties()));
      return new emptypb.Empty();
    }),
    invoke: unary("Invoke", async (req) => {
      const r = await provider.invoke(req.getTok(), toBag(req.getArgs()));
      const resp = new provpb.InvokeResponse();
      resp.setReturn(toStruct(r.result));
      resp.setFailuresList(failureList(r.failures));
      return resp;
    }),
    cancel: unary("Cancel", () => {
      provider.cancel();
      return new emptypb.Empty();
    }),
  };
}

/** Serves the provider on 127.0.0.1 (a free port unless given) and resolves with the port. */
export async function serve(provider: NativeProvider, logger: EngineLogger, port = 0): Promise<{ port: number; server: grpcTypes.Server }> {
  const { grpc, provrpc } = loadEngineRpc();
  const server = new grpc.Server({ "grpc.max_receive_message_length": 400 * 1024 * 1024 });
  server.addService(provrpc.ResourceProviderService, providerService(provider, logger) as grpcTypes.UntypedServiceImplementation);
  const bound = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
  });
  return { port: bound, server };
}
