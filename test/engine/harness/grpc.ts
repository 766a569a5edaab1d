// The pulumirpc stubs the harness drives providers with: the same loader the native plugin serves with
// (plugin/rpc.ts), resolving @pulumi/pulumi from the harness's directory by default.
import { loadEngineRpc, pulumiDir as resolvePulumiDir, type EngineRpc } from "../../../plugin/rpc";

export type PulumiRpc = EngineRpc;

/** The directory of the `@pulumi/pulumi` package in use (resolved from `fromDir`, default: the harness itself). */
export function pulumiDir(fromDir: string = __dirname): string {
  return resolvePulumiDir(fromDir);
}

export function loadPulumiRpc(fromDir: string = __dirname): PulumiRpc {
  return loadEngineRpc(fromDir);
}
