/**
 * The one data-center probe (spec §2.4: every call on an app must name the app's data center). Reads that do not
 * know it — import, `get`, lookups — try `livemessage:region` (else cn-shanghai) first, then the other data center.
 */
import { isNotFound } from "../client/errors";
import { DATA_CENTERS, type DataCenter } from "../limits";
import { defaultDataCenter } from "./config";

/** The data centers to try, in order: the pinned one alone, else the default first. */
export function dataCenterOrder(pinned: DataCenter | undefined): DataCenter[] {
  if (pinned) return [pinned];
  const first = defaultDataCenter();
  return [first, ...DATA_CENTERS.filter((dc) => dc !== first)];
}

/**
 * Runs `read` in each data center of `dataCenterOrder(pinned)` until one does not answer ResourceNotExist. `read`
 * may return undefined to mean "not here" too. Undefined when no data center has it; other errors propagate.
 */
export async function probeDataCenters<T>(
  pinned: DataCenter | undefined,
  read: (dataCenter: DataCenter) => Promise<T | undefined>,
): Promise<{ value: T; dataCenter: DataCenter } | undefined> {
  for (const dataCenter of dataCenterOrder(pinned)) {
    let value: T | undefined;
    try {
      value = await read(dataCenter);
    } catch (e) {
      if (isNotFound(e)) continue;
      throw e;
    }
    if (value !== undefined) return { value, dataCenter };
  }
  return undefined;
}

/** A `dataCenter` property as recorded in state, when it is one. */
export function recordedDataCenter(props: Record<string, unknown>): DataCenter | undefined {
  return typeof props.dataCenter === "string" && (DATA_CENTERS as readonly string[]).includes(props.dataCenter)
    ? (props.dataCenter as DataCenter)
    : undefined;
}
