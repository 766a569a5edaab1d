/**
 * The native provider's behaviour, RPC by RPC, over plain property bags (the gRPC glue is in ./server.ts): the same
 * resource handlers as the dynamic provider, plus what a native provider owes the engine and the dynamic provider
 * leaves to the SDK or cannot do — explicit provider configuration (CheckConfig / DiffConfig / Configure), the
 * engine's random seed, detailed diffs with stable outputs, previews of create and update, secrets kept secret, Read
 * with only an id (`pulumi import`), and invokes.
 *
 * Values arrive with secrets wrapped (`acceptSecrets`) and unknowns as the UNKNOWN string: they are unwrapped for the
 * handlers, and every result marks secret each property whose input was secret plus the outputs a resource declares
 * secret (`appKey`, `appSign`).
 */
import { LiveConfigError } from "../provider/client/errors";
import { readProviderConfig, setProviderConfig, CONFIG_NAMESPACE } from "../provider/resources/config";
import { ResourceInitError } from "../provider/resources/errors";
import { defined, sameValue, type PropertyBag } from "../provider/resources/property-bag";
import { runWithRequestContext } from "../provider/resources/request-context";
import { containsUnknown } from "../provider/resources/unknown";
import type { CheckFailure } from "../provider/resources/validate";
import { CONFIG } from "../provider/resources/package-spec";
import { NATIVE_FUNCTIONS, validateArgs } from "./functions";
import { NATIVE_RESOURCES, PACKAGE, type NativeResourceKind } from "./resources";
import { UNKNOWN, unwrap, withSecrets } from "./wire";

/** The provider's configuration keys (`livemessage:<key>`), as declared; the secret ones are always stored as secrets. */
export const CONFIG_KEYS: readonly string[] = Object.keys(CONFIG);
export const SECRET_CONFIG_KEYS: readonly string[] = CONFIG_KEYS.filter((k) => CONFIG[k]!.secret);
/** Keys the engine itself adds to a provider's inputs. */
const ENGINE_CONFIG_KEYS: readonly string[] = ["version", "pluginDownloadURL"];

export type DiffKind = "add" | "add-replace" | "delete" | "delete-replace" | "update" | "update-replace";

export interface DiffResult {
  changes: boolean;
  replaces: string[];
  stables: string[];
  deleteBeforeReplace: boolean;
  detailedDiff: Record<string, DiffKind>;
}

/** A step failed after the remote object came to exist: the engine records `id` and `properties`. */
export class PartialFailure extends Error {
  constructor(
    readonly id: string,
    readonly properties: PropertyBag,
    readonly reasons: string[],
    message: string,
  ) {
    super(message);
    this.name = "PartialFailure";
  }
}

/** `urn:pulumi:<stack>::<project>::<parent types$>type::<name>` → type token and name. */
export function parseUrn(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  if (parts.length < 4) throw new LiveConfigError(`malformed URN ${JSON.stringify(urn)}`);
  const qualified = parts[2]!;
  return { type: qualified.slice(qualified.lastIndexOf("$") + 1), name: parts.slice(3).join("::") };
}

/** A config value as a string, as `readProviderConfig` expects: SDKs send non-string provider inputs as JSON text. */
function configString(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "boolean" || typeof v === "number") return String(v);
  return JSON.stringify(v);
}

function configGetter(bag: PropertyBag): (key: string) => string | undefined {
  return (key) => (key.startsWith(`${CONFIG_NAMESPACE}:`) ? configString(bag[key.slice(CONFIG_NAMESPACE.length + 1)]) : undefined);
}

function diffKind(old: unknown, next: unknown, replace: boolean): DiffKind {
  const base = old === undefined || old === null ? "add" : next === undefined || next === null ? "delete" : "update";
  return replace ? `${base}-replace` : base;
}

function sameSet(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) return sameValue(a, b);
  return sameValue([...a].map(String).sort(), [...b].map(String).sort());
}

export class NativeProvider {
  private readonly resources = new Map<string, NativeResourceKind>(NATIVE_RESOURCES.map((r) => [r.token, r]));
  private readonly functions = new Map(NATIVE_FUNCTIONS.map((f) => [f.token, f]));
  private cancelled = false;

  constructor(
    readonly version: string,
    private readonly schemaText: string,
  ) {}

  getSchema(): string {
    return this.schemaText;
  }

  // ---- provider configuration ------------------------------------------------------------------------------

