/**
 * Where a set of literal strings occurs in a text, in time linear in the text whatever the
 * number and the size of the literals: the scrubber's matcher. A regular expression of all
 * values was the first matcher; V8 refuses one past a size (a 30 KB CA bundle in a Secret,
 * with its encoded forms, got there) and its SyntaxError quoted the whole pattern.
 *
 * - Literals up to PIECE characters go into an Aho–Corasick automaton: one pass over the text,
 *   each character followed once.
 * - A longer literal is cut into pieces of exactly PIECE characters that cover it (the last
 *   one ends where the literal ends), found with two rolling hashes of every PIECE-long window:
 *   memory stays proportional to the number of pieces, not to the literal's length, and every
 *   occurrence of the literal is covered by its pieces' occurrences. A piece found elsewhere
 *   is redacted too: PIECE characters of a secret are a secret.
 *
 * What comes out is the union of all occurrences, overlapping and touching ones merged: two
 * secrets that overlap in the text are both hidden, which a leftmost-first match would not do.
 */

export interface Literal {
  text: string;
  /** Matched only as a whole token: not preceded nor followed by a letter, digit or `_`. */
  whole: boolean;
}

/** Longest literal held whole by the automaton; longer ones are found by their pieces. */
export const PIECE = 256;

export class LiteralSearch {
  private readonly trie = new Trie();
  /** First filter: one bit per value of the first hash's top 24 bits (2 MB, made for the first piece). */
  private bits = new Uint8Array(0);
  /** First hash (30 bits, a small integer) → second hashes of the pieces that have it. */
  private readonly pieces = new Map<number, number[]>();
  private readonly base1 = oddBase();
  private readonly base2 = oddBase();
  /** base^(PIECE-1): what the character leaving the window weighs. */
  private readonly top1 = power(this.base1, PIECE - 1);
  private readonly top2 = power(this.base2, PIECE - 1);

  constructor(literals: Iterable<Literal>) {
    for (const { text, whole } of literals) {
      if (text.length === 0) continue;
      // A whole-token literal this long is a passphrase of letters: its pieces are secret anywhere.
      if (text.length <= PIECE) this.trie.add(text, whole);
      else for (let start = 0; start < text.length; start += PIECE) this.addPiece(text, Math.min(start, text.length - PIECE));
    }
    this.trie.link();
  }

  /** `[start, end)` ranges covered by an occurrence of any literal, sorted and merged. */
  ranges(text: string): number[] {
    const out = new Ranges();
    this.trie.scan(text, out);
    if (this.pieces.size > 0) this.scanPieces(text, out);
    return out.list();
  }

  private scanPieces(text: string, out: Ranges): void {
    const { base1, base2, top1, top2, bits } = this;
    let h1 = 0;
    let h2 = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (i >= PIECE) {
        const gone = text.charCodeAt(i - PIECE);
        h1 = (h1 - Math.imul(gone, top1)) | 0;
        h2 = (h2 - Math.imul(gone, top2)) | 0;
      }
      h1 = (Math.imul(h1, base1) + c) | 0;
      h2 = (Math.imul(h2, base2) + c) | 0;
      if (i >= PIECE - 1 && (bits[h1 >>> 11]! & (1 << ((h1 >>> 8) & 7))) !== 0 && this.isPiece(h1, h2)) out.add(i + 1 - PIECE, i + 1);
    }
  }

  /**
   * A window whose two hashes are a piece's is taken for it without comparing the text: a
   * collision only hides more, and comparing would cost PIECE per window of a repetitive text.
   */
  private isPiece(h1: number, h2: number): boolean {
    return this.pieces.get(h1 & 0x3fffffff)?.includes(h2) ?? false;
  }

  private addPiece(text: string, start: number): void {
    let h1 = 0;
    let h2 = 0;
    for (let i = start; i < start + PIECE; i++) {
      const c = text.charCodeAt(i);
      h1 = (Math.imul(h1, this.base1) + c) | 0;
      h2 = (Math.imul(h2, this.base2) + c) | 0;
    }
    if (this.bits.length === 0) this.bits = new Uint8Array(1 << 21);
    this.bits[h1 >>> 11]! |= 1 << ((h1 >>> 8) & 7);
    const key = h1 & 0x3fffffff;
    const seconds = this.pieces.get(key);
    if (!seconds) this.pieces.set(key, [h2]);
    else if (!seconds.includes(h2)) seconds.push(h2);
  }
}

