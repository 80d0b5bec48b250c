/**
 * The Kubernetes regex library: `<string>.find(<regex>)` (the first match, or '') and
 * `<string>.findAll(<regex>[, <limit>])` (the matches, at most `limit` when it is >= 0), with
 * Go's `regexp` semantics (leftmost-first, RE2 syntax), as k8s.io/apiserver/pkg/cel/library/regex.go.
 *
 * Why our own matcher: @bufbuild/re2 (what `matches` uses) answers only "does it match", and
 * JavaScript's RegExp backtracks, so a pattern from a pull request such as `(a+)+$` against a
 * long annotation could hang the review. Restricting patterns would reject valid policies, and a
 * time limit cannot interrupt a RegExp that is running. So we reuse @bufbuild/re2's parser and
 * compiler (same syntax and errors as `matches`) and run its program with a Pike VM: the NFA
 * threads are kept in priority order, at most one thread per instruction, so a search costs
 * O(input length × program size) whatever the pattern; the first thread to reach MATCH wins, as
 * in Go. The work is charged to the evaluation budget per input character, so a huge input with a
 * big pattern ends as a budget error, not a hang.
 */
import { celMethod, CelScalar, listType, type CelFunc } from "@bufbuild/cel";
import { RE2JS } from "@bufbuild/re2";
import { charge } from "./budget.js";

// Instruction codes and empty-width flags of @bufbuild/re2's program (Inst.js, Utils.js), which
// are those of Go's regexp/syntax.
const ALT = 1;
const ALT_MATCH = 2;
const CAPTURE = 3;
const EMPTY_WIDTH = 4;
const MATCH = 6;
const NOP = 7;
const RUNE = 8;
const RUNE_ANY_NOT_NL = 11;
const EMPTY_BEGIN_LINE = 0x01;
const EMPTY_END_LINE = 0x02;
const EMPTY_BEGIN_TEXT = 0x04;
const EMPTY_END_TEXT = 0x08;
const EMPTY_WORD_BOUNDARY = 0x10;
const EMPTY_NO_WORD_BOUNDARY = 0x20;

interface Inst {
  op: number;
  out: number;
  arg: number;
  matchRune(r: number): boolean;
}

interface Program {
  inst: Inst[];
  start: number;
}

/** The compiled program of @bufbuild/re2 (RE2JS.re2Input.prog): its public fields, typed here. */
function programOf(pattern: string): Program {
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (err) {
    throw new Error(`Illegal regex: ${(err as Error).message}`);
  }
  const prog = (re.re2Input as unknown as { prog?: Program }).prog;
  if (!prog || !Array.isArray(prog.inst) || typeof prog.start !== "number") throw new Error("regex: unexpected @bufbuild/re2 program layout");
  return prog;
}

const cache = new Map<string, Program>();
function compiled(pattern: string): Program {
  let prog = cache.get(pattern);
  if (!prog) {
    prog = programOf(pattern);
    if (cache.size > 256) cache.clear();
    cache.set(pattern, prog);
  }
  return prog;
}

function isWordRune(r: number): boolean {
  return (r >= 0x61 && r <= 0x7a) || (r >= 0x41 && r <= 0x5a) || (r >= 0x30 && r <= 0x39) || r === 0x5f;
}

function emptyContext(before: number, after: number): number {
  let flags = 0;
  if (before < 0) flags |= EMPTY_BEGIN_TEXT | EMPTY_BEGIN_LINE;
  if (before === 0x0a) flags |= EMPTY_BEGIN_LINE;
  if (after < 0) flags |= EMPTY_END_TEXT | EMPTY_END_LINE;
  if (after === 0x0a) flags |= EMPTY_END_LINE;
  flags |= isWordRune(before) !== isWordRune(after) ? EMPTY_WORD_BOUNDARY : EMPTY_NO_WORD_BOUNDARY;
  return flags;
}

/** The code point at UTF-16 index `i` (-1 past the end) and its width in UTF-16 units. */
function runeAt(s: string, i: number): [number, number] {
  if (i >= s.length) return [-1, 0];
  const r = s.codePointAt(i)!;
  return [r, r > 0xffff ? 2 : 1];
}

function runeBefore(s: string, i: number): number {
  if (i <= 0) return -1;
  const low = s.charCodeAt(i - 1);
  if (low >= 0xdc00 && low <= 0xdfff && i >= 2) {
    const high = s.charCodeAt(i - 2);
    if (high >= 0xd800 && high <= 0xdbff) return s.codePointAt(i - 2)!;
  }
  return low;
}