  /** Validates the provider's inputs key by key; secret keys come back as secrets, whatever the program sent. */
  checkConfig(news: PropertyBag): { inputs: PropertyBag; failures: CheckFailure[] } {
    const { bag } = unwrap(news);
    const failures: CheckFailure[] = [];
    for (const key of Object.keys(bag)) {
      if (key.startsWith("__") || ENGINE_CONFIG_KEYS.includes(key) || CONFIG_KEYS.includes(key)) continue;
      failures.push({
        property: key,
        reason: `unknown configuration key ${CONFIG_NAMESPACE}:${key}; the accepted keys are ${CONFIG_KEYS.map((k) => `${CONFIG_NAMESPACE}:${k}`).join(", ")}.`,
      });
    }
    for (const key of CONFIG_KEYS) {
      if (containsUnknown(bag[key]) || bag[key] === undefined) continue;
      // accessKeyId and accessKeySecret are validated as a pair, once (on accessKeySecret).
      if (key === "accessKeyId") continue;
      const only: PropertyBag = key === "accessKeySecret" ? { accessKeyId: bag.accessKeyId, accessKeySecret: bag.accessKeySecret } : { [key]: bag[key] };
      if (containsUnknown(only.accessKeyId)) continue;
      try {
        readProviderConfig(configGetter(only), {});
      } catch (e) {
        if (!(e instanceof LiveConfigError)) throw e;
        failures.push({ property: key, reason: e.message });
      }
    }
    if (bag.accessKeyId !== undefined && bag.accessKeySecret === undefined) {
      failures.push({
        property: "accessKeySecret",
        reason: `${CONFIG_NAMESPACE}:accessKeyId is set, so ${CONFIG_NAMESPACE}:accessKeySecret must be set too (as a secret).`,
      });
    }
    return { inputs: withSecrets(bag, SECRET_CONFIG_KEYS), failures };
  }

  /** A changed configuration updates the provider in place; it never replaces the resources it manages. */
  diffConfig(olds: PropertyBag, news: PropertyBag): DiffResult {
    const o = unwrap(olds).bag;
    const n = unwrap(news).bag;
    const detailedDiff: Record<string, DiffKind> = {};
    for (const key of new Set([...Object.keys(o), ...Object.keys(n)])) {
      if (key === "version") continue;
      if (containsUnknown(n[key]) || configString(o[key]) !== configString(n[key])) detailedDiff[key] = diffKind(o[key], n[key], false);
    }
    return { changes: Object.keys(detailedDiff).length > 0, replaces: [], stables: [], deleteBeforeReplace: false, detailedDiff };
  }

  configure(args: PropertyBag | undefined, variables: Record<string, string>): void {
    let get: (key: string) => string | undefined;
    if (args && Object.keys(args).length > 0) {
      get = configGetter(unwrap(args).bag);
    } else {
      // Engines that send no `args` name each key `<package>:config:<key>`.
      get = (key) => variables[key.replace(`${CONFIG_NAMESPACE}:`, `${CONFIG_NAMESPACE}:config:`)];
    }
    // One provider instance per plugin process: the engine starts a process for every provider resource.
    setProviderConfig(readProviderConfig(get));
  }

  cancel(): void {
    this.cancelled = true;
  }

  // ---- resources ---------------------------------------------------------------------------------------------

  private kindOf(urn: string): { kind: NativeResourceKind; name: string } {
    const { type, name } = parseUrn(urn);
    const kind = this.resources.get(type);
    if (!kind) {
      throw new LiveConfigError(`unknown resource type ${type}; the ${PACKAGE} package has ${[...this.resources.keys()].join(", ")}.`);
    }
    return { kind, name };
  }

  private guard(): void {
    if (this.cancelled) throw new LiveConfigError("the deployment was cancelled; this provider accepts no more operations.");
  }

  async check(urn: string, olds: PropertyBag, news: PropertyBag, randomSeed?: Uint8Array): Promise<{ inputs: PropertyBag; failures: CheckFailure[] }> {
    this.guard();
    const { kind, name } = this.kindOf(urn);
    const n = unwrap(news);
    let prepared = n.bag.__resourceName === undefined ? { ...n.bag, __resourceName: name } : n.bag;
    if (kind.prepare) prepared = kind.prepare(prepared, name);
    const r = await runWithRequestContext({ urn, randomSeed }, () => kind.handler.check(unwrap(olds).bag, prepared));
    return { inputs: withSecrets(defined(r.inputs), n.secretKeys), failures: r.failures };
  }

  async diff(urn: string, id: string, olds: PropertyBag, news: PropertyBag): Promise<DiffResult> {
    this.guard();
    const { kind } = this.kindOf(urn);
    const o = unwrap(olds).bag;
    const n = unwrap(news).bag;
    const r = await runWithRequestContext({ urn }, () => kind.handler.diff(id, o, n));
    const detailedDiff: Record<string, DiffKind> = {};
    if (r.changes) {
      for (const f of kind.inputFields) {
        const same = kind.unorderedInputs.includes(f) ? sameSet : sameValue;
        if (!containsUnknown(n[f]) && same(o[f], n[f])) continue;
        detailedDiff[f] = diffKind(o[f], n[f], r.replaces.includes(f));
      }
    }
    return {
      changes: r.changes,
      replaces: r.replaces,
      // Replace-forcing inputs cannot change in an in-place update, nor can the stable computed outputs.
      stables: r.replaces.length === 0 ? [...kind.replaceFields, ...kind.stableOutputs] : [],
      deleteBeforeReplace: r.deleteBeforeReplace === true,
      detailedDiff,
    };
  }

