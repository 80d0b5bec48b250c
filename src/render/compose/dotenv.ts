/**
 * `.env` and `env_file` parsing with Compose's dotenv rules: `#` comments, optional `export `,
 * `KEY=value` or `KEY: value`, single quotes taken literally, double quotes with escapes and
 * variable expansion, unquoted values cut at ` #`, and a bare `KEY` inherited from the lookup.
 * Errors name the variable and the line, never the value: env files hold credentials.
 */
import { interpolate, type Lookup } from "./interpolate.js";

export interface DotenvResult {
  values: Map<string, string>;
  /** The line each key was last set on, for messages about a setting. */
  lines: Map<string, number>;
  /** The first error stops parsing, as in Compose; values read before it are kept. */
  error?: { message: string; line: number };
}

const KEY_CHAR = /[\p{L}\p{N}_.\-[\]]/u;
const VALUE_SPACE = "\t\v\f\r \u0085\u00a0";
const EXPORT = /^export[ \t]+/;

/**
 * `lookup` supplies values for inherited keys and for `${VAR}` references to variables the
 * file has not defined yet; it must never be the process environment.
 */
export function parseDotenv(text: string, lookup: Lookup = () => undefined): DotenvResult {
  const scanner = new Scanner(text.replace(/\r\n/g, "\n"));
  const values = new Map<string, string>();
  const lines = new Map<string, number>();
  const resolve: Lookup = (name) => lookup(name) ?? values.get(name);
  try {
    for (;;) {
      scanner.skipBlankAndComments();
      if (scanner.done()) break;
      const statement = scanner.readStatement(resolve);
      if (statement.inherited) {
        const inherited = lookup(statement.key);
        if (inherited !== undefined) set(statement.key, inherited, statement.line);
        continue;
      }
      set(statement.key, statement.value, statement.line);
    }
  } catch (err) {
    if (err instanceof DotenvError) return { values, lines, error: { message: err.message, line: err.line } };
    throw err;
  }
  return { values, lines };

  function set(key: string, value: string, line: number): void {
    values.set(key, value);
    lines.set(key, line);
  }
}

class DotenvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

class Scanner {
  private i = 0;
  private line = 1;

  constructor(private readonly s: string) {}

  done(): boolean {
    return this.i >= this.s.length;
  }

  skipBlankAndComments(): void {
    while (!this.done()) {
      const c = this.s[this.i]!;
      if (c === "\n") this.line++;
      if (/\s/.test(c)) {
        this.i++;
        continue;
      }
      if (c !== "#") return;
      this.skipLine();
    }
  }

  readStatement(resolve: Lookup): { key: string; value: string; inherited: boolean; line: number } {
    const line = this.line;
    const exportMatch = EXPORT.exec(this.s.slice(this.i));
    if (exportMatch) this.i += exportMatch[0].length;
    const start = this.i;
    while (!this.done() && !"=:\n".includes(this.s[this.i]!)) {
      const c = this.s[this.i]!;
      if (c !== " " && c !== "\t" && !KEY_CHAR.test(c)) {
        // Not the name read so far: a line without "=" may be a bare password.
        throw new DotenvError(`unexpected character "${c}" in a variable name (letters, digits, _ . - [ ] only; is an "=" missing?)`, line);
      }
      this.i++;
    }
    const key = this.s.slice(start, this.i).trim();
    if (/\s/.test(key)) throw new DotenvError('a variable name cannot contain a space (is an "=" missing?)', line);
    if (this.done() || this.s[this.i] === "\n") return { key, value: "", inherited: true, line };
    this.i++; // past "=" or ":"
    // compose-go's isSpace: a quote after any of these still opens a quoted value.
    while (VALUE_SPACE.includes(this.s[this.i] ?? "")) this.i++;
    const quote = this.s[this.i];
    const value = quote === '"' || quote === "'" ? this.readQuoted(key, quote, line, resolve) : this.readUnquoted(key, line, resolve);
    return { key, value, inherited: false, line };
  }

  private readUnquoted(key: string, line: number, resolve: Lookup): string {
    const end = this.s.indexOf("\n", this.i);
    const raw = this.s.slice(this.i, end < 0 ? undefined : end);
    this.i = end < 0 ? this.s.length : end;
    // Only " #" starts a comment, as in compose-go: "a\t#b" is the whole value.
    const commentAt = raw.indexOf(" #");
    return expandValue(key, (commentAt < 0 ? raw : raw.slice(0, commentAt)).trimEnd(), resolve, line);
  }

