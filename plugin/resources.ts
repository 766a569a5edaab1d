/**
 * What the native provider needs to know about each resource kind beyond its handler — the type token, which inputs
 * force a replacement, which outputs are secret, computed, or stable through an update, and the defaults `check`
 * fills in (left out of an imported resource's inputs, so generated code shows only what differs) — all read from
 * the resource's field declaration (`provider/resources/<kind>/fields.ts`).
 */
import { appHandler } from "../provider/resources/app/handler";
import { defaultDataCenter } from "../provider/resources/config";
import {
  computedNames,
  inputDefaults,
  inputNames,
  replaceNames,
  secretNames,
  stableNames,
  unorderedNames,
  type ResourceSpec,
} from "../provider/resources/fields";
import { groupHandler } from "../provider/resources/group/handler";
import type { ResourceHandler } from "../provider/resources/handler";
import { PACKAGE_NAME } from "../provider/resources/package-spec";
import { appSpec } from "../provider/resources/app/schema";
import { groupSpec } from "../provider/resources/group/schema";
import type { PropertyBag } from "../provider/resources/property-bag";
import { seedMessageHandler } from "../provider/resources/seed-message/handler";
import { seedMessageSpec } from "../provider/resources/seed-message/schema";

export const PACKAGE = PACKAGE_NAME;

export interface NativeResourceKind {
  readonly token: string;
  readonly handler: ResourceHandler;
  readonly inputFields: readonly string[];
  readonly replaceFields: readonly string[];
  /** Inputs compared as sets (the service may return them in another order). */
  readonly unorderedInputs: readonly string[];
  /** Outputs that are always secret. */
  readonly secretOutputs: readonly string[];
  /** Outputs the service computes: unknown in the preview of a create. */
  readonly computedOutputs: readonly string[];
  /** Computed outputs an in-place update never changes: kept known in the preview of an update. */
  readonly stableOutputs: readonly string[];
  /** The values `check` fills in for omitted inputs. */
  defaults(): PropertyBag;
  /** What the dynamic SDK's class does to the inputs on the program side, done here for the native path. */
  prepare?(news: PropertyBag, resourceName: string): PropertyBag;
}

/** AppName must be 2–16 characters: the resource name, cut to 16; none when shorter than 2. */
export function defaultAppName(resourceName: string): string | undefined {
  const chars = [...resourceName].slice(0, 16);
  return chars.length >= 2 ? chars.join("") : undefined;
}

function kind(spec: ResourceSpec, handler: ResourceHandler, prepare?: NativeResourceKind["prepare"]): NativeResourceKind {
  return {
    token: `${PACKAGE}:index:${spec.name}`,
    handler,
    inputFields: inputNames(spec),
    replaceFields: replaceNames(spec),
    unorderedInputs: unorderedNames(spec),
    secretOutputs: secretNames(spec),
    computedOutputs: computedNames(spec),
    stableOutputs: stableNames(spec),
    defaults: () => inputDefaults(spec, defaultDataCenter()),
    ...(prepare ? { prepare } : {}),
  };
}

export const NATIVE_RESOURCES: readonly NativeResourceKind[] = [
  kind(appSpec, appHandler, (news, resourceName) => {
    const appName = news.appName ?? defaultAppName(resourceName);
    return appName === undefined ? news : { ...news, appName };
  }),
  kind(groupSpec, groupHandler),
  kind(seedMessageSpec, seedMessageHandler),
];
