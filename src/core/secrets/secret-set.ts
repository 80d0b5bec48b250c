/**
 * The run-wide set of values Shipshape has reason to treat as secret, and the one scrubber
 * every string that leaves the process goes through. Entry points seed it with the
 * operator's own secrets, renderers and the pipeline add what they find in the pull request,
 * and sinks (report, stdout, files, GitHub requests, logs) call `scrub`.
 *
 * Each value is also added in the forms it may take on the way out: its secret-looking lines (a
 * PEM key or a multi-line literal is quoted one line at a time by YAML errors and tools), base64 (a
 * Secret's `data`), JSON-escaped (a value with quotes or backslashes inside a JSON string)
 * and percent-decoded (a password in a URL).
 *
 * What is scrubbed, because a short or common value cannot be scrubbed without destroying the
 * text around it (a password "abc" would eat every "abc" of a report):
 * - under MIN_LENGTH (4) characters: nothing; such a value is guessable anyway, and the diff
 *   redactor still hides it by position;
 * - a plain word of letters under WORD_LENGTH (16) characters, added with `add`: nothing.
 *   Secrets hold user and database names as often as passwords: `POSTGRES_USER: postgres`
 *   must not turn the image `postgres:16`, a Service and a target path into "[redacted]". The
 *   redactor still hides them in diffs, and messages name keys, not values. A value added with
 *   `addCredential` (its name says it is a password, token or key) is scrubbed even when it is
 *   a plain word, as a whole token: a password "supersecret" is a secret whatever it looks like;
 * - numbers under LONG_LENGTH digits (a port, a TTL: `TOKEN_TTL=3600`): nothing, they are
 *   everywhere in a report;
 * - MIN_LENGTH up to LONG_LENGTH - 1 (4–7) characters: where the value stands as a whole
 *   token, not inside a longer word ("hunter2" in "pw: hunter2," but not in "hunter2x");
 * - LONG_LENGTH (8) characters and more: wherever it appears.
 *
 * Matching is one literal search over all values (literal-search.ts: linear in the text, with
 * no limit on the values' number or size), built lazily after the set changed: a report of
 * megabytes is scanned once, not once per value. Every occurrence of every value is hidden,
 * overlapping ones merged into one marker.
 *
 * `scrub` fails closed: if matching ever throws, it throws a ScrubError whose message holds
 * nothing of the text nor of the set, and sinks print a generic error instead of the text.
 */
import { isCredentialName } from "./credential-name.js";
import { LiteralSearch } from "./literal-search.js";

export const MIN_LENGTH = 4;
export const LONG_LENGTH = 8;
export const WORD_LENGTH = 16;
export const REDACTED = "[redacted]";

const SHORT_NUMBER = /^[0-9]{1,7}$/;
const WORD = new RegExp(`^[A-Za-z]{1,${WORD_LENGTH - 1}}$`);
const PLAIN_WORD = /^[A-Za-z]+$/;
/**
 * Words that are YAML or JSON values in their own right: `usePassword: true` names a credential
 * but holds a switch. Scrubbing them would turn every `true` of a JSON report into `[redacted]`
 * (invalid JSON) while hiding nothing worth hiding.
 */
const SCALAR_KEYWORD = /^(?:true|false|yes|no|on|off|null|nil|none)$/i;

export interface ScrubDeepOptions {
  /**
   * Keys whose string values are left alone: enumerations and identifiers that code
   * downstream reads (`severity`, `conclusion`, a finding's `id`). A pull request must not be
   * able to break them by choosing a secret that reads like one.
   */
  keep?: ReadonlySet<string>;
}

export class SecretSet {
  private readonly values = new Set<string>();
  /** Plain-word credentials: matched only as whole tokens, whatever their length. */
  private readonly wordValues = new Set<string>();
  private matcher: LiteralSearch | null | undefined;
  private names: ReadonlySet<string> | undefined;

  /** A set seeded with these values (each added with its derived forms). */
  static of(values: Iterable<string>): SecretSet {
    const set = new SecretSet();
    for (const v of values) set.add(v);
    return set;
  }

  /** A set seeded with credentials (the operator's tokens and keys): plain words too. */
  static ofCredentials(values: Iterable<string>): SecretSet {
    const set = new SecretSet();
    for (const v of values) set.addCredential(v);
    return set;
  }

  get size(): number {
    return this.values.size + this.wordValues.size;
  }

  /** Adds a value and its derived forms; returns this for chaining. */
  add(value: string | undefined | null): this {
    if (typeof value === "string" && isQuoted(value)) return this.add(unquote(value));
    // A value too short or too common to scrub is not scrubbed in any form either.
    if (typeof value !== "string" || !worthScrubbing(value.trim())) return this;
    for (const form of derivedForms(value)) this.addExact(form);
    return this;
  }