  private readQuoted(key: string, quote: string, line: number, resolve: Lookup): string {
    let chars = "";
    let escaped = false;
    for (let j = this.i + 1; j < this.s.length; j++) {
      const c = this.s[j]!;
      if (c === "\n") this.line++;
      if (escaped) {
        escaped = false;
        // An escaped quote drops its backslash; other escapes are decoded below.
        chars += c === quote ? c : `\\${c}`;
        continue;
      }
      if (c === "\\") {
        escaped = true;
        continue;
      }
      if (c !== quote) {
        chars += c;
        continue;
      }
      this.i = j + 1;
      this.skipTrailing(key, line);
      return quote === "'" ? chars : expandValue(key, decodeEscapes(chars), resolve, line);
    }
    throw new DotenvError(`unterminated quoted value of ${key}: the ${quote} opened on this line is never closed`, line);
  }

  /** After a closing quote only spaces and a comment may follow on the line. */
  private skipTrailing(key: string, line: number): void {
    const end = this.s.indexOf("\n", this.i);
    const rest = this.s.slice(this.i, end < 0 ? undefined : end);
    if (rest.trim() !== "" && !rest.trim().startsWith("#")) {
      throw new DotenvError(`unexpected text after the quoted value of ${key}; only a # comment may follow the closing quote`, line);
    }
    this.i = end < 0 ? this.s.length : end;
  }

  private skipLine(): void {
    const end = this.s.indexOf("\n", this.i);
    this.i = end < 0 ? this.s.length : end;
  }
}

const ESCAPES: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", '"': '"' };

/**
 * compose-go's expandEscapes: `\0` followed by up to three digits drops the 0 and is read as
 * Go reads `\NNN`, which needs exactly three octal digits; anything else stays as written
 * (without the 0). `\c` and unknown escapes stay as written.
 */
function decodeEscapes(s: string): string {
  return s.replace(/\\([abcfnrtv"\\$]|0\d{0,3})/g, (match, c: string) => {
    // `\$` means a literal dollar: hand `$$` to the interpolation step.
    if (c === "$") return "$$";
    if (c.startsWith("0")) {
      const digits = c.slice(1);
      const code = /^[0-7]{3}$/.test(digits) ? parseInt(digits, 8) : 256;
      return code < 256 ? String.fromCharCode(code) : `\\${digits}`;
    }
    return ESCAPES[c] ?? match;
  });
}

function expandValue(key: string, value: string, resolve: Lookup, line: number): string {
  const result = interpolate(value, resolve);
  if (!result.ok) throw new DotenvError(`${key}: ${result.message}`, line);
  return result.value;
}

/**
 * `env_file` entries with `format: raw`: the `docker run --env-file` format (docker/cli
 * pkg/kvfile, which Compose registers as "raw"). Each line is `KEY=value` taken as written,
 * one pair of matching quotes around the value removed, no interpolation, no comments after
 * a value; a bare `KEY` takes the lookup's value if it has one.
 */
export function parseRawEnv(text: string, lookup: Lookup = () => undefined): DotenvResult {
  const values = new Map<string, string>();
  const lines = new Map<string, number>();
  const all = text.replace(/^\uFEFF/, "").split("\n");
  for (let i = 0; i < all.length; i++) {
    const line = all[i]!.replace(/\r$/, "").trimStart();
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    const key = eq < 0 ? line : line.slice(0, eq);
    if (key === "") return { values, lines, error: { message: "a line has no variable name before its =", line: i + 1 } };
    if (/[ \t]/.test(key)) return { values, lines, error: { message: 'a variable name cannot contain spaces or tabs (is an "=" missing?)', line: i + 1 } };
    const value = eq < 0 ? lookup(key) : line.slice(eq + 1);
    if (value === undefined) continue;
    values.set(key, trimQuotes(value));
    lines.set(key, i + 1);
  }
  return { values, lines };
}

function trimQuotes(value: string): string {
  if (value.length < 2) return value;
  const first = value[0];
  return (first === '"' || first === "'") && value.endsWith(first) ? value.slice(1, -1) : value;
}
