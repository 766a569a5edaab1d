/**
 * The engine's gRPC protocol, as generated stubs: loaded from an installed `@pulumi/pulumi` (by default the one this
 * package resolves), with `@grpc/grpc-js` and `google-protobuf` resolved from @pulumi/pulumi's own directory, so the
 * stubs and the server (or a test's client) share ONE grpc-js instance (two copies fail with "not a valid channel").
 * The plugin serves with it; the engine-protocol test harness (test/engine/harness) drives providers with it.
 */
import * as path from "node:path";
import type * as GrpcJs from "@grpc/grpc-js";
import type * as AnyPb from "google-protobuf/google/protobuf/any_pb";
import type * as EmptyPb from "google-protobuf/google/protobuf/empty_pb";
import type * as StructPb from "google-protobuf/google/protobuf/struct_pb";
import type * as EngineGrpcPb from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as EnginePb from "@pulumi/pulumi/proto/engine_pb";
import type * as PluginPb from "@pulumi/pulumi/proto/plugin_pb";
import type * as ProviderGrpcPb from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as ProviderPb from "@pulumi/pulumi/proto/provider_pb";
import type * as StatusPb from "@pulumi/pulumi/proto/status_pb";

export interface EngineRpc {
  /** Directory of the @pulumi/pulumi package the stubs come from. */
  dir: string;
  version: string;
  grpc: typeof GrpcJs;
  anypb: typeof AnyPb;
  emptypb: typeof EmptyPb;
  structpb: typeof StructPb;
  enginepb: typeof EnginePb;
  enginerpc: typeof EngineGrpcPb;
  pluginpb: typeof PluginPb;
  provpb: typeof ProviderPb;
  provrpc: typeof ProviderGrpcPb;
  statuspb: typeof StatusPb;
}

const loaded = new Map<string, EngineRpc>();

/** The directory of the `@pulumi/pulumi` package resolved from `fromDir` (default: this package). */
export function pulumiDir(fromDir?: string): string {
  return path.dirname(require.resolve("@pulumi/pulumi/package.json", fromDir ? { paths: [fromDir] } : undefined));
}

export function loadEngineRpc(fromDir?: string): EngineRpc {
  const dir = pulumiDir(fromDir);
  const hit = loaded.get(dir);
  if (hit) return hit;
  const dep = <T>(m: string): T => require(require.resolve(m, { paths: [dir] })) as T;
  const own = <T>(rel: string): T => require(path.join(dir, rel)) as T;
  const rpc: EngineRpc = {
    dir,
    version: own<{ version: string }>("package.json").version,
    grpc: dep<typeof GrpcJs>("@grpc/grpc-js"),
    anypb: dep<typeof AnyPb>("google-protobuf/google/protobuf/any_pb"),
    emptypb: dep<typeof EmptyPb>("google-protobuf/google/protobuf/empty_pb"),
    structpb: dep<typeof StructPb>("google-protobuf/google/protobuf/struct_pb"),
    enginepb: own<typeof EnginePb>("proto/engine_pb"),
    enginerpc: own<typeof EngineGrpcPb>("proto/engine_grpc_pb"),
    pluginpb: own<typeof PluginPb>("proto/plugin_pb"),
    provpb: own<typeof ProviderPb>("proto/provider_pb"),
    provrpc: own<typeof ProviderGrpcPb>("proto/provider_grpc_pb"),
    statuspb: own<typeof StatusPb>("proto/status_pb"),
  };
  loaded.set(dir, rpc);
  return rpc;
}