  /**
   * Adds a value whose name says it is a credential (a password, a token, a key): unlike
   * `add`, a plain word is scrubbed too, as a whole token.
   */
  addCredential(value: string | undefined | null): this {
    if (typeof value !== "string") return this;
    if (isQuoted(value)) return this.addCredential(unquote(value));
    const trimmed = value.trim();
    if (SCALAR_KEYWORD.test(trimmed)) return this;
    if (!PLAIN_WORD.test(trimmed) || trimmed.length < MIN_LENGTH) return this.add(value);
    // One of the repository's own folder or file names (`TS_KUBE_SECRET: tailscale`): a name.
    if (this.names?.has(trimmed)) return this.add(value);
    if (!this.wordValues.has(trimmed)) {
      this.wordValues.add(trimmed);
      this.matcher = undefined;
    }
    return this;
  }

  /**
   * Names the repository spells out itself (repository-names.ts): a plain word found later under
   * a credential-like name that is one of them is treated like any other value (`add`). Values
   * added before — the operator's own credentials — keep their whole-word scrubbing.
   */
  treatAsNames(names: ReadonlySet<string>): this {
    this.names = names;
    return this;
  }

  /** Adds the base64 text of a Secret's `data` entry and what it decodes to. */
  addBase64(encoded: string): this {
    const clean = encoded.replace(/\s+/g, "");
    this.addExact(clean);
    const decoded = decodeBase64Text(clean);
    if (decoded !== undefined) this.add(decoded);
    return this;
  }

  /** Every value of `other` joins this set. */
  addAll(other: SecretSet): this {
    for (const v of other.values) this.addExact(v);
    for (const v of other.wordValues) this.addCredential(v);
    return this;
  }

  /** A new set with this set's values, to be extended without touching this one. */
  fork(): SecretSet {
    return new SecretSet().addAll(this);
  }

  /**
   * Every value the set scrubs, derived forms included: for a sink that hides them on its own
   * side too (the Action masks them in the runner's log).
   */
  all(): string[] {
    return [...this.values, ...this.wordValues];
  }

  has(text: string): boolean {
    return this.values.has(text) || this.wordValues.has(text);
  }

  scrub(text: string): string {
    try {
      const matcher = this.compiled();
      if (!matcher || text.length < MIN_LENGTH) return text;
      return replaceRanges(text, matcher.ranges(text));
    } catch {
      // Whatever broke, its message may quote the text or the values: none of it goes on.
      throw new ScrubError();
    }
  }

  /**
   * A copy of a JSON-like value with every string scrubbed, except the values of the keys
   * `keep` lists. Object keys are left alone: they are the shape of the value (a report's
   * `message`), never a secret Shipshape puts there. Non-plain objects are returned as they are.
   */
  scrubDeep<T>(value: T, options: ScrubDeepOptions = {}): T {
    if (!this.scrubs()) return value;
    return this.deep(value, options.keep ?? NO_KEYS) as T;
  }

