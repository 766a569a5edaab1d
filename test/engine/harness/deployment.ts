// The engine's step generation and execution for preview/up (driven by the program's registrations), refresh
// and destroy, following pulumi/pulumi pkg/resource/deploy (step_generator.go, step.go, step_executor.go).
import type { LogEntry } from "./logs";
import { ROOT_STACK_TYPE, type ReadRequest, type RegistrationRequest } from "./protocol";
import { ProviderRpcError, type DiffResult, type ProviderSession } from "./provider-session";
import {
  providerSizeOf,
  resourceName,
  type CheckFailure,
  type ResourceState,
  type StepOp,
  type StepResult,
} from "./state";
import {
  applyAdditionalSecretOutputs,
  changedKeys,
  copy,
  deepEqual,
  UNKNOWN,
  type PropertyMap,
} from "./wire";

export interface EngineContext {
  preview: boolean;
  /** Starts (once) and returns the configured provider session. */
  session: () => Promise<ProviderSession>;
  /** Provider reference recorded on custom resources. */
  providerRef: string;
  /** How many steps may run at once (the engine's --parallel). */
  parallel: number;
  /** `pulumi up --continue-on-error`: a failed step does not stop the others (deletes are still skipped). */
  continueOnError?: boolean;
  log: (entry: LogEntry) => void;
}

/** Thrown into the program for a registration the engine refused or failed. */
export class StepError extends Error {}

class Semaphore {
  private queue: (() => void)[] = [];
  private used = 0;
  constructor(private readonly size: number) {}
  async acquire(): Promise<() => void> {
    if (this.used >= this.size) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.used++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      if (next) next();
      else this.used--;
    };
  }
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** ignoreChanges on top-level properties: the old input value is carried over (processIgnoreChanges). */
function applyIgnoreChanges(news: PropertyMap, olds: PropertyMap, ignore: readonly string[]): PropertyMap {
  if (ignore.length === 0) return news;
  const out = { ...news };
  for (const key of ignore) {
    if (key === "*") return { ...olds };
    if (key in olds) out[key] = olds[key];
    else delete out[key];
  }
  return out;
}

/** Shared by every operation: step bookkeeping and the engine's legacy diff fallback. */
abstract class OperationBase {
  readonly steps: StepResult[] = [];
  readonly failures: CheckFailure[] = [];
  readonly errors: string[] = [];

  constructor(protected readonly ctx: EngineContext) {}

  protected step(op: StepOp, state: Pick<ResourceState, "urn" | "type">, extra: Partial<StepResult> = {}): StepResult {
    const s: StepResult = {
      op,
      urn: state.urn,
      type: state.type,
      name: resourceName(state.urn),
      diffs: [],
      replaces: [],
      status: "succeeded",
      ...extra,
    };
    this.steps.push(s);
    return s;
  }

  protected fail(urn: string, message: string, step?: StepResult): StepError {
    const text = `${urn}: ${message}`;
    this.errors.push(text);
    if (step) {
      step.status = "failed";
      step.error = message;
    }
    return new StepError(text);
  }

  protected engineLog(severity: LogEntry["severity"], message: string, urn?: string): void {
    this.ctx.log({ source: "engine", severity, message, ...(urn ? { urn } : {}) });
  }

  /** diffResource(): a DIFF_UNKNOWN answer falls back to comparing the inputs. */
  protected async diffResource(params: {
    urn: string;
    id: string;
    oldInputs: PropertyMap;
    oldOutputs: PropertyMap;
    news: PropertyMap;
    ignoreChanges?: string[];
  }): Promise<DiffResult & { changedKeys: string[] }> {
    const session = await this.ctx.session();
    const d = await session.diff({ ...params, preview: this.ctx.preview });
    let changes = d.changes;
    if (changes === "unknown") changes = deepEqual(params.oldInputs, params.news) ? "none" : "some";
    const keys = d.diffs.length > 0 ? d.diffs : changedKeys(params.oldInputs, params.news);
    return { ...d, changes, changedKeys: changes === "none" ? [] : keys };
  }
}

