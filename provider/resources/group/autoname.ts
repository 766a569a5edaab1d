/**
 * Generated group IDs. A dynamic provider's `check` gets no randomSeed from the engine, so a random suffix would
 * differ between `pulumi preview` and `pulumi up` (and between the two phases of one `up`). Instead the ID is a pure
 * function of the resource name and an attempt number, and the attempt is the first one whose ID the app has never
 * held: live AND deleted groups are looked up, because a deleted ID can never be used again. Preview and up see the
 * same service, so they choose the same ID; a replacement (the old group still exists) or a re-creation after a
 * destroy (the old ID is deleted) moves on to the next attempt, so it always gets a new ID and never meets, takes over
 * or revives another group. README "Design notes" explains the scheme.
 */
import { createHash } from "node:crypto";
import { LiveApiError } from "../../client/errors";
import { MAX_ID_BYTES, type DataCenter } from "../../limits";
import { DescribeLiveMessageGroup } from "../../operations";
import { getClient } from "../config";
import { describeError } from "../errors";
import { log } from "../log";
import { containsUnknown } from "../unknown";

/** Length of the generated part of a groupId. */
export const AUTONAME_SUFFIX_LENGTH = 8;
/** Candidates looked at before giving up (each is one DescribeLiveMessageGroup). */
export const AUTONAME_MAX_ATTEMPTS = 20;
const ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyz0123456789";
/** Changing it would change every ID generated from now on (never those already in state). */
const HASH_DOMAIN = "pulumi-alicloud-livemessage/group-id/v1";

/** The resource name with everything but letters and digits removed ("group" when nothing is left). */
function baseOf(resourceName: unknown): string {
  const base = (typeof resourceName === "string" ? resourceName : "").replace(/[^A-Za-z0-9]/g, "") || "group";
  return base.slice(0, MAX_ID_BYTES - AUTONAME_SUFFIX_LENGTH);
}

/** Candidate number `attempt` for a resource: `<name, letters and digits only><8 letters/digits>`, ≤ 64 bytes. */
export function autonameGroupId(resourceName: unknown, attempt = 0): string {
  const digest = createHash("sha256").update(`${HASH_DOMAIN}\0${String(resourceName ?? "")}\0${attempt}`).digest();
  let suffix = "";
  for (let i = 0; i < AUTONAME_SUFFIX_LENGTH; i++) suffix += ALPHANUMERIC[digest[i] % ALPHANUMERIC.length];
  return baseOf(resourceName) + suffix;
}

// IDs known to be taken, per app: a taken ID stays taken forever (deleted IDs are never reusable), so this never
// goes stale. Free IDs are not remembered: a group may be created with one later in the same process.
const taken = new Set<string>();
// After one failed look-up (no access, no network) the process stops trying: one warning, no delay per group.
let lookupsFailed = false;

/** Test hook: forget what this process learnt. */
export function resetAutonameCache(): void {
  taken.clear();
  lookupsFailed = false;
}

async function isTaken(appId: string, groupId: string, dataCenter: DataCenter): Promise<boolean> {
  const key = `${dataCenter}/${appId}/${groupId}`;
  if (taken.has(key)) return true;
  const client = await getClient();
  try {
    await DescribeLiveMessageGroup.invoke(client, { AppId: appId, GroupId: groupId, DataCenter: dataCenter });
  } catch (e) {
    if (e instanceof LiveApiError && e.code === "ResourceNotExist") return false;
    throw e;
  }
  taken.add(key); // live, or deleted (Delete: true): either way not ours to use
  return true;
}

/**
 * The groupId a new group (or the new half of a replacement) gets: the first candidate the app has never held.
 * While the app is not known yet (a preview of a program that creates it), nobody can hold an ID in it: candidate 0,
 * which is what the update will choose in the new app. If the look-up fails, candidate 0 too, with a warning; the
 * create then refuses an ID that turns out to be taken rather than taking the group over.
 */
export async function chooseGroupId(
  resourceName: unknown,
  appId: unknown,
  dataCenter: unknown,
): Promise<{ groupId: string; failure?: string }> {
  const first = autonameGroupId(resourceName, 0);
  if (lookupsFailed || typeof appId !== "string" || containsUnknown(appId) || typeof dataCenter !== "string" || containsUnknown(dataCenter)) {
    return { groupId: first };
  }
  try {
    for (let attempt = 0; attempt < AUTONAME_MAX_ATTEMPTS; attempt++) {
      const candidate = autonameGroupId(resourceName, attempt);
      if (!(await isTaken(appId, candidate, dataCenter as DataCenter))) return { groupId: candidate };
    }
  } catch (e) {
    lookupsFailed = true;
    log.warn(
      `Could not check which generated groupId is free in app ${appId} (${describeError(e)}); using the first candidate for this and every other generated ID of this run. ` +
        `If it is taken, creating the group fails without touching the other group; run \`pulumi up\` again then.`,
    );
    return { groupId: first };
  }
  // That many groups of this name created and deleted in one app: not an accident worth guessing around.
  return {
    groupId: first,
    failure:
      `every generated groupId for the resource name ${JSON.stringify(resourceName)} (${AUTONAME_MAX_ATTEMPTS} tried) is held by a live ` +
      `or deleted group in app ${appId}; give the resource another name, or set groupId.`,
  };
}