  private deep(value: unknown, keep: ReadonlySet<string>): unknown {
    if (typeof value === "string") return this.scrub(value);
    if (Array.isArray(value)) return value.map((v) => this.deep(v, keep));
    if (!isPlainObject(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = keep.has(k) && typeof v === "string" ? v : this.deep(v, keep);
    }
    return out;
  }

  private addExact(value: string): void {
    if (!worthScrubbing(value) || this.values.has(value)) return;
    this.values.add(value);
    this.matcher = undefined;
  }

  /** True when the set holds something to scrub. */
  private scrubs(): boolean {
    return this.values.size > 0 || this.wordValues.size > 0;
  }

  private compiled(): LiteralSearch | null {
    if (this.matcher !== undefined) return this.matcher;
    if (!this.scrubs()) return (this.matcher = null);
    const whole = (v: string) => v.length < LONG_LENGTH || this.wordValues.has(v);
    const literals = [...this.values, ...this.wordValues].map((text) => ({ text, whole: whole(text) }));
    return (this.matcher = new LiteralSearch(literals));
  }
}

/** Scrubbing failed: nothing of what was being scrubbed may be shown, not even in this error. */
export class ScrubError extends Error {
  constructor() {
    super("scrubbing an output for secrets failed; the output was withheld");
    this.name = "ScrubError";
  }
}

/**
 * `secrets.scrub(text)` for a sink that must write something: when scrubbing fails, `withheld`
 * (a fixed message) instead of the text, and `onWithheld` so the run can end as failed.
 */
export function scrubOrWithhold(secrets: SecretSet, text: string, withheld: string, onWithheld?: () => void): string {
  try {
    return secrets.scrub(text);
  } catch {
    onWithheld?.();
    return withheld;
  }
}

/** `[start, end)` pairs, sorted and disjoint, each replaced by the marker. */
function replaceRanges(text: string, ranges: readonly number[]): string {
  if (ranges.length === 0) return text;
  const parts: string[] = [];
  let at = 0;
  for (let i = 0; i < ranges.length; i += 2) {
    parts.push(text.slice(at, ranges[i]), REDACTED);
    at = ranges[i + 1]!;
  }
  parts.push(text.slice(at));
  return parts.join("");
}

const NO_KEYS: ReadonlySet<string> = new Set();

/**
 * A value as written in YAML with its quotes (`password: "pricelist"` read as text): the secret
 * is what is inside. Scrubbing the quotes too would eat a JSON report's own quotes around the
 * same word (`"path": [redacted],`, invalid JSON) and undo the exemptions a plain word has;
 * the inside, scrubbed, still hides every quoted occurrence.
 */
const QUOTED = /^\s*(["'])([\s\S]*)\1\s*$/;

function isQuoted(value: string): boolean {
  return QUOTED.test(value) && value.trim().length >= 2;
}

function unquote(value: string): string {
  return value.trim().slice(1, -1);
}

function worthScrubbing(value: string): boolean {
  return value.length >= MIN_LENGTH && !SHORT_NUMBER.test(value) && !WORD.test(value);
}

/** The value as given, trimmed, its secret-looking lines, JSON-escaped, base64 and URL-decoded. */
function derivedForms(value: string): string[] {
  const trimmed = value.trim();
  const forms = new Set([value, trimmed]);
  if (trimmed.includes("\n")) for (const line of trimmed.split(/\r?\n/)) for (const part of lineForms(line.trim())) forms.add(part);
  const json = JSON.stringify(trimmed).slice(1, -1);
  if (json !== trimmed) forms.add(json);
  if (trimmed.length >= MIN_LENGTH) forms.add(Buffer.from(trimmed, "utf8").toString("base64").replace(/=+$/, ""));
  // Templates put values into URLs (helm's `urlquery`, Go's url.QueryEscape; JavaScript's encoder).
  for (const encoded of urlEncodings(trimmed)) if (encoded !== trimmed) forms.add(encoded);
  if (/%[0-9A-Fa-f]{2}/.test(trimmed)) {
    try {
      forms.add(decodeURIComponent(trimmed));
    } catch {
      // Not valid percent-encoding: the value as written is enough.
    }
  }
  return [...forms];
}

/**
 * The parts of one line of a multi-line secret that tools and YAML errors may quote alone: a
 * line that is one token (a PEM line, a bare password), and the value of a `key: value` or
 * `key=value` line when the key names a credential or the value is a long opaque token. Not
 * every line: a kubeconfig in a Secret has `apiVersion: v1`, which must not vanish from every
 * diff.
 */
function lineForms(line: string): string[] {
  if (!/\s/.test(line)) return [line];
  const pair = /^["']?([\w.-]+)["']?\s*[:=]\s*(.+)$/.exec(line);
  if (!pair) return wordsAfterCredentialNames(line);
  const key = pair[1]!;
  const v = pair[2]!.trim().replace(/^(["'])(.*)\1$/, "$2");
  return isCredentialName(key) || (!/\s/.test(v) && v.length >= OPAQUE_TOKEN_LENGTH) ? [v] : [];
}

/**
 * Lines written as words (`machine github.com login deploy password s3cret` in a netrc,
 * `password s3cret` in a config file): the word after a credential name is a credential.
 */
function wordsAfterCredentialNames(line: string): string[] {
  const words = line.split(/\s+/);
  const out: string[] = [];
  for (let i = 0; i + 1 < words.length; i++) if (isCredentialName(words[i]!)) out.push(words[i + 1]!);
  return out;
}

/**
 * JavaScript's encodeURIComponent and Go's url.QueryEscape (which also escapes `!'()*` and
 * writes a space as `+`), derived from the first: byte by byte in JavaScript was the slowest
 * step of adding a value of megabytes. A lone surrogate (encodeURIComponent throws on it) is
 * encoded as the U+FFFD both TextEncoder and Go write for it.
 */
function urlEncodings(value: string): string[] {
  const js = encodeURIComponent(value.replace(LONE_SURROGATE, "\uFFFD"));
  const go = js.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, "+");
  return [js, go];
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A value this long without spaces is a key, a token or a URL: worth scrubbing alone. */
const OPAQUE_TOKEN_LENGTH = 16;

/** The UTF-8 text a base64 value holds, or undefined when it is not text (binary, not base64). */
export function decodeBase64Text(clean: string): string | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) return undefined;
  const bytes = Buffer.from(clean, "base64");
  const text = bytes.toString("utf8");
  // A replacement character means the bytes were not UTF-8: binary data, scrubbed encoded only.
  return text.includes("\uFFFD") ? undefined : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
