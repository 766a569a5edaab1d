// Messages between the harness (the "engine") and the program child process (the "language host"), over the
// Node IPC channel. Property maps are in wire format (secrets wrapped, unknowns as the sentinel string).
import type { PropertyMap } from "./wire";

/** What a RegisterResourceRequest carries that the engine acts on. */
export interface RegistrationRequest {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent: string;
  inputs: PropertyMap;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  provider: string;
  importId: string;
  /** Undefined when the program did not set the option. */
  deleteBeforeReplace?: boolean;
  protect?: boolean;
  retainOnDelete?: boolean;
  additionalSecretOutputs: string[];
  ignoreChanges: string[];
  replaceOnChanges: string[];
  deletedWith: string;
}

/** A ReadResourceRequest (`Resource.get`). */
export interface ReadRequest {
  urn: string;
  type: string;
  name: string;
  id: string;
  parent: string;
  inputs: PropertyMap;
  dependencies: string[];
  provider: string;
  additionalSecretOutputs: string[];
}

export type ChildMessage =
  | { t: "register"; seq: number; req: RegistrationRequest }
  | { t: "read"; seq: number; req: ReadRequest }
  | { t: "outputs"; urn: string; outputs: PropertyMap }
  | { t: "done"; ok: boolean; error?: string };

export type HostMessage =
  | { t: "reply"; seq: number; ok: true; id?: string; outputs: PropertyMap }
  | { t: "reply"; seq: number; ok: false; error: string };

/** Parameters for the program child, passed in the HARNESS_PROGRAM_PARAMS environment variable. */
export interface ProgramParams {
  programDir: string;
  main?: string;
  project: string;
  stack: string;
  organization: string;
  preview: boolean;
}

export const PROGRAM_PARAMS_ENV = "HARNESS_PROGRAM_PARAMS";
export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/**
 * The engine's URN rule (resource.NewURN): the parent's qualified type prefixes the type, except for the root
 * stack, so top-level resources read `urn:pulumi:<stack>::<project>::<type>::<name>`.
 */
export function makeUrn(stack: string, project: string, parentUrn: string, type: string, name: string): string {
  let qualified = type;
  if (parentUrn) {
    const parentQualified = parentUrn.split("::")[2] ?? "";
    if (parentQualified && parentQualified !== ROOT_STACK_TYPE) qualified = `${parentQualified}$${type}`;
  }
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}
