/**
 * Wire-level helpers of the emulated gateway: parameter parsing and folding (spec §2.1, §2.2) and the rendering of
 * success bodies and error envelopes in JSON or XML (spec §2.3).
 */
import { randomUUID } from "node:crypto";
import type { EmulatorError } from "./errors";
import type { WireParams } from "./service/types";
import { renderXml, XML_CONTENT_TYPE } from "./xml";

export const JSON_CONTENT_TYPE = "application/json;charset=utf-8";
/** `HostId` of every error envelope (spec §2.3). */
export const HOST_ID = "live.aliyuncs.com";
/** [U] `product` value of the `Recommend` URL (spec §2.3, §13.10: `Live` vs `live`). */
export const RECOMMEND_PRODUCT = "live";

export type ResponseFormat = "json" | "xml";

/** Decoded `name → value` pairs of a query string or form body; the first occurrence of a name wins. */
export function parseUrlEncoded(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (text.length === 0) return out;
  for (const [k, v] of new URLSearchParams(text)) {
    // `__proto__` cannot be a real parameter name and would otherwise poke at the object's prototype.
    if (k === "__proto__" || Object.prototype.hasOwnProperty.call(out, k)) continue;
    out[k] = v;
  }
  return out;
}

/**
 * Parameters that belong to the gateway (signing, routing, format), not to the operation. They are removed before
 * the service sees the call so that the write-ahead log never stores signatures or security tokens.
 */
export const GATEWAY_PARAMS: ReadonlySet<string> = new Set([
  "Action",
  "Version",
  "Format",
  "AccessKeyId",
  "Signature",
  "SignatureMethod",
  "SignatureVersion",
  "SignatureNonce",
  "SignatureType",
  "Timestamp",
  "SecurityToken",
  "BearerToken",
]);

const REPEAT_LIST = /^(.+)\.([1-9][0-9]*)$/;

/**
 * Business parameters for the service: gateway parameters dropped, and `Name.1`, `Name.2`… (repeatList, as sent by
 * pop-core for JS arrays, spec §2.2) folded into `Name` = comma-joined values in N order. An explicit `Name` wins
 * over its `Name.N` forms.
 */
export function serviceParams(params: Readonly<Record<string, string>>): WireParams {
  const out: Record<string, string> = {};
  let lists: Map<string, Array<[number, string]>> | undefined;
  for (const key of Object.keys(params)) {
    if (GATEWAY_PARAMS.has(key)) continue;
    const m = REPEAT_LIST.exec(key);
    if (m) {
      lists ??= new Map();
      const name = m[1]!;
      const items = lists.get(name) ?? [];
      items.push([Number(m[2]), params[key]!]);
      lists.set(name, items);
    } else {
      out[key] = params[key]!;
    }
  }
  if (lists) {
    for (const [name, items] of lists) {
      if (Object.prototype.hasOwnProperty.call(out, name) || GATEWAY_PARAMS.has(name)) continue;
      out[name] = items
        .sort((a, b) => a[0] - b[0])
        .map(([, v]) => v)
        .join(",");
    }
  }
  return out;
}

/** `6EBD1AC4-C34D-4AE1-963E-B688A228BE31`-style request id (spec §2.3). */
export function newRequestId(): string {
  return randomUUID().toUpperCase();
}

export function recommendUrl(code: string, requestId: string): string {
  return `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=${RECOMMEND_PRODUCT}&requestId=${requestId}`;
}

/** V1 `Format`: JSON only when asked for (`JSON`/`json`); anything else, or nothing, is XML (spec §2.1). */
export function formatOf(formatParam: string | undefined): ResponseFormat {
  return formatParam !== undefined && formatParam.toLowerCase() === "json" ? "json" : "xml";
}

export interface RenderedResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Success: a flat object, `RequestId` first, never a `Code` (pop-core treats any `Code` as failure, spec §2.3). */
export function renderSuccess(
  action: string,
  requestId: string,
  body: Readonly<Record<string, unknown>>,
  format: ResponseFormat,
): RenderedResponse {
  const headers: Record<string, string> = { "x-acs-request-id": requestId };
  if (format === "xml") {
    const full: Record<string, unknown> = { RequestId: requestId, ...body };
    full.RequestId = requestId;
    headers["content-type"] = XML_CONTENT_TYPE;
    return { status: 200, headers, body: renderXml(`${action}Response`, full) };
  }
  headers["content-type"] = JSON_CONTENT_TYPE;
  // Hot path: splice RequestId into the service's JSON instead of copying the object.
  const rest = JSON.stringify("RequestId" in body ? { ...body, RequestId: undefined } : body);
  const id = `{"RequestId":${JSON.stringify(requestId)}`;
  return { status: 200, headers, body: rest === "{}" ? `${id}}` : `${id},${rest.slice(1)}` };
}

/** The error envelope `{ RequestId, HostId, Code, Message, Recommend }` with the code's HTTP status. */
export function renderError(err: EmulatorError, requestId: string, format: ResponseFormat): RenderedResponse {
  const envelope = {
    RequestId: requestId,
    HostId: HOST_ID,
    Code: err.code,
    Message: err.message,
    Recommend: recommendUrl(err.code, requestId),
  };
  const headers: Record<string, string> = { ...err.headers, "x-acs-request-id": requestId };
  if (format === "xml") {
    headers["content-type"] = XML_CONTENT_TYPE;
    return { status: err.httpStatus, headers, body: renderXml("Error", envelope) };
  }
  headers["content-type"] = JSON_CONTENT_TYPE;
  return { status: err.httpStatus, headers, body: JSON.stringify(envelope) };
}
