/**
 * Minimal signed HTTP calls for tests and the benchmark: V1 (query or form body) and V3 requests signed with
 * Alibaba's own signer (`@alicloud/openapi-util`, as the generated SDKs sign), sent with undici, plus JSON admin
 * calls. Nothing here comes from the provider: the emulator's tests must not share its reading of the spec.
 */
import { createHash, randomUUID } from "node:crypto";
import OpenApiUtil from "@alicloud/openapi-util";
import { request, type Dispatcher } from "undici";
import { API_VERSION } from "../spec/limits";

/** `yyyy-MM-ddTHH:mm:ssZ` (spec §2.1). */
export function isoTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** RFC 3986 encoding (spec §10.1), used to build query strings and form bodies. */
function pct(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function canonicalQueryString(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .sort()
    .map((k) => `${pct(k)}=${pct(params[k]!)}`)
    .join("&");
}

type TeaRequest = Parameters<typeof OpenApiUtil.getAuthorization>[0];

/** Parsed JSON bodies are only ever read by test assertions; `any` keeps those assertions short. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export interface Key {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly securityToken?: string;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  readonly json: Json;
}

async function finish(res: Dispatcher.ResponseData): Promise<RawResponse> {
  const text = await res.body.text();
  let json: Json = {};
  try {
    json = JSON.parse(text) as Json;
  } catch {
    // XML or empty body: callers look at `text`.
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

export interface V1Options {
  readonly method?: "GET" | "POST";
  /** Put parameters in a form body (POST) instead of the query string. */
  readonly form?: boolean;
  /** `Format` parameter; `null` sends none (the XML default). */
  readonly format?: string | null;
  readonly timestamp?: string;
  readonly nonce?: string;
  readonly version?: string;
  /** Changes the params after signing (to break the signature). */
  readonly tamper?: (params: Record<string, string>) => void;
  readonly dispatcher?: Dispatcher;
}

export function v1Params(action: string, business: Record<string, string>, key: Key, o: V1Options = {}): Record<string, string> {
  const params: Record<string, string> = {
    Action: action,
    Version: o.version ?? API_VERSION,
    AccessKeyId: key.accessKeyId,
    SignatureMethod: "HMAC-SHA1",
    SignatureVersion: "1.0",
    SignatureNonce: o.nonce ?? randomUUID(),
    Timestamp: o.timestamp ?? isoTimestamp(new Date()),
    ...business,
  };
  if (o.format !== null) params.Format = o.format ?? "JSON";
  if (key.securityToken) params.SecurityToken = key.securityToken;
  params.Signature = OpenApiUtil.getRPCSignature(params, o.method ?? "GET", key.accessKeySecret);
  o.tamper?.(params);
  return params;
}

export async function callV1(url: string, action: string, business: Record<string, string>, key: Key, o: V1Options = {}): Promise<RawResponse> {
  const method = o.method ?? (o.form ? "POST" : "GET");
  const params = v1Params(action, business, key, { ...o, method });
  const encoded = canonicalQueryString(params);
  const res = o.form
    ? await request(`${url}/`, {
        method,
        body: encoded,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        dispatcher: o.dispatcher,
      })
    : await request(`${url}/?${encoded}`, { method, dispatcher: o.dispatcher });
  return finish(res);
}

export interface V3Options {
  readonly method?: "GET" | "POST";
  readonly date?: string;
  readonly nonce?: string;
  readonly version?: string;
  /** A form body (hashed into x-acs-content-sha256). */
  readonly formBody?: Record<string, string>;
  /** Overrides of the sent headers after signing. */
  readonly tamperHeaders?: (headers: Record<string, string>) => void;
  readonly dispatcher?: Dispatcher;
}

export interface PreparedRequest {
  readonly url: string;
  readonly method: "GET" | "POST";
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
}

/** A signed V3 request, ready to send (the benchmark signs ahead of its timed loop). */
export function prepareV3(url: string, action: string, query: Record<string, string>, key: Key, o: V3Options = {}): PreparedRequest {
  const method = o.method ?? "POST";
  const body = o.formBody ? canonicalQueryString(o.formBody) : "";
  const headers: Record<string, string> = {
    host: new URL(url).host,
    "x-acs-action": action,
    "x-acs-version": o.version ?? API_VERSION,
    "x-acs-date": o.date ?? isoTimestamp(new Date()),
    "x-acs-signature-nonce": o.nonce ?? randomUUID().replace(/-/g, ""),
    "x-acs-content-sha256": sha256Hex(body),
  };
  if (o.formBody) headers["content-type"] = "application/x-www-form-urlencoded";
  if (key.securityToken) headers["x-acs-security-token"] = key.securityToken;
  const tea = { method, pathname: "/", query: { ...query }, headers: { ...headers } } as unknown as TeaRequest;
  headers.authorization = OpenApiUtil.getAuthorization(tea, "ACS3-HMAC-SHA256", headers["x-acs-content-sha256"]!, key.accessKeyId, key.accessKeySecret);
  o.tamperHeaders?.(headers);
  const qs = canonicalQueryString(query);
  return { url: `${url}/${qs ? `?${qs}` : ""}`, method, headers, body: body || undefined };
}

export async function send(req: PreparedRequest, dispatcher?: Dispatcher): Promise<RawResponse> {
  return finish(await request(req.url, { method: req.method, headers: req.headers, body: req.body, dispatcher }));
}

export async function callV3(url: string, action: string, query: Record<string, string>, key: Key, o: V3Options = {}): Promise<RawResponse> {
  return send(prepareV3(url, action, query, key, o), o.dispatcher);
}

export async function admin(url: string, method: "GET" | "POST" | "DELETE", path: string, body?: unknown): Promise<RawResponse> {
  const res = await request(`${url}/_emulator${path}`, {
    method,
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body), headers: { "content-type": "application/json" } }),
  });
  return finish(res);
}
