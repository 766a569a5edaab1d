/**
 * The engine's gRPC protocol, as generated stubs: loaded from the `@pulumi/pulumi` package installed next to this
 * one, with `@grpc/grpc-js` and `google-protobuf` resolved from @pulumi/pulumi's own directory, so the stubs and the
 * server share ONE grpc-js instance (two copies fail with "not a valid channel").
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

let loaded: EngineRpc | undefined;

export function loadEngineRpc(): EngineRpc {
  if (loaded) return loaded;
  const dir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  const dep = <T>(m: string): T => require(require.resolve(m, { paths: [dir] })) as T;
  const own = <T>(rel: string): T => require(path.join(dir, rel)) as T;
  loaded = {
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
  return loaded;
}
