/**
 * The string and number formats Shipshape checks, written to match how the API server decodes
 * them (Go's encoding/base64, time.RFC3339, net.ParseIP) rather than JSON Schema's general
 * definitions. Any other format in a schema is ignored, as the API server ignores formats it
 * does not know: a false alarm costs a reviewer more than a missed one.
 */
import { isIPv4, isIPv6 } from "node:net";
import type { Ajv } from "ajv";

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
/** 2^63 as a double. The largest int64 rounds to it when parsed, so the bound is inclusive. */
const INT64_LIMIT = 9223372036854775808;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const LINE_BREAKS = /[\r\n]/g;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Format names CRD schemas may use that Shipshape validates; "datetime" is Kubernetes' alias. */
export const CRD_FORMATS: ReadonlyMap<string, string> = new Map([
  ["byte", "byte"],
  ["date", "date"],
  ["date-time", "date-time"],
  ["datetime", "date-time"],
  ["ipv4", "ipv4"],
  ["ipv6", "ipv6"],
]);

export function addKubernetesFormats(ajv: Ajv): void {
  ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -INT64_LIMIT && n <= INT64_LIMIT });
  // Go's base64 decoder skips line breaks, so folded YAML blocks of base64 are fine.
  ajv.addFormat("byte", { type: "string", validate: (s: string) => BASE64.test(s.includes("\n") || s.includes("\r") ? s.replace(LINE_BREAKS, "") : s) });
  ajv.addFormat("date-time", { type: "string", validate: isDateTime });
  ajv.addFormat("date", { type: "string", validate: isDate });
  ajv.addFormat("ipv4", { type: "string", validate: (s: string) => isIPv4(s) });
  ajv.addFormat("ipv6", { type: "string", validate: (s: string) => isIPv6(s) });
}

/** What a format means, for messages. */
export function describeFormat(format: string): string {
  switch (format) {
    case "int32":
      return "a 32-bit integer";
    case "int64":
      return "a 64-bit integer";
    case "byte":
      return "base64-encoded data";
    case "date-time":
      return "an RFC 3339 date-time such as 2024-01-31T12:00:00Z";
    case "date":
      return "a date such as 2024-01-31";
    case "ipv4":
      return "an IPv4 address";
    case "ipv6":
      return "an IPv6 address";
    default:
      return `format ${format}`;
  }
}

function isDateTime(s: string): boolean {
  const m = RFC3339.exec(s);
  return m !== null && validDate(m[1], m[2], m[3]) && Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6]) < 61;
}

function isDate(s: string): boolean {
  const m = DATE.exec(s);
  return m !== null && validDate(m[1], m[2], m[3]);
}

function validDate(year?: string, month?: string, day?: string): boolean {
  const y = Number(year);
  const mo = Number(month);
  const d = Number(day);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= daysInMonth;
}
