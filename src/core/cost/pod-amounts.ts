/**
 * How much CPU and memory a pod reserves, the way the scheduler counts it: the sum of its
 * containers (and sidecars), or the largest init container if that is more, plus the pod
 * overhead. Per container, requests are used, else limits (Kubernetes copies a limit into a
 * missing request), else nothing — and the note says so.
 */
import { asArray, asMap, get, type Body } from "../diff/summary/access.js";
import { parseQuantity } from "./quantity.js";

export interface PodAmounts {
  /** Cores. */
  cpu: number;
  memoryBytes: number;
  notes: string[];
  /** A container's CPU or memory was missing or unreadable and counted as 0. */
  incomplete: boolean;
}

interface Amounts {
  cpu: number;
  memoryBytes: number;
}

export function podAmounts(spec: Body | undefined): PodAmounts {
  const notes: string[] = [];
  const sidecars: Amounts[] = [];
  let initPeak: Amounts = { cpu: 0, memoryBytes: 0 };
  for (const c of asArray(spec?.initContainers)) {
    const own = containerAmounts(c, c.restartPolicy === "Always" ? notes : undefined);
    if (c.restartPolicy === "Always") {
      sidecars.push(own);
      continue;
    }
    // A regular init container runs next to the sidecars started before it.
    initPeak = peak(initPeak, add(own, ...sidecars));
  }
  const main = add(...asArray(spec?.containers).map((c) => containerAmounts(c, notes)), ...sidecars);
  const overhead = asMap(spec?.overhead);
  const total = add(peak(main, initPeak), {
    cpu: parseQuantity(overhead.cpu) ?? 0,
    memoryBytes: parseQuantity(overhead.memory) ?? 0,
  });
  return { ...total, notes, incomplete: notes.some((n) => n.endsWith("counted as 0")) };
}

/** `notes` is undefined for init containers: they run briefly, their missing requests are not news. */
function containerAmounts(c: Body, notes: string[] | undefined): Amounts {
  const name = typeof c.name === "string" ? c.name : "(unnamed)";
  const cpu = pick(c, "cpu");
  const memory = pick(c, "memory");
  if (notes) {
    const missing = [cpu.from === "none" ? "CPU" : "", memory.from === "none" ? "memory" : ""].filter(Boolean);
    if (missing.length > 0) notes.push(`container ${name} has no ${missing.join(" or ")} request or limit: counted as 0`);
    const fromLimits = [cpu.from === "limit" ? "CPU" : "", memory.from === "limit" ? "memory" : ""].filter(Boolean);
    if (fromLimits.length > 0) notes.push(`container ${name}: no ${fromLimits.join(" or ")} request, limit used`);
    const bad = [cpu.from === "invalid" ? "CPU" : "", memory.from === "invalid" ? "memory" : ""].filter(Boolean);
    if (bad.length > 0) notes.push(`container ${name}: unreadable ${bad.join(" and ")} amount, counted as 0`);
  }
  return { cpu: cpu.value, memoryBytes: memory.value };
}

function pick(c: Body, resource: "cpu" | "memory"): { value: number; from: "request" | "limit" | "none" | "invalid" } {
  const request = get(c, "resources", "requests", resource);
  const limit = get(c, "resources", "limits", resource);
  const raw = request ?? limit;
  if (raw === undefined || raw === null) return { value: 0, from: "none" };
  const value = parseQuantity(raw);
  if (value === undefined) return { value: 0, from: "invalid" };
  return { value, from: request !== undefined && request !== null ? "request" : "limit" };
}

function add(...parts: Amounts[]): Amounts {
  return parts.reduce((acc, p) => ({ cpu: acc.cpu + p.cpu, memoryBytes: acc.memoryBytes + p.memoryBytes }), { cpu: 0, memoryBytes: 0 });
}

function peak(a: Amounts, b: Amounts): Amounts {
  return { cpu: Math.max(a.cpu, b.cpu), memoryBytes: Math.max(a.memoryBytes, b.memoryBytes) };
}