/** preview / up: reacts to the program's registrations, then deletes what the program no longer declares. */
export class UpdateOperation extends OperationBase {
  /** New states, in registration order. */
  private readonly news = new Map<string, ResourceState>();
  private readonly seen = new Set<string>();
  private readonly olds: ResourceState[];
  private readonly oldByUrn = new Map<string, ResourceState>();
  /** Olds removed from the state during this run (delete-before-replace, delete phase). */
  private readonly removed = new Set<ResourceState>();
  private readonly sem: Semaphore;
  private cancelled = false;
  stackOutputs: PropertyMap | undefined;

  constructor(ctx: EngineContext, olds: readonly ResourceState[]) {
    super(ctx);
    this.olds = olds.map((r) => ({ ...r }));
    for (const r of this.olds) if (!r.delete) this.oldByUrn.set(r.urn, r);
    this.sem = new Semaphore(Math.max(1, ctx.parallel));
  }

  get failed(): boolean {
    return this.errors.length > 0;
  }

  private claim(urn: string): void {
    if (this.seen.has(urn)) {
      throw this.fail(urn, `Duplicate resource URN '${urn}'; try giving it a unique name`);
    }
    this.seen.add(urn);
  }

  private newState(req: RegistrationRequest, inputs: PropertyMap): ResourceState {
    const st: ResourceState = {
      urn: req.urn,
      type: req.type,
      custom: req.custom,
      inputs,
      outputs: {},
      dependencies: [...req.dependencies],
      propertyDependencies: { ...req.propertyDependencies },
    };
    if (req.parent) st.parent = req.parent;
    if (req.custom) {
      st.provider = req.provider || this.ctx.providerRef;
      const size = providerSizeOf(inputs);
      if (size !== undefined) st.providerSize = size;
    }
    if (req.protect) st.protect = true;
    if (req.retainOnDelete) st.retainOnDelete = true;
    if (req.additionalSecretOutputs.length) st.additionalSecretOutputs = [...req.additionalSecretOutputs];
    if (req.importId) st.importId = req.importId;
    if (req.ignoreChanges.length) st.ignoreChanges = [...req.ignoreChanges];
    if (req.replaceOnChanges.length) st.replaceOnChanges = [...req.replaceOnChanges];
    if (req.deleteBeforeReplace !== undefined) st.deleteBeforeReplace = req.deleteBeforeReplace;
    if (req.deletedWith) st.deletedWith = req.deletedWith;
    return st;
  }

  /** What the program gets back: outputs with additionalSecretOutputs applied (step_executor.go). */
  private commit(st: ResourceState): { id?: string; outputs: PropertyMap } {
    applyAdditionalSecretOutputs(st.outputs, st.additionalSecretOutputs);
    this.news.set(st.urn, st);
    return { id: st.id, outputs: st.outputs };
  }

  async register(req: RegistrationRequest): Promise<{ id?: string; outputs: PropertyMap }> {
    this.claim(req.urn);
    if (this.cancelled) throw new StepError(`${req.urn}: skipped: the update was cancelled after an earlier error`);
    const release = await this.sem.acquire();
    try {
      if (this.cancelled) throw new StepError(`${req.urn}: skipped: the update was cancelled after an earlier error`);
      const old = this.oldByUrn.get(req.urn);
      if (!req.custom) return this.registerComponent(req, old);
      if (req.importId && (!old || old.id !== req.importId || old.external)) return await this.importResource(req, old);
      return await this.registerCustom(req, old);
    } catch (e) {
      if (!(e instanceof StepError)) this.fail(req.urn, errorMessage(e));
      // `up` stops issuing steps after a failure (unless --continue-on-error); preview keeps going to report every problem.
      if (!this.ctx.preview && !this.ctx.continueOnError) this.cancelled = true;
      throw e instanceof StepError ? e : new StepError(`${req.urn}: ${errorMessage(e)}`);
    } finally {
      release();
    }
  }

  private registerComponent(req: RegistrationRequest, old: ResourceState | undefined): { outputs: PropertyMap } {
    const st = this.newState(req, req.inputs);
    st.outputs = old ? copy(old.outputs) : {};
    this.step(old ? "same" : "create", st);
    this.commit(st);
    return { outputs: {} };
  }

