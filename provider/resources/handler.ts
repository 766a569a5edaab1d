/**
 * The shape of a resource handler: the same lifecycle methods a `pulumi.dynamic.ResourceProvider` has, over plain
 * property bags, with no dependency on the Pulumi engine (the adapter in `./adapter.ts` connects the two).
 */
import type { CheckFailure } from "./validate";
import { sameValue, type PropertyBag } from "./property-bag";
import { containsUnknown } from "./unknown";

export interface CheckResult {
  inputs: PropertyBag;
  failures: CheckFailure[];
}

export interface DiffResult {
  changes: boolean;
  replaces: string[];
  /** Outputs an in-place update does not change (Pulumi's DiffResult.stables). */
  stables?: string[];
  deleteBeforeReplace?: boolean;
}

export interface ResourceHandler {
  /** Validates and fills defaults. `olds` are the previous inputs ({} for a new resource). */
  check(olds: PropertyBag, news: PropertyBag): Promise<CheckResult>;
  /** `olds` are the previous OUTPUTS (state), `news` the checked inputs. */
  diff(id: string, olds: PropertyBag, news: PropertyBag): Promise<DiffResult>;
  create(inputs: PropertyBag): Promise<{ id: string; outs: PropertyBag }>;
  /**
   * Refresh (props = last outputs) or import/get (props = the program's inputs, possibly empty).
   * A blank `id` means the resource is gone. `inputs` are returned so drift shows in the next diff.
   */
  read(id: string, props: PropertyBag): Promise<{ id: string; props: PropertyBag; inputs: PropertyBag }>;
  update(id: string, olds: PropertyBag, news: PropertyBag): Promise<{ outs: PropertyBag }>;
  delete(id: string, props: PropertyBag): Promise<void>;
}

/**
 * Compares the listed fields of the old outputs and the new inputs. A field whose new value is (or contains) an
 * unknown counts as changed — and as a replacement when it is replace-forcing (DESIGN.md rule 5).
 */
export function diffFields(
  olds: PropertyBag,
  news: PropertyBag,
  fields: { replace: readonly string[]; update: readonly string[] },
): DiffResult & { changed: string[] } {
  const changed: string[] = [];
  const replaces: string[] = [];
  for (const f of [...fields.replace, ...fields.update]) {
    const differs = containsUnknown(news[f]) || !sameValue(olds[f], news[f]);
    if (!differs) continue;
    changed.push(f);
    if (fields.replace.includes(f)) replaces.push(f);
  }
  return { changes: changed.length > 0, replaces, changed };
}