  async create(urn: string, properties: PropertyBag, preview: boolean): Promise<{ id: string; properties: PropertyBag }> {
    this.guard();
    const { kind } = this.kindOf(urn);
    const p = unwrap(properties);
    const secretKeys = [...p.secretKeys, ...kind.secretOutputs];
    if (preview) {
      const outs: PropertyBag = { ...p.bag };
      for (const k of kind.computedOutputs) if (outs[k] === undefined) outs[k] = UNKNOWN;
      return { id: "", properties: withSecrets(outs, secretKeys) };
    }
    try {
      const r = await runWithRequestContext({ urn }, () => kind.handler.create(p.bag));
      return { id: r.id, properties: withSecrets(defined(r.outs), secretKeys) };
    } catch (e) {
      if (e instanceof ResourceInitError) throw new PartialFailure(e.id, withSecrets(defined(e.properties), secretKeys), e.reasons, e.message);
      throw e;
    }
  }

  /**
   * Refresh (properties = last outputs) or import (`pulumi import`, the `import` option, `.get`: properties empty,
   * only the id). A blank id means gone. The inputs of an imported resource leave out every input equal to the
   * default `check` fills in, so the code `pulumi import` generates shows only what was set.
   */
  async read(urn: string, id: string, properties: PropertyBag, inputs: PropertyBag): Promise<{ id: string; properties: PropertyBag; inputs: PropertyBag }> {
    this.guard();
    const { kind } = this.kindOf(urn);
    const p = unwrap(properties);
    const i = unwrap(inputs);
    const importing = Object.keys(p.bag).length === 0;
    const r = await runWithRequestContext({ urn }, () => kind.handler.read(id, p.bag));
    if (!r.id) return { id: "", properties: {}, inputs: {} };
    let readInputs = defined(r.inputs);
    if (importing) {
      const defaults = kind.defaults();
      readInputs = Object.fromEntries(
        Object.entries(readInputs).filter(([k, v]) => !k.startsWith("__") && !(k in defaults && sameValue(defaults[k], v))),
      );
    }
    const secretKeys = new Set([...p.secretKeys, ...i.secretKeys, ...kind.secretOutputs]);
    return { id: r.id, properties: withSecrets(defined(r.props), secretKeys), inputs: withSecrets(readInputs, secretKeys) };
  }

  async update(urn: string, id: string, olds: PropertyBag, news: PropertyBag, preview: boolean): Promise<{ properties: PropertyBag }> {
    this.guard();
    const { kind } = this.kindOf(urn);
    const o = unwrap(olds);
    const n = unwrap(news);
    const secretKeys = [...n.secretKeys, ...kind.secretOutputs];
    if (preview) {
      const outs: PropertyBag = { ...o.bag, ...n.bag };
      for (const k of kind.computedOutputs) if (!kind.stableOutputs.includes(k)) outs[k] = UNKNOWN;
      return { properties: withSecrets(outs, secretKeys) };
    }
    try {
      const r = await runWithRequestContext({ urn }, () => kind.handler.update(id, o.bag, n.bag));
      return { properties: withSecrets(defined(r.outs), secretKeys) };
    } catch (e) {
      if (e instanceof ResourceInitError) throw new PartialFailure(e.id, withSecrets(defined(e.properties), secretKeys), e.reasons, e.message);
      throw e;
    }
  }

  async delete(urn: string, id: string, properties: PropertyBag): Promise<void> {
    this.guard();
    const { kind } = this.kindOf(urn);
    await runWithRequestContext({ urn }, () => kind.handler.delete(id, unwrap(properties).bag));
  }

  // ---- functions -------------------------------------------------------------------------------------------------

  async invoke(token: string, args: PropertyBag): Promise<{ result: PropertyBag; failures: CheckFailure[] }> {
    this.guard();
    const fn = this.functions.get(token);
    if (!fn) throw new LiveConfigError(`unknown function ${token}; the ${PACKAGE} package has ${[...this.functions.keys()].join(", ")}.`);
    const a = unwrap(args);
    const failures = validateArgs(fn, a.bag);
    if (failures.length > 0) return { result: {}, failures };
    const result = await fn.call(a.bag);
    return { result: withSecrets(defined(result), [...fn.secretOutputs]), failures: [] };
  }
}
