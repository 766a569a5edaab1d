/**
 * XML rendering of responses for V1 requests that ask for `Format=XML` or name no format at all (Live's V1 default
 * is XML, spec §2.1). Success: `<{Action}Response>` with the JSON fields as elements, arrays as repeated elements;
 * errors: `<Error>…</Error>` (what darabonba's SDK parses, spec §2.3).
 */
import { XMLBuilder } from "fast-xml-parser";

export const XML_CONTENT_TYPE = "text/xml;charset=utf-8";
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_", suppressEmptyNode: false });

/**
 * Characters XML 1.0 forbids even as character references (§2.2 `Char`): C0 controls other than tab, LF and CR,
 * U+FFFE, U+FFFF and unpaired surrogates. A value that holds one (GroupInfo may hold anything) is written with each
 * replaced by U+FFFD, so every XML answer stays well-formed. [U] the real gateway's handling is undocumented; JSON
 * answers carry the exact value.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
export const XML_REPLACEMENT_CHAR = "\uFFFD";

export function xmlSafe(text: string): string {
  return text.replace(XML_FORBIDDEN, XML_REPLACEMENT_CHAR);
}

/** XML 1.0 element names (ASCII subset is enough for API field names). */
const XML_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Map keys that are not valid element names (e.g. `MsgAmount` keyed by message type "1", spec §5.2) become
 * `<Entry Key="1">20</Entry>` — [U] the real gateway's rendering of such maps is undocumented.
 */
function toXmlValue(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.map(toXmlValue).filter((v) => v !== undefined);
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    const entries: unknown[] = [];
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const x = toXmlValue(v);
      if (x === undefined) continue;
      if (XML_NAME.test(k) && !k.startsWith("@_")) out[k] = x;
      else entries.push(typeof x === "object" ? { "@_Key": xmlSafe(k), ...(x as object) } : { "@_Key": xmlSafe(k), "#text": String(x) });
    }
    if (entries.length > 0) out.Entry = entries;
    return out;
  }
  if (typeof value === "boolean" || typeof value === "number" || typeof value === "bigint") return String(value);
  return typeof value === "string" ? xmlSafe(value) : value;
}

/** `<?xml …?><Root>…</Root>` for a flat response object. */
export function renderXml(root: string, body: Readonly<Record<string, unknown>>): string {
  return XML_DECLARATION + builder.build({ [root]: toXmlValue(body) });
}