  private async checkOrFail(urn: string, olds: PropertyMap, news: PropertyMap, step?: StepResult): Promise<PropertyMap> {
    const session = await this.ctx.session();
    const res = await session.check({ urn, olds, news, preview: this.ctx.preview });
    if (res.failures.length > 0) {
      for (const f of res.failures) this.failures.push({ urn, ...f });
      const detail = res.failures.map((f) => (f.property ? `${f.property}: ${f.reason}` : f.reason)).join("; ");
      throw this.fail(urn, `resource has check errors: ${detail}`, step);
    }
    return res.inputs;
  }

  private async registerCustom(req: RegistrationRequest, found: ResourceState | undefined): Promise<{
    id?: string;
    outputs: PropertyMap;
  }> {
    const { urn } = req;
    let old = found;
    if (old?.external) {
      // An external (read) resource becomes managed: create a replacement, discard the read one at the end.
      old.delete = true;
      old = undefined;
    }
    const goal = old ? applyIgnoreChanges(req.inputs, old.inputs, req.ignoreChanges) : req.inputs;
    const inputs = await this.checkOrFail(urn, old ? old.inputs : {}, goal);
    if (!old) return this.create(req, inputs);

    const diff = await this.diffResource({
      urn,
      id: old.id ?? "",
      oldInputs: old.inputs,
      oldOutputs: old.outputs,
      news: inputs,
      ignoreChanges: req.ignoreChanges,
    });
    const replaces = [...diff.replaces];
    for (const key of req.replaceOnChanges) {
      for (const changed of diff.changedKeys) {
        if ((key === "*" || key === changed) && !replaces.includes(changed)) replaces.push(changed);
      }
    }
    if (diff.changes === "some" || old.pendingReplacement) {
      if (replaces.length > 0 || old.pendingReplacement) return this.replace(req, old, goal, diff, replaces);
      return this.update(req, old, inputs, diff.changedKeys, diff.detailedDiff);
    }
    // Unchanged, but a partial failure left init errors: an empty update "continues" the initialisation.
    if (old.initErrors && old.initErrors.length > 0) return this.update(req, old, inputs, [], undefined);

    const st = this.newState(req, inputs);
    st.id = old.id;
    st.outputs = copy(old.outputs);
    this.step("same", st, { id: st.id });
    return this.commit(st);
  }

  private async create(req: RegistrationRequest, inputs: PropertyMap): Promise<{ id?: string; outputs: PropertyMap }> {
    const st = this.newState(req, inputs);
    const step = this.step("create", st);
    if (this.ctx.preview) {
      // provider_plugin.go: no Create in preview without supportsPreview, the inputs stand in for the state.
      st.outputs = copy(inputs);
      return this.commit(st);
    }
    const session = await this.ctx.session();
    try {
      const res = await session.create({ urn: req.urn, properties: inputs, preview: false });
      st.id = res.id;
      st.outputs = res.properties;
      step.id = res.id;
      return this.commit(st);
    } catch (e) {
      this.recordPartialFailure(e, st, step);
      throw this.fail(req.urn, errorMessage(e), step);
    }
  }

  /** A partial failure keeps the resource: it exists, with the provider's outputs and init errors. */
  private recordPartialFailure(e: unknown, st: ResourceState, step: StepResult): boolean {
    if (!(e instanceof ProviderRpcError) || !e.initFailure) return false;
    st.id = e.initFailure.id || st.id;
    st.outputs = e.initFailure.properties;
    st.initErrors = [...e.initFailure.reasons];
    step.id = st.id;
    step.initErrors = [...e.initFailure.reasons];
    this.commit(st);
    return true;
  }

  private async update(
    req: RegistrationRequest,
    old: ResourceState,
    inputs: PropertyMap,
    diffs: string[],
    detailedDiff: StepResult["detailedDiff"],
  ): Promise<{ id?: string; outputs: PropertyMap }> {
    const st = this.newState(req, inputs);
    st.id = old.id;
    const step = this.step("update", st, { id: old.id, diffs, ...(detailedDiff ? { detailedDiff } : {}) });
    const session = await this.ctx.session();
    try {
      const res = await session.update({
        urn: req.urn,
        id: old.id ?? "",
        oldInputs: old.inputs,
        oldOutputs: old.outputs,
        news: inputs,
        preview: this.ctx.preview,
        ignoreChanges: req.ignoreChanges,
      });
      st.outputs = res.properties;
      return this.commit(st);
    } catch (e) {
      // On a plain failure the old state stays (it is not in `news`, so the final state keeps it).
      this.recordPartialFailure(e, st, step);
      throw this.fail(req.urn, errorMessage(e), step);
    }
  }

