// The harness's checkpoint: what the engine would store for a stack, and the results of operations.
import type { LogEntry } from "./logs";
import type { RpcRecord } from "./provider-session";
import {
  copy,
  decryptSecrets,
  encryptSecrets,
  isSecret,
  PROVIDER_KEY,
  toOutputValues,
  type OutputValue,
  type PropertyMap,
  type PropertyValue,
} from "./wire";

/** One resource as a Pulumi checkpoint records it; inputs/outputs keep secrets wrapped as Pulumi secrets. */
export interface ResourceState {
  urn: string;
  type: string;
  custom: boolean;
  /** Absent for components and for resources a preview would create. */
  id?: string;
  inputs: PropertyMap;
  outputs: PropertyMap;
  parent?: string;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  /** Provider reference (`<provider urn>::<provider id>`) for custom resources. */
  provider?: string;
  /** Size in bytes of the serialized `__provider` input of a dynamic resource. */
  providerSize?: number;
  /** Read with `Resource.get`: not managed, never deleted. */
  external?: boolean;
  /** Replaced (create-before-delete) and waiting to be deleted. */
  delete?: boolean;
  /** Deleted by a delete-before-replace whose create has not succeeded yet. */
  pendingReplacement?: boolean;
  protect?: boolean;
  retainOnDelete?: boolean;
  /** Set by a partial failure (ErrorResourceInitFailed): the next `up` updates the resource even without a diff. */
  initErrors?: string[];
  additionalSecretOutputs?: string[];
  importId?: string;
  ignoreChanges?: string[];
  replaceOnChanges?: string[];
  deleteBeforeReplace?: boolean;
  deletedWith?: string;
}

export type StepOp =
  | "same"
  | "create"
  | "update"
  | "replace"
  | "delete"
  | "delete-replaced"
  | "read"
  | "import"
  | "discard";

export interface StepResult {
  op: StepOp;
  urn: string;
  type: string;
  name: string;
  /** The resource's ID after the step (unknown in a preview of a create). */
  id?: string;
  /** The replaced resource's ID. */
  oldId?: string;
  /** Changed top-level properties: the provider's list, else the engine's own comparison of the inputs. */
  diffs: string[];
  replaces: string[];
  detailedDiff?: Record<string, { kind: string; inputDiff: boolean }>;
  deleteBeforeReplace?: boolean;
  status: "succeeded" | "failed";
  error?: string;
  initErrors?: string[];
}

export interface CheckFailure {
  urn: string;
  property: string;
  reason: string;
}

export type OperationKind = "preview" | "up" | "refresh" | "destroy";

export interface OperationResult {
  kind: OperationKind;
  steps: StepResult[];
  /** Stack outputs (what the program exports); values are plain, `secret` says whether they were secret. */
  outputs: Record<string, OutputValue>;
  failures: CheckFailure[];
  /** Set when the operation failed: the provider's messages (gRPC details) and program errors. */
  error?: string;
  logs: LogEntry[];
  /** Every provider RPC in the order it was sent (payloads as marshalled, i.e. secrets stripped). */
  rpcs: RpcRecord[];
  /** Count of steps per op (the engine's change summary). */
  summary: Partial<Record<StepOp, number>>;
  /** PID of the provider process this operation used (undefined when no provider was needed). */
  providerPid?: number;
  /** The step for the resource with this name (or URN); the last one when several match. */
  step(nameOrUrn: string, op?: StepOp): StepResult | undefined;
  /** Log lines whose message contains `text`. */
  logsMatching(text: string | RegExp): LogEntry[];
}

export function resourceName(urn: string): string {
  return urn.split("::").slice(3).join("::");
}

export function makeResult(init: Omit<OperationResult, "step" | "logsMatching" | "summary">): OperationResult {
  const summary: Partial<Record<StepOp, number>> = {};
  for (const s of init.steps) if (s.status === "succeeded") summary[s.op] = (summary[s.op] ?? 0) + 1;
  return {
    ...init,
    summary,
    step(nameOrUrn: string, op?: StepOp) {
      const hits = init.steps.filter((s) => (s.urn === nameOrUrn || s.name === nameOrUrn) && (!op || s.op === op));
      return hits[hits.length - 1];
    },
    logsMatching(text: string | RegExp) {
      return init.logs.filter((l) => (typeof text === "string" ? l.message.includes(text) : text.test(l.message)));
    },
  };
}

export function providerSizeOf(inputs: PropertyMap): number | undefined {
  let p: PropertyValue | undefined = inputs[PROVIDER_KEY];
  if (isSecret(p)) p = p.value;
  return typeof p === "string" ? Buffer.byteLength(p, "utf8") : undefined;
}

export function stackOutputs(resources: readonly ResourceState[], stackUrn: string): Record<string, OutputValue> {
  return toOutputValues(resources.find((r) => r.urn === stackUrn)?.outputs);
}

// ---- export / import ---------------------------------------------------------------------------------------

/** `pulumi stack export`-like document; secrets are AES-256-GCM ciphertext behind the secret signature. */
export interface ExportedDeployment {
  version: 3;
  deployment: {
    manifest: { time: string; magic: string; version: string };
    secrets_providers: { type: string; state: { note: string } };
    resources: ResourceState[];
  };
}

export function exportDeployment(resources: readonly ResourceState[], key: Buffer, pulumiVersion: string): string {
  const doc: ExportedDeployment = {
    version: 3,
    deployment: {
      manifest: { time: new Date().toISOString(), magic: "engine-harness", version: pulumiVersion },
      secrets_providers: {
        type: "harness-aes-256-gcm",
        state: { note: "per-stack key held by the TestStack (see wire.ts encryptSecrets)" },
      },
      resources: resources.map((r) => ({
        ...r,
        inputs: encryptSecrets(copy(r.inputs), key) as PropertyMap,
        outputs: encryptSecrets(copy(r.outputs), key) as PropertyMap,
      })),
    },
  };
  return JSON.stringify(doc, null, 2);
}

export function importDeployment(text: string, key: Buffer): ResourceState[] {
  const doc = JSON.parse(text) as ExportedDeployment;
  if (doc.version !== 3 || !Array.isArray(doc.deployment?.resources)) throw new Error("not a harness state export");
  return doc.deployment.resources.map((r) => ({
    ...r,
    inputs: decryptSecrets(r.inputs, key) as PropertyMap,
    outputs: decryptSecrets(r.outputs, key) as PropertyMap,
  }));
}

export function cloneResources(resources: readonly ResourceState[]): ResourceState[] {
  return JSON.parse(JSON.stringify(resources)) as ResourceState[];
}
