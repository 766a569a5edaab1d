/**
 * Connects the engine-agnostic handlers to Pulumi's dynamic-provider interface. The SDK's serialized
 * `__provider` objects call into the providers below through a lazy `require("pulumi-alicloud-livemessage/dynamic")`
 * (DESIGN.md rule 1), which is why this adapter lives in the provider entry and only uses Pulumi *types*.
 */
import type * as pulumi from "@pulumi/pulumi";
import { appHandler } from "./app/handler";
import { readProviderConfig, setProviderConfig } from "./config";
import { ResourceInitError } from "./errors";
import { groupHandler } from "./group/handler";
import { seedMessageHandler } from "./seed-message/handler";
import type { ResourceHandler } from "./handler";
import { defined, type PropertyBag } from "./property-bag";

const PROVIDER_KEY = "__provider";

function withoutProvider(bag: PropertyBag | undefined): PropertyBag {
  if (!bag) return {};
  const { [PROVIDER_KEY]: _ignored, ...rest } = bag;
  return rest;
}

export type DynamicProvider = Required<pulumi.dynamic.ResourceProvider>;

/** Wraps a handler as a dynamic ResourceProvider. */
export function toDynamicProvider(handler: ResourceHandler): DynamicProvider {
  return {
    async configure(req) {
      setProviderConfig(readProviderConfig((key) => req.config.get(key)));
    },
    async check(olds, news) {
      const r = await handler.check(withoutProvider(olds), withoutProvider(news));
      return { inputs: defined(r.inputs), failures: r.failures };
    },
    async diff(id, olds, news) {
      const r = await handler.diff(id, withoutProvider(olds), withoutProvider(news));
      return defined({ changes: r.changes, replaces: r.replaces, stables: r.stables, deleteBeforeReplace: r.deleteBeforeReplace });
    },
    async create(inputs) {
      try {
        const r = await handler.create(withoutProvider(inputs));
        return { id: r.id, outs: defined(r.outs) };
      } catch (e) {
        // Pulumi records a partially created resource from the error's id and properties; without `__provider` in
        // those properties it could never refresh, update or delete it.
        if (e instanceof ResourceInitError) e.properties = defined({ ...e.properties, [PROVIDER_KEY]: inputs[PROVIDER_KEY] });
        throw e;
      }
    },
    async read(id, props) {
      const r = await handler.read(id, withoutProvider(props));
      return r.id ? { id: r.id, props: defined(r.props), inputs: defined(r.inputs) } : { id: "", props: {} };
    },
    async update(id, olds, news) {
      const r = await handler.update(id, withoutProvider(olds), withoutProvider(news));
      return { outs: defined(r.outs) };
    },
    async delete(id, props) {
      await handler.delete(id, withoutProvider(props));
    },
  };
}

// The dynamic providers the SDK's resources use, one per resource kind. They are top-level exports of this module
// (`pulumi-alicloud-livemessage/dynamic`) with short names, because the text that reaches them is serialized into
// every resource's `__provider` (sdk/lazy-provider.ts), which must stay under 2 KB.
export const app = toDynamicProvider(appHandler);
export const group = toDynamicProvider(groupHandler);
export const seed = toDynamicProvider(seedMessageHandler);

/** The same providers by resource kind. */
export const providers = { app, group, seed } as const;