  private async replace(
    req: RegistrationRequest,
    old: ResourceState,
    goal: PropertyMap,
    diff: DiffResult & { changedKeys: string[] },
    replaces: string[],
  ): Promise<{ id?: string; outputs: PropertyMap }> {
    const { urn } = req;
    const dbr = req.deleteBeforeReplace ?? diff.deleteBeforeReplace;
    const step = this.step("replace", { urn, type: req.type }, {
      oldId: old.id,
      diffs: diff.changedKeys,
      replaces,
      deleteBeforeReplace: dbr,
      ...(diff.detailedDiff ? { detailedDiff: diff.detailedDiff } : {}),
    });
    if (req.protect && old.protect) {
      throw this.fail(urn, "unable to replace resource: it is marked for protection (remove `protect` first)", step);
    }
    if (req.importId) {
      const message =
        "previously-imported resources that still specify an ID may not be replaced; please remove the `import` declaration from your program";
      if (!this.ctx.preview) throw this.fail(urn, message, step);
      this.engineLog("warning", message, urn);
    }
    // step_generator.go: "If we are going to perform a replacement, we need to recompute the default values" —
    // Check again with empty olds before the Create.
    const inputs = await this.checkOrFail(urn, {}, goal, step);
    const st = this.newState(req, inputs);
    if (this.ctx.preview) {
      st.outputs = copy(inputs);
      return this.commit(st);
    }
    const session = await this.ctx.session();
    if (dbr && !old.pendingReplacement) {
      try {
        await session.delete({ urn, id: old.id ?? "", oldInputs: old.inputs, outputs: old.outputs });
      } catch (e) {
        throw this.fail(urn, errorMessage(e), step);
      }
      // Stays in the state until the create succeeds, so an interrupted replace can be completed later.
      old.pendingReplacement = true;
    }
    try {
      const res = await session.create({ urn, properties: inputs, preview: false });
      st.id = res.id;
      st.outputs = res.properties;
      step.id = res.id;
    } catch (e) {
      const partial = this.recordPartialFailure(e, st, step);
      if (partial) this.retire(old, dbr);
      throw this.fail(urn, errorMessage(e), step);
    }
    this.retire(old, dbr);
    return this.commit(st);
  }

  /** After a replacement's create: the old one is gone (DBR) or pending deletion (create-before-delete). */
  private retire(old: ResourceState, deletedAlready: boolean): void {
    if (deletedAlready) {
      this.removed.add(old);
      return;
    }
    old.delete = true;
  }

  private async importResource(req: RegistrationRequest, old: ResourceState | undefined): Promise<{
    id?: string;
    outputs: PropertyMap;
  }> {
    const { urn } = req;
    const step = this.step("import", { urn, type: req.type }, { id: req.importId });
    const session = await this.ctx.session();
    let read;
    try {
      read = await session.read({ urn, id: req.importId, properties: {}, inputs: req.inputs });
    } catch (e) {
      throw this.fail(urn, errorMessage(e), step);
    }
    if (!read.id || !read.properties) throw this.fail(urn, `resource '${req.importId}' does not exist`, step);
    if (!read.inputs) {
      throw this.fail(urn, "provider does not support importing resources; please try updating the 'pulumi-nodejs' plugin", step);
    }
    const id = read.id || req.importId;
    step.id = id;
    const goal = applyIgnoreChanges(req.inputs, read.inputs, req.ignoreChanges);
    const inputs = await this.checkOrFail(urn, read.inputs, goal, step);
    const diff = await this.diffResource({
      urn,
      id,
      oldInputs: read.inputs,
      oldOutputs: read.properties,
      news: inputs,
      ignoreChanges: req.ignoreChanges,
    });
    step.diffs = diff.changedKeys;
    if (diff.changes !== "none") {
      const message = `inputs to import do not match the existing resource: [${diff.changedKeys.join(", ")}]`;
      if (!this.ctx.preview) throw this.fail(urn, message, step);
      this.engineLog("warning", `${message}; importing this resource will fail`, urn);
    }
    const st = this.newState(req, inputs);
    st.id = id;
    st.outputs = read.properties;
    if (old) old.delete = true; // import-replacement: the previously managed resource is deleted at the end
    return this.commit(st);
  }