/** Threads of one step: rune or MATCH instructions in priority order, each with its match start. */
class ThreadList {
  readonly pcs: number[] = [];
  readonly starts: number[] = [];
  private readonly seen: Int32Array;
  private generation = 1;
  constructor(size: number) {
    this.seen = new Int32Array(size);
  }
  clear(): void {
    this.pcs.length = 0;
    this.starts.length = 0;
    this.generation++;
  }
  /** Follows empty instructions from `pc` in priority order (explicit stack: no recursion). */
  add(prog: Program, pc0: number, start: number, context: number): void {
    const stack = [pc0];
    while (stack.length > 0) {
      const pc = stack.pop()!;
      if (this.seen[pc] === this.generation) continue;
      this.seen[pc] = this.generation;
      const inst = prog.inst[pc]!;
      switch (inst.op) {
        case ALT:
        case ALT_MATCH:
          stack.push(inst.arg, inst.out); // `out` first: it has priority
          break;
        case CAPTURE:
        case NOP:
          stack.push(inst.out);
          break;
        case EMPTY_WIDTH:
          if ((inst.arg & ~context) === 0) stack.push(inst.out);
          break;
        case MATCH:
          this.pcs.push(pc);
          this.starts.push(start);
          break;
        default:
          if (inst.op >= RUNE && inst.op <= RUNE_ANY_NOT_NL) {
            this.pcs.push(pc);
            this.starts.push(start);
          }
      }
    }
  }
}

/** The leftmost-first match at or after `from`, as [start, end] UTF-16 indexes, or undefined. */
export function findMatch(prog: Program, s: string, from: number): [number, number] | undefined {
  let clist = new ThreadList(prog.inst.length);
  let nlist = new ThreadList(prog.inst.length);
  let match: [number, number] | undefined;
  let pos = from;
  let before = runeBefore(s, pos);
  let work = 0;
  for (;;) {
    const [r, width] = runeAt(s, pos);
    if (!match) clist.add(prog, prog.start, pos, emptyContext(before, r));
    if (clist.pcs.length === 0 && match) break;
    // The work (a unit per input character and per live thread) is paid for, 16 units a budget unit.
    work += 1 + clist.pcs.length;
    if (work >= 4096) {
      charge(work >> 4);
      work = 0;
    }
    const next = pos + width;
    const nextContext = emptyContext(r, runeAt(s, next)[0]);
    for (let k = 0; k < clist.pcs.length; k++) {
      const inst = prog.inst[clist.pcs[k]!]!;
      if (inst.op === MATCH) {
        match = [clist.starts[k]!, pos];
        break; // lower-priority threads lose to this match (leftmost-first)
      }
      if (r >= 0 && inst.matchRune(r)) nlist.add(prog, inst.out, clist.starts[k]!, nextContext);
    }
    if (r < 0) break;
    [clist, nlist] = [nlist, clist];
    nlist.clear();
    before = r;
    pos = next;
  }
  charge(work >> 4);
  return match;
}

/** Go's `FindAllString(s, n)`: an empty match right after the previous match is skipped. */
export function findAll(s: string, pattern: string, limit: number): string[] {
  const prog = compiled(pattern);
  const n = limit < 0 ? s.length + 1 : limit;
  const out: string[] = [];
  let pos = 0;
  let prevEnd = -1;
  while (out.length < n && pos <= s.length) {
    const m = findMatch(prog, s, pos);
    if (!m) break;
    let accept = true;
    if (m[1] === pos) {
      if (m[0] === prevEnd) accept = false;
      pos += Math.max(1, runeAt(s, pos)[1]);
    } else {
      pos = m[1];
    }
    prevEnd = m[1];
    if (accept) out.push(s.slice(m[0], m[1]));
  }
  return out;
}

export function find(s: string, pattern: string): string {
  const m = findMatch(compiled(pattern), s, 0);
  return m ? s.slice(m[0], m[1]) : "";
}

const { STRING, INT } = CelScalar;

export const regexFuncs: CelFunc[] = [
  celMethod("find", STRING, [STRING], STRING, function (pattern) {
    return find(this, pattern);
  }),
  celMethod("findAll", STRING, [STRING], listType(STRING), function (pattern) {
    return findAll(this, pattern, -1);
  }),
  celMethod("findAll", STRING, [STRING, INT], listType(STRING), function (pattern, limit) {
    return findAll(this, pattern, Number(limit < -1n ? -1n : limit > BigInt(this.length + 1) ? BigInt(this.length + 1) : limit));
  }),
];
