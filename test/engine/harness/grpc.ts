// Loads @grpc/grpc-js, google-protobuf and the generated pulumirpc stubs from @pulumi/pulumi's own directory,
// so the stubs and the client share ONE grpc-js instance (two copies make "not a valid channel" errors).
import * as path from "path";
import type * as GrpcJs from "@grpc/grpc-js";
import type * as StructPb from "google-protobuf/google/protobuf/struct_pb";
import type * as EmptyPb from "google-protobuf/google/protobuf/empty_pb";
import type * as AnyPb from "google-protobuf/google/protobuf/any_pb";
import type * as ProviderPb from "@pulumi/pulumi/proto/provider_pb";
import type * as ProviderGrpcPb from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as StatusPb from "@pulumi/pulumi/proto/status_pb";

export interface PulumiRpc {
  /** Directory of the @pulumi/pulumi package in use. */
  dir: string;
  version: string;
  grpc: typeof GrpcJs;
  structpb: typeof StructPb;
  emptypb: typeof EmptyPb;
  anypb: typeof AnyPb;
  provpb: typeof ProviderPb;
  provrpc: typeof ProviderGrpcPb;
  statuspb: typeof StatusPb;
}

const cache = new Map<string, PulumiRpc>();

/** The directory of the `@pulumi/pulumi` package as resolved from `fromDir` (default: the harness itself). */
export function pulumiDir(fromDir: string = __dirname): string {
  return path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [fromDir] }));
}

export function loadPulumiRpc(fromDir: string = __dirname): PulumiRpc {
  const dir = pulumiDir(fromDir);
  const hit = cache.get(dir);
  if (hit) return hit;
  const dep = <T>(m: string): T => require(require.resolve(m, { paths: [dir] })) as T;
  const own = <T>(rel: string): T => require(path.join(dir, rel)) as T;
  const rpc: PulumiRpc = {
    dir,
    version: own<{ version: string }>("package.json").version,
    grpc: dep<typeof GrpcJs>("@grpc/grpc-js"),
    structpb: dep<typeof StructPb>("google-protobuf/google/protobuf/struct_pb"),
    emptypb: dep<typeof EmptyPb>("google-protobuf/google/protobuf/empty_pb"),
    anypb: dep<typeof AnyPb>("google-protobuf/google/protobuf/any_pb"),
    provpb: own<typeof ProviderPb>("proto/provider_pb"),
    provrpc: own<typeof ProviderGrpcPb>("proto/provider_grpc_pb"),
    statuspb: own<typeof StatusPb>("proto/status_pb"),
  };
  cache.set(dir, rpc);
  return rpc;
}
