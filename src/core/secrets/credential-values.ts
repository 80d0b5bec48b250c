/**
 * Where a credential sits inside a string, whatever the field is called: a `--db-password=…`
 * argument or `PGPASSWORD=…` assignment, an `Authorization: Bearer …` / `Basic …` value, the
 * password of a `scheme://user:password@host` URL, a `password: …` line of an embedded config
 * file. The diff redactor replaces these spans with markers; the collector adds them to the
 * run's secret set. Both use this one module so what is hidden in a diff is also scrubbed
 * everywhere else.
 */
import { isCredentialName } from "./credential-name.js";

/** One credential inside a string: `text.slice(start, end)`; `key` pairs it across base and head. */
export interface CredentialSpan {
  start: number;
  end: number;
  key: string;
}

/**
 * A URL with a password in it (`postgres://app:s3cret@db/shop`). The match starts at `://` and
 * looks behind it for the scheme: written forwards, the scheme's run of letters was rescanned
 * from each of its positions (70,000 letters and an `=` took 14 s), and a lookbehind in front
 * would run at every position too. The user and password runs stop at `/`, and the scheme's
 * characters exclude `:` and `/`, so no character is scanned for two `://`.
 */
export const CREDENTIAL_URL = /:\/\/(?<=[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]*:[^/\s@]+@/i;

/** `--db-password=x`, `PGPASSWORD=x`, `-token=x`: the name decides; quotes end the value. */
const ASSIGNMENT = /(^|[\s"'`;,(])(-{0,2})([A-Za-z_][\w.-]*)=([^\s"'`;,]+)/g;
/** `password: x` at the start of a line (an ini/YAML/properties file held in a string). */
const LINE_ENTRY = /^([ \t]*)([A-Za-z_][\w.-]*)[ \t]*[:=][ \t]*["']?([^\s"'#]+)/gm;
/** A scheme followed by its credential. Basic credentials are base64; tokens are long. */
const AUTH_SCHEME = /\b(Bearer|Basic|Token|Bot)[ \t]+([A-Za-z0-9._~+/-]+=*)/gi;
/** The header name shortly before a scheme word (`proxy_set_header Authorization "Basic …`). */
const AUTHORIZATION_BEFORE = /authori[sz]ation\W{0,4}$/i;
/** `Authorization: x` with no scheme. */
const AUTHORIZATION = /\bAuthorization[ \t]*[:=][ \t]*["']?(?!(?:Bearer|Basic|Token|Bot)\b)([^\s"',;]+)/gi;
/** CREDENTIAL_URL with its user and password captured; the match starts at `://`. */
const URL_PASSWORD = /:\/\/(?<=[a-z][a-z0-9+.-]*:\/\/)([^/\s:@]*):([^/\s@]+)@/gi;

/** The scheme word of `Authorization: Bearer x`: AUTH_SCHEME finds the credential after it. */
const SCHEME_WORD = /^(Bearer|Basic|Token|Bot)$/i;

/** Strings without any of these cannot hold a span: most strings of a manifest. */
const MAYBE = /[=:@]|bearer|basic|token|bot /i;

export function credentialSpans(text: string): CredentialSpan[] {
  if (!MAYBE.test(text)) return [];
  const spans: CredentialSpan[] = [];
  const seen = new Map<string, number>();
  const push = (start: number, value: string, kind: string) => {
    if (value.length === 0 || isReference(value)) return;
    const n = seen.get(kind) ?? 0;
    seen.set(kind, n + 1);
    spans.push({ start, end: start + value.length, key: `${kind}#${n}` });
  };
  for (const m of text.matchAll(ASSIGNMENT)) {
    if (!isCredentialName(m[3]!) || SCHEME_WORD.test(m[4]!)) continue;
    // `(--password=x)` in a shell string: the parenthesis closes the group, not the value.
    const value = m[4]!.endsWith(")") && !m[4]!.includes("(") ? m[4]!.slice(0, -1) : m[4]!;
    push(m.index + m[1]!.length + m[2]!.length + m[3]!.length + 1, value, `${m[2]}${m[3]}=`);
  }
  for (const m of text.matchAll(LINE_ENTRY)) {
    const value = m[3]!;
    if (!isCredentialName(m[2]!) || SCHEME_WORD.test(value)) continue;
    push(m.index + m[0].length - value.length, value, `${m[2]}:`);
  }
  for (const m of text.matchAll(AUTH_SCHEME)) {
    // Right after "Authorization" the word after the scheme is the credential, whatever it looks like.
    const afterAuthorization = AUTHORIZATION_BEFORE.test(text.slice(Math.max(0, m.index - 40), m.index));
    if (!(afterAuthorization && m[2]!.length >= 4) && !looksLikeToken(m[1]!, m[2]!)) continue;
    push(m.index + m[0].length - m[2]!.length, m[2]!, m[1]!.toLowerCase());
  }
  for (const m of text.matchAll(AUTHORIZATION)) push(m.index + m[0].length - m[1]!.length, m[1]!, "authorization");
  for (const m of text.matchAll(URL_PASSWORD)) push(m.index + "://".length + m[1]!.length + 1, m[2]!, "url-password");
  return dropOverlaps(spans);
}

/**
 * The credentials of `text` in the forms that say so whatever surrounds them: a URL's password,
 * a `--db-password=` or `PGPASSWORD=` assignment, an `Authorization`/`Bearer` value. Not the
 * `password: …` line entries: in a message or a values file, what follows a credential-named
 * key is as often prose or a Secret's name ("password: required", `passwordSecretRef: db`),
 * and a plain word added as a credential would vanish from every output.
 */
export function unambiguousCredentials(text: string): string[] {
  return credentialSpans(text)
    .filter((span) => !span.key.replace(/#\d+$/, "").endsWith(":"))
    .map((span) => text.slice(span.start, span.end));
}

/**
 * Indexes of list items that are the value of a credential flag written as two items
 * (`["--password", "x"]`), in `args`, `command` and the like.
 */
export function splitFlagValues(items: readonly unknown[]): number[] {
  const out: number[] = [];
  items.forEach((item, i) => {
    const next = items[i + 1];
    if (typeof item !== "string" || typeof next !== "string" || next.startsWith("-")) return;
    const flag = /^-{1,2}([A-Za-z][\w.-]*)$/.exec(item);
    if (flag && isCredentialName(flag[1]!)) out.push(i + 1);
  });
  return out;
}

/** `$(DB_PASSWORD)`, `${DB_PASSWORD}`, `$DB_PASSWORD`: a reference to a secret, not one. */
export function isReference(value: string): boolean {
  return /^\$(\([A-Za-z_]\w*\)|\{[A-Za-z_]\w*\}|[A-Za-z_]\w*)$/.test(value);
}

/**
 * "Basic auth", "Bearer tokens": prose, not credentials. A Basic credential decodes to
 * `user:password`; any other token has a digit or punctuation and eight characters or more.
 */
function looksLikeToken(scheme: string, value: string): boolean {
  if (scheme.toLowerCase() === "basic") return Buffer.from(value, "base64").toString("utf8").includes(":");
  return value.length >= 8 && /[0-9._~+/=-]/.test(value);
}

/** Patterns can find the same value twice (`Authorization: Bearer x` and `Bearer x`): first one wins. */
function dropOverlaps(spans: CredentialSpan[]): CredentialSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: CredentialSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) continue;
    out.push(s);
  }
  return out;
}
