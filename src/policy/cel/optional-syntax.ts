/**
 * CEL's optional syntax (`a.?b`, `a[?k]`), which Kubernetes and Kyverno policies use on nearly
 * every field, is not parsed by @bufbuild/cel 0.6. We rewrite it into ordinary method calls
 * before parsing: `a.?b` → `a.optSelect__('b')`, `a[?k]` → `a.optIndex__(k)`. Both methods are
 * defined in optional.ts; string literals are copied untouched.
 */

const IDENT_START = /[A-Za-z_]/;
const IDENT = /[A-Za-z0-9_]/;

/** Length of the string literal starting at `i` (quotes, triple quotes, r/b prefixes), or 0. */
function literalLength(src: string, i: number): number {
  let j = i;
  while (j < src.length && /[rRbB]/.test(src[j]!) && j - i < 2) j++;
  const quote = src[j];
  if (quote !== "'" && quote !== '"') return 0;
  if (j > i && i > 0 && IDENT.test(src[i - 1]!)) return 0;
  const raw = /[rR]/.test(src.slice(i, j));
  const triple = src.startsWith(quote.repeat(3), j);
  const close = triple ? quote.repeat(3) : quote;
  let k = j + close.length;
  while (k < src.length) {
    if (!raw && src[k] === "\\") {
      k += 2;
      continue;
    }
    if (src.startsWith(close, k)) return k + close.length - i;
    k++;
  }
  return src.length - i;
}

/** An open bracket: a call or group `(`, an index `[`, a list literal `[`, a map literal `{`. */
interface Frame {
  kind: "paren" | "index" | "optIndex" | "list" | "map";
  /** Where the literal starts in the output (to wrap it in optList__/optMap__ once it has `?`). */
  start: number;
  wrapped: boolean;
  /** An `optEntry__(` is open and must be closed at the entry's end. */
  entryOpen: boolean;
  /** A map key marked `?`: its value becomes `optEntry__(value)`. */
  optionalKey: boolean;
}

/**
 * Once a postfix chain is optional (`a.?b`), later plain selections in the same chain stay
 * optional, as in cel-go: `a.?b.c` is `a.?b.?c`, and so is an index `a.?b[0]`.
 *
 * Optional entries of literals: `[a, ?b]` → `optList__([a, optEntry__(b)])` and
 * `{?'k': v}` → `optMap__({'k': optEntry__(v)})` (optional.ts drops the entries whose optional
 * is none and unwraps the others).
 */
export function desugarOptionals(src: string): string {
  let out = "";
  const frames: Frame[] = [];
  let chain = false;
  let i = 0;
  const identAt = (j: number): [string, number] | undefined => {
    let k = j;
    while (k < src.length && /\s/.test(src[k]!)) k++;
    if (!IDENT_START.test(src[k] ?? "")) return undefined;
    const start = k;
    while (k < src.length && IDENT.test(src[k]!)) k++;
    return [src.slice(start, k), k];
  };
  const isCall = (k: number): boolean => /^\s*\(/.test(src.slice(k, k + 20));
  const top = (): Frame | undefined => frames[frames.length - 1];
  const open = (kind: Frame["kind"]): void => {
    frames.push({ kind, start: out.length, wrapped: false, entryOpen: false, optionalKey: false });
  };
  const closeEntry = (f: Frame | undefined): void => {
    if (f?.entryOpen) {
      out += ")";
      f.entryOpen = false;
    }
  };
  while (i < src.length) {
    const c = src[i]!;
    const lit = IDENT.test(src[i - 1] ?? "") ? 0 : literalLength(src, i);
    if (lit > 0) {
      out += src.slice(i, i + lit);
      i += lit;
      chain = false;
      continue;
    }
    if (c === "." && src[i + 1] === "?") {
      const id = identAt(i + 2);
      if (id) {
        out += `.optSelect__('${id[0]}')`;
        i = id[1];
        chain = true;
        continue;
      }
    }
    if (c === "." && chain) {
      const id = identAt(i + 1);
      if (id && !isCall(id[1])) {
        out += `.optSelect__('${id[0]}')`;
        i = id[1];
        continue;
      }
      chain = false;
    }
    const f = top();
    if (c === "?" && (f?.kind === "list" || f?.kind === "map") && /[[{,]$/.test(out.trimEnd())) {
      // An optional entry: a `?` can follow `[`, `{` or `,` only as that (a ternary needs a condition before it).
      if (!f.wrapped) {
        out = `${out.slice(0, f.start)}${f.kind === "list" ? "optList__(" : "optMap__("}${out.slice(f.start)}`;
        f.wrapped = true;
      }
      if (f.kind === "list") {
        out += "optEntry__(";
        f.entryOpen = true;
      } else {
        f.optionalKey = true;
      }
      i++;
      continue;
    }
    if (c === ":" && f?.kind === "map" && f.optionalKey) {
      out += ": optEntry__(";
      f.optionalKey = false;
      f.entryOpen = true;
      i++;
      continue;
    }
    if (c === "," && (f?.kind === "list" || f?.kind === "map")) closeEntry(f);
    if (c === "(") open("paren");
    if (c === "{") open("map");
    if (c === "[") {
      const prev = out.trimEnd().slice(-1);
      let j = i + 1;
      while (j < src.length && /\s/.test(src[j]!)) j++;
      const isIndex = prev !== "" && /[A-Za-z0-9_)\]'"}]/.test(prev);
      if (isIndex && (src[j] === "?" || chain)) {
        out += ".optIndex__(";
        open("optIndex");
        i = src[j] === "?" ? j + 1 : i + 1;
        chain = false;
        continue;
      }
      open(isIndex ? "index" : "list");
    }
    if (c === "]" || c === "}" || c === ")") {
      const closing = frames.pop();
      closeEntry(closing);
      if (closing?.kind === "optIndex") {
        out += ")";
        i++;
        chain = true;
        continue;
      }
      if (closing?.wrapped) {
        out += `${c})`;
        i++;
        chain = false;
        continue;
      }
    }
    if (!/\s/.test(c)) chain = false;
    out += c;
    i++;
  }
  return out;
}
