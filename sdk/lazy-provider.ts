import type * as pulumi from "@pulumi/pulumi";

export type ProviderKind = "app" | "group" | "seed";

/**
 * The dynamic provider of one resource kind: small functions that `require()` the INSTALLED package inside Pulumi's
 * provider process (DESIGN.md rule 1) — no client, config, schema or credential is ever captured, and upgrades of the
 * package reach existing resources.
 *
 * Each kind's provider is the whole `module.exports` of `sdk/dynamic/<kind>.ts`, exported as the package subpath
 * `pulumi-alicloud-livemessage/dynamic/<kind>`. For a package installed in node_modules, Pulumi's closure serializer
 * then stores just `require("<that module>")` in `__provider` (~300 bytes per resource). Only when the package lives
 * outside node_modules (`npm link`, a `file:` dependency) are these functions serialized by value; that text is kept
 * under 2 KB by the one-letter names here and the short `…/dynamic` entry.
 */
export function lazyProvider(k: ProviderKind): pulumi.dynamic.ResourceProvider {
  const p = () => require("pulumi-alicloud-livemessage/dynamic")[k];
  return {
    configure: (...a) => p().configure(...a),
    check: (...a) => p().check(...a),
    diff: (...a) => p().diff(...a),
    create: (...a) => p().create(...a),
    read: (...a) => p().read(...a),
    update: (...a) => p().update(...a),
    delete: (...a) => p().delete(...a),
  };
}