  async read(req: ReadRequest): Promise<{ id?: string; outputs: PropertyMap }> {
    this.claim(req.urn);
    const release = await this.sem.acquire();
    try {
      const { urn } = req;
      const old = this.oldByUrn.get(urn);
      const st: ResourceState = {
        urn,
        type: req.type,
        custom: true,
        id: req.id,
        inputs: req.inputs,
        outputs: {},
        dependencies: [...req.dependencies],
        propertyDependencies: {},
        provider: req.provider || this.ctx.providerRef,
        external: true,
      };
      if (req.parent) st.parent = req.parent;
      const size = providerSizeOf(req.inputs);
      if (size !== undefined) st.providerSize = size;
      if (req.additionalSecretOutputs.length) st.additionalSecretOutputs = [...req.additionalSecretOutputs];
      const step = this.step("read", st, { id: req.id });
      // Read steps run in previews too; only an unknown ID cannot be read.
      if (req.id !== UNKNOWN) {
        const session = await this.ctx.session();
        let res;
        try {
          res = await session.read({ urn, id: req.id, properties: {}, inputs: req.inputs });
        } catch (e) {
          throw this.fail(urn, errorMessage(e), step);
        }
        if (!res.id || !res.properties) throw this.fail(urn, `resource '${req.id}' does not exist`, step);
        st.id = res.id;
        st.outputs = res.properties;
        step.id = res.id;
      }
      // read-replacement: the managed resource under this URN is deleted at the end.
      if (old && !old.external && old.id !== req.id) old.delete = true;
      return this.commit(st);
    } catch (e) {
      if (!(e instanceof StepError)) this.fail(req.urn, errorMessage(e));
      if (!this.ctx.preview) this.cancelled = true;
      throw e instanceof StepError ? e : new StepError(`${req.urn}: ${errorMessage(e)}`);
    } finally {
      release();
    }
  }

  /** RegisterResourceOutputs: components and the root stack publish their outputs. */
  setOutputs(urn: string, outputs: PropertyMap): void {
    // After a failed step the engine stops processing the program's events: the stack keeps its old outputs.
    if (this.cancelled) return;
    const st = this.news.get(urn);
    if (st) st.outputs = outputs;
    if (st?.type === ROOT_STACK_TYPE) this.stackOutputs = outputs;
  }

  /**
   * The delete phase (GenerateDeletes + ScheduleDeletes): only after the program finished without errors.
   * Condemned resources go in reverse order of the old snapshot, which is a dependency order.
   */
  async finish(programOk: boolean): Promise<void> {
    if (!programOk || this.failed) return;
    const doomed = this.olds.filter((o) => !this.removed.has(o) && (o.delete || !this.seen.has(o.urn)));
    for (const o of [...doomed].reverse()) {
      const replaced = o.delete === true;
      if (o.external) {
        this.step("discard", o, { id: o.id });
        this.removed.add(o);
        continue;
      }
      const step = this.step(replaced ? "delete-replaced" : "delete", o, { id: o.id });
      if (o.protect && !replaced) {
        this.fail(o.urn, "resource cannot be deleted because it is protected; remove the `protect` flag first", step);
        return;
      }
      if (this.ctx.preview) continue;
      if (o.custom && !o.retainOnDelete && !o.pendingReplacement) {
        try {
          const session = await this.ctx.session();
          await session.delete({ urn: o.urn, id: o.id ?? "", oldInputs: o.inputs, outputs: o.outputs });
        } catch (e) {
          this.fail(o.urn, errorMessage(e), step);
          return; // the engine stops at the first failed delete; the rest stays in the state
        }
      }
      this.removed.add(o);
    }
  }

