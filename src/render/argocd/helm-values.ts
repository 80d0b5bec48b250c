/**
 * Argo CD's helm `parameters` and `fileParameters` become `--set` and `--set-file` on its
 * command line. Shipshape never passes repository text as an option, so they become one more
 * values file instead, written by Shipshape and given last, which helm merges the same way
 * (later values win, maps merge). Names follow helm's `--set` path syntax: `a.b`, `a\.b` for a
 * dot in a key, `a[0]` for a list index. Values are typed as `--set` types them (true, false,
 * null, integers) unless `forceString`.
 */
import type { InputProblem } from "../../core/ports.js";

type Path = (string | number)[];

/** `a.b\.c[1].d` → ["a", "b.c", 1, "d"], or undefined when it is not a path helm would accept. */
export function parseSetPath(name: string): Path | undefined {
  const out: Path = [];
  let key = "";
  let i = 0;
  const flush = () => {
    if (key !== "") out.push(key);
    key = "";
  };
  while (i < name.length) {
    const c = name[i]!;
    if (c === "\\" && i + 1 < name.length) {
      key += name[i + 1];
      i += 2;
      continue;
    }
    if (c === ".") {
      if (key === "" && (out.length === 0 || typeof out[out.length - 1] === "string")) return undefined;
      flush();
      i++;
      continue;
    }
    if (c === "[") {
      const close = name.indexOf("]", i);
      const index = Number(name.slice(i + 1, close));
      if (close === -1 || !Number.isInteger(index) || index < 0 || index > 65536) return undefined;
      flush();
      out.push(index);
      i = close + 1;
      continue;
    }
    key += c;
    i++;
  }
  flush();
  return out.length > 0 && typeof out[0] === "string" ? out : undefined;
}

/** What `--set` makes of a value: booleans, null and integers are typed, the rest stays text. */
export function typedSetValue(value: string): unknown {
  if (value === "true") return true;
  if (value === "false") return false;
  if (value === "null") return null;
  if (value === "0") return 0;
  if (/^-?[1-9]\d{0,17}$/.test(value)) return Number(value);
  return value;
}

export function setAt(target: Record<string, unknown>, path: Path, value: unknown): void {
  let node: Record<string | number, unknown> = target;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const last = i === path.length - 1;
    if (last) {
      node[key] = value;
      return;
    }
    const nextIsIndex = typeof path[i + 1] === "number";
    let child = node[key];
    if (nextIsIndex ? !Array.isArray(child) : child === null || typeof child !== "object" || Array.isArray(child)) {
      child = nextIsIndex ? [] : {};
      node[key] = child;
    }
    node = child as Record<string | number, unknown>;
  }
}

export interface SetEntry {
  name: string;
  value: string;
  forceString?: boolean;
}

/** The values object that the `--set` entries make, with a problem for each name helm would refuse. */
export function setValues(entries: readonly SetEntry[], where: { file: string; line?: number }): { values: Record<string, unknown>; problems: InputProblem[] } {
  const values: Record<string, unknown> = {};
  const problems: InputProblem[] = [];
  for (const entry of entries) {
    const path = parseSetPath(entry.name);
    if (!path) {
      problems.push({
        ruleId: "gitops/application-invalid",
        severity: "error",
        message: `helm parameter ${JSON.stringify(entry.name.slice(0, 80))} is not a values path helm accepts (keys joined by ".", list indexes as [0])`,
        key: `parameter:${entry.name}`,
        ...where,
      });
      continue;
    }
    setAt(values, path, entry.forceString ? entry.value : typedSetValue(entry.value));
  }
  return { values, problems };
}