/** A random odd multiplier per search, so which texts collide cannot be prepared in advance. */
function oddBase(): number {
  return (Math.floor(Math.random() * 0x7fffffff) | 1) >>> 0;
}

/** base^exp modulo 2^32. */
function power(base: number, exp: number): number {
  let out = 1;
  for (let i = 0; i < exp; i++) out = Math.imul(out, base);
  return out;
}

/**
 * Ranges in the order their ends are found, merged as they come (touching ones too): ends only grow within one
 * scan, and a new range may reach back over several earlier ones. A second scan (the pieces)
 * starts over from the first range, so `list` merges the two sorted runs.
 */
class Ranges {
  private readonly runs: number[][] = [];
  private run: number[] = [];
  private n = 0;

  add(start: number, end: number): void {
    const r = this.run;
    let n = this.n;
    if (n > 0 && end < r[n - 1]!) return this.restart(start, end);
    while (n > 0 && start <= r[n - 1]!) {
      if (r[n - 2]! < start) start = r[n - 2]!;
      n -= 2;
    }
    r[n] = start;
    r[n + 1] = end;
    this.n = n + 2;
  }

  list(): number[] {
    this.restart(-1, -1);
    const all = this.runs.flatMap((run) => pairs(run)).sort((a, b) => a[0] - b[0]);
    const out: number[] = [];
    for (const [start, end] of all) {
      const last = out.length - 1;
      if (last > 0 && start <= out[last]!) out[last] = Math.max(out[last]!, end);
      else out.push(start, end);
    }
    return out;
  }

  private restart(start: number, end: number): void {
    if (this.n > 0) this.runs.push(this.run.slice(0, this.n));
    this.run = [];
    this.n = 0;
    if (start >= 0) this.add(start, end);
  }
}

function pairs(run: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < run.length; i += 2) out.push([run[i]!, run[i + 1]!]);
  return out;
}

const NONE = -1;
/** A node with several children keeps them in a Map; one child is kept inline. */
const MANY = -2;
const FREE = 1;
const WHOLE = 2;

/**
 * The Aho–Corasick automaton, in typed arrays grown by doubling (a CA bundle's forms are a
 * few hundred thousand nodes). Per node: its depth, failure link, the longest literal ending
 * here that needs no boundary (`free`, its own or its failure chain's), and the nearest node
 * of the chain where a whole-token literal ends.
 */
class Trie {
  private size = 1;
  private oneChar = new Uint16Array(1024);
  private oneNext = new Int32Array(1024).fill(NONE);
  /** Dense (one entry per node): a sparse array would fall back to a slow dictionary. */
  private many: (Map<number, number> | undefined)[] = [undefined];
  private depth = new Int32Array(1024);
  private term = new Uint8Array(1024);
  /** The literal ending at this node is letters, digits and `_` only. */
  private wordOnly = new Uint8Array(1024);
  private fail = new Int32Array(1024);
  private free = new Int32Array(1024);
  private wholeAt = new Int32Array(1024).fill(NONE);
  private root = new Int32Array(0x10000).fill(NONE);

