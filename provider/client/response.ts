/**
 * Reading one HTTP response: a success body, or the error it stands for (spec §2.3). Handles the JSON error
 * envelope in both spellings (`Code`/`code`), the Format=XML envelope, pop-core's "2xx with a failing Code", and
 * bodies that are no envelope at all (proxy pages). Every text the server wrote is scrubbed of our secrets first.
 */
import { LiveApiError, LiveError, LiveResponseError } from "./errors";
import { redactSecrets } from "./redact";
import { classifyApiError, parseRetryAfterMs } from "./retry-policy";

export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** Where a response came from, for messages, and what must never appear in them. */
export interface ResponseContext {
  action: string;
  endpoint: string;
  /** AccessKeySecret, signature, security token of the attempt. */
  secrets: readonly string[];
}

/** pop-core's success set: a body whose `Code` is anything else is an error even with HTTP 200 (spec §2.3). */
const OK_CODES: ReadonlySet<string> = new Set(["200", "OK", "Success", "success"]);

/** How much of a non-JSON error body (proxy HTML, …) is quoted in the error message. */
const BODY_SNIPPET_CHARS = 200;

const XML_ENTITIES: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

interface Envelope {
  code: string | undefined;
  message: string | undefined;
  requestId: string | undefined;
  hostId: string | undefined;
  recommend: string | undefined;
}

export function headerValue(headers: ResponseHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  if (typeof value === "string" && value.length > 0) return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

/** Reads an error envelope; darabonba accepts both `Code` and `code` spellings (spec §2.3). */
function jsonEnvelope(body: Record<string, unknown>): Envelope {
  return {
    code: str(body.Code) ?? str(body.code),
    message: str(body.Message) ?? str(body.message),
    requestId: str(body.RequestId) ?? str(body.requestId),
    hostId: str(body.HostId) ?? str(body.hostId),
    recommend: str(body.Recommend) ?? str(body.recommend),
  };
}

/** `<Error><Code>…</Code>…</Error>` (the Format=XML envelope); undefined when there is no `<Code>`. */
function xmlEnvelope(text: string): Envelope | undefined {
  const tag = (name: string): string | undefined => {
    const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(text);
    return m ? m[1]!.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => XML_ENTITIES[e]!).trim() || undefined : undefined;
  };
  const code = tag("Code");
  if (!code) return undefined;
  return { code, message: tag("Message"), requestId: tag("RequestId"), hostId: tag("HostId"), recommend: tag("Recommend") };
}

function snippet(text: string): string {
  const plain = text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
  return plain.length > BODY_SNIPPET_CHARS ? `${plain.slice(0, BODY_SNIPPET_CHARS)}…` : plain;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim().length === 0) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** A success body, or the error a response stands for (returned, not thrown, so the caller can log it first). */
export function interpretResponse(
  ctx: ResponseContext,
  status: number,
  headers: ResponseHeaders,
  text: string,
): Record<string, unknown> | LiveError {
  const ok = status >= 200 && status < 300;
  const json = parseJson(text);
  const headerRequestId = headerValue(headers, "x-acs-request-id");
  if (json.ok && isPlainObject(json.value)) {
    // Success bodies never carry `Code`; pop-core treats any `Code` outside its OK set as failure (spec §2.3).
    const code = str(json.value.Code);
    if (ok && (code === undefined || OK_CODES.has(code))) return json.value;
    return apiError(ctx, status, headers, jsonEnvelope(json.value), headerRequestId);
  }
  if (!ok) {
    const xml = xmlEnvelope(text);
    if (xml) return apiError(ctx, status, headers, xml, headerRequestId);
    const quoted = snippet(text);
    const message = `HTTP ${status} from ${ctx.endpoint} without an API error body${quoted ? `: ${quoted}` : ""}`;
    return apiError(
      ctx,
      status,
      headers,
      { code: `HttpError${status}`, message, requestId: undefined, hostId: undefined, recommend: undefined },
      headerRequestId,
    );
  }
  const what = text.trim().length === 0 ? "an empty body" : json.ok ? "JSON that is not an object" : "a body that is not JSON";
  return new LiveResponseError(ctx.action, `${ctx.action}: HTTP ${status} from ${ctx.endpoint} with ${what}; expected a JSON object.`, {
    requestId: headerRequestId,
  });
}

/** The request id a response carries: the body's `RequestId`, else the `x-acs-request-id` header. */
export function responseRequestId(result: Record<string, unknown> | LiveError, headers: ResponseHeaders): string | undefined {
  if (result instanceof LiveError) return (result as { requestId?: string }).requestId;
  return str(result.RequestId) ?? headerValue(headers, "x-acs-request-id");
}

function apiError(ctx: ResponseContext, status: number, headers: ResponseHeaders, env: Envelope, headerRequestId: string | undefined): LiveApiError {
  const code = env.code ?? `HttpError${status}`;
  const serverMessage = env.message !== undefined ? redactSecrets(env.message, ctx.secrets) : undefined;
  const requestId = env.requestId ?? headerRequestId;
  return new LiveApiError({
    code,
    message: `${ctx.action} failed: ${code}${serverMessage ? `: ${serverMessage}` : ""} (HTTP ${status}${requestId ? `, RequestId ${requestId}` : ""})${CODE_HINTS[code] ?? ""}`,
    serverMessage,
    httpStatus: status,
    action: ctx.action,
    requestId,
    hostId: env.hostId,
    recommend: env.recommend !== undefined ? redactSecrets(env.recommend, ctx.secrets) : undefined,
    retryable: classifyApiError(code, status).retry,
    retryAfterMs: parseRetryAfterMs(headers["x-acs-retry-after"]),
  });
}

/** What to check, for API errors whose usual cause is on our side of the wire (issue 13). */
const CODE_HINTS: Readonly<Record<string, string>> = {
  SignatureDoesNotMatch:
    ". Check the AccessKey secret (livemessage:accessKeySecret or ALIBABA_CLOUD_ACCESS_KEY_SECRET): it does not belong to this AccessKey ID, or has a stray space or newline",
};