  /** The snapshot after this operation (meaningless for a preview, which stores nothing). */
  finalState(): ResourceState[] {
    const result: ResourceState[] = [...this.news.values()];
    const present = new Set(result.map((r) => r.urn));
    for (const o of this.olds) {
      if (this.removed.has(o)) continue;
      if (o.delete) result.push(o); // pending deletion, kept with its flag
      else if (!present.has(o.urn)) result.push(o); // not registered (failed program) or failed update
    }
    return result;
  }
}

/** refresh: Read every managed resource, adopt what the provider reports, drop what is gone. */
export class RefreshOperation extends OperationBase {
  constructor(
    ctx: EngineContext,
    private readonly resources: ResourceState[],
  ) {
    super(ctx);
  }

  async run(): Promise<ResourceState[]> {
    const out: ResourceState[] = [];
    for (let i = 0; i < this.resources.length; i++) {
      const old = this.resources[i];
      if (!old.custom || old.pendingReplacement || !old.id) {
        out.push(old);
        continue;
      }
      const step = this.step("same", old, { id: old.id });
      const session = await this.ctx.session();
      let read;
      let initErrors: string[] | undefined;
      try {
        read = await session.read({ urn: old.urn, id: old.id, properties: old.outputs, inputs: old.inputs });
      } catch (e) {
        if (e instanceof ProviderRpcError && e.initFailure) {
          // A partial failure does not fail a refresh: warn and keep the init errors for the next `up`.
          initErrors = e.initFailure.reasons;
          read = { id: e.initFailure.id || old.id, properties: e.initFailure.properties };
          this.engineLog("warning", `Refreshed resource is in an unhealthy state:\n* ${initErrors.join("\n* ")}`, old.urn);
        } else {
          this.fail(old.urn, errorMessage(e), step);
          out.push(...this.resources.slice(i));
          return out;
        }
      }
      if (!read.id || !read.properties) {
        step.op = "delete"; // gone: the refresh removes it from the state
        continue;
      }
      const st: ResourceState = { ...old, id: read.id, outputs: read.properties, inputs: read.inputs ?? old.inputs };
      if (initErrors && initErrors.length > 0) st.initErrors = initErrors;
      else delete st.initErrors;
      applyAdditionalSecretOutputs(st.outputs, st.additionalSecretOutputs);
      step.id = st.id;
      if (old.external) {
        if (!deepEqual(old.outputs, st.outputs)) {
          step.op = "update";
          step.diffs = changedKeys(old.outputs, st.outputs);
        }
      } else {
        // RefreshStep: the diff an `up` of an unchanged program would see, inverted (new state as "old").
        try {
          const diff = await this.diffResource({
            urn: old.urn,
            id: st.id ?? "",
            oldInputs: st.inputs,
            oldOutputs: st.outputs,
            news: old.inputs,
            ignoreChanges: old.ignoreChanges,
          });
          if (diff.changes === "some") {
            step.op = "update";
            step.diffs = diff.changedKeys;
          }
        } catch (e) {
          this.fail(old.urn, errorMessage(e), step);
          out.push(st, ...this.resources.slice(i + 1));
          return out;
        }
      }
      out.push(st);
    }
    return out;
  }
}

/** destroy: Delete everything in reverse dependency order. */
export class DestroyOperation extends OperationBase {
  constructor(
    ctx: EngineContext,
    private readonly resources: ResourceState[],
  ) {
    super(ctx);
  }

  async run(): Promise<ResourceState[]> {
    const remaining = [...this.resources];
    for (let i = remaining.length - 1; i >= 0; i--) {
      const r = remaining[i];
      if (r.external) {
        this.step("discard", r, { id: r.id });
      } else {
        const step = this.step(r.delete ? "delete-replaced" : "delete", r, { id: r.id });
        if (r.protect) {
          this.fail(r.urn, "resource cannot be deleted because it is protected; remove the `protect` flag first", step);
          return remaining;
        }
        if (r.custom && !r.retainOnDelete && !r.pendingReplacement && r.id) {
          try {
            const session = await this.ctx.session();
            await session.delete({ urn: r.urn, id: r.id, oldInputs: r.inputs, outputs: r.outputs });
          } catch (e) {
            this.fail(r.urn, errorMessage(e), step);
            return remaining;
          }
        }
      }
      remaining.splice(i, 1);
    }
    return remaining;
  }
}