  add(text: string, whole: boolean): void {
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let next = this.child(node, c);
      if (next === NONE) next = this.newChild(node, c, i + 1);
      node = next;
    }
    // The same text added both ways is a whole token: the stricter rule wins over the looser.
    if (this.term[node] !== WHOLE) this.term[node] = whole ? WHOLE : FREE;
    let wordOnly = 1;
    for (let i = 0; i < text.length && wordOnly; i++) if (!isWordCode(text.charCodeAt(i))) wordOnly = 0;
    this.wordOnly[node] = wordOnly;
  }

  /** Failure links and per-node summaries, breadth first (a link points to a shallower node). */
  link(): void {
    const queue = new Int32Array(this.size);
    let head = 0;
    let tail = 0;
    queue[tail++] = 0;
    while (head < tail) {
      const u = queue[head++]!;
      if (u !== 0) this.summarize(u);
      const one = this.oneNext[u]!;
      if (one === NONE) continue;
      const children = one === MANY ? this.many[u]! : new Map([[this.oneChar[u]!, one]]);
      for (const [c, v] of children) {
        this.fail[v] = u === 0 ? 0 : this.failTarget(this.fail[u]!, c, v);
        if (u === 0) this.root[c] = v;
        queue[tail++] = v;
      }
    }
  }

  /** Where the child `v` (by `c`) of a node whose failure link is `f` fails to. */
  private failTarget(f: number, c: number, v: number): number {
    for (;;) {
      const g = f === 0 ? this.root[c]! : this.child(f, c);
      if (g !== NONE && g !== v) return g;
      if (f === 0) return 0;
      f = this.fail[f]!;
    }
  }

  /** Adds the range of the longest literal ending at each character that has one. */
  scan(text: string, out: Ranges): void {
    const { root, free, wholeAt } = this;
    const n = text.length;
    let state = 0;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      state = state === 0 ? root[c]! : this.step(state, c);
      if (state <= 0) {
        state = 0;
        continue;
      }
      if (free[state] === 0 && wholeAt[state] === NONE) continue;
      const length = this.longestAt(state, text, i);
      if (length > 0) out.add(i + 1 - length, i + 1);
    }
  }

  private step(state: number, c: number): number {
    for (;;) {
      const next = state === 0 ? this.root[c]! : this.child(state, c);
      if (next !== NONE) return next;
      if (state === 0) return 0;
      state = this.fail[state]!;
    }
  }

  /** The longest literal ending at `text[i]` in `state` whose boundary rule holds; 0 if none. */
  private longestAt(state: number, text: string, i: number): number {
    let best = this.free[state]!;
    let w = this.wholeAt[state]!;
    if (w === NONE || this.depth[w]! <= best || isWordCode(text.charCodeAt(i + 1))) return best;
    // Bounded: a whole literal that fails its left boundary and is all word characters leaves
    // every shorter one of its chain preceded by a word character too.
    while (w !== NONE && this.depth[w]! > best) {
      if (!isWordCode(text.charCodeAt(i - this.depth[w]!))) return this.depth[w]!;
      if (this.wordOnly[w]) break;
      w = this.wholeAt[this.fail[w]!]!;
    }
    return best;
  }

  private summarize(u: number): void {
    const f = this.fail[u]!;
    this.free[u] = this.term[u] === FREE ? this.depth[u]! : this.free[f]!;
    this.wholeAt[u] = this.term[u] === WHOLE ? u : this.wholeAt[f]!;
  }

  private child(node: number, c: number): number {
    const one = this.oneNext[node]!;
    if (one === MANY) return this.many[node]!.get(c) ?? NONE;
    return one !== NONE && this.oneChar[node] === c ? one : NONE;
  }

  private newChild(node: number, c: number, depth: number): number {
    if (this.size === this.depth.length) this.grow();
    const v = this.size++;
    this.many.push(undefined);
    this.depth[v] = depth;
    const one = this.oneNext[node]!;
    if (one === NONE) {
      this.oneChar[node] = c;
      this.oneNext[node] = v;
    } else if (one === MANY) {
      this.many[node]!.set(c, v);
    } else {
      this.many[node] = new Map([
        [this.oneChar[node]!, one],
        [c, v],
      ]);
      this.oneNext[node] = MANY;
    }
    return v;
  }

  private grow(): void {
    const n = this.depth.length * 2;
    const widen = <T extends Uint8Array | Uint16Array | Int32Array>(a: T, fill: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.fill(fill);
      b.set(a);
      return b;
    };
    this.oneChar = widen(this.oneChar, 0);
    this.oneNext = widen(this.oneNext, NONE);
    this.depth = widen(this.depth, 0);
    this.term = widen(this.term, 0);
    this.wordOnly = widen(this.wordOnly, 0);
    this.fail = widen(this.fail, 0);
    this.free = widen(this.free, 0);
    this.wholeAt = widen(this.wholeAt, NONE);
  }
}

/** A letter, digit or `_`; NaN (outside the text) is not. */
function isWordCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
