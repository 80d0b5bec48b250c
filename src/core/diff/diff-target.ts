/**
 * The resource-level diff of one target: pair, drop noise, redact, compare, describe.
 * Redaction happens before anything is stringified, so no Secret value can reach a diff.
 */
import type { Change } from "../model/change.js";
import { hookOf } from "../model/hooks.js";
import type { Resource } from "../model/resource.js";
import { canonicalYaml } from "./canonical-yaml.js";
import { deepEqual } from "./deep-equal.js";
import { pairResources } from "./match.js";
import { redactPair } from "./redact.js";
import { summarise } from "./summary/index.js";
import { unifiedDiff } from "./unified.js";

export type StripNoise = (body: Record<string, unknown>) => Record<string, unknown>;

export function diffTarget(target: string, base: readonly Resource[], head: readonly Resource[], stripNoise: StripNoise): Change[] {
  const { pairs, added, removed } = pairResources(base, head);
  const changes: Change[] = [];
  for (const { base: b, head: h, renamed } of pairs) {
    // Most pairs are untouched: equal raw bodies stay equal after noise removal and
    // redaction, so skip the cloning and YAML work for them.
    if (!renamed && deepEqual(b.body, h.body)) continue;
    const red = redactPair(stripNoise(b.body), stripNoise(h.body), h);
    const before = canonicalYaml(withoutName(red.base!, renamed));
    const after = canonicalYaml(withoutName(red.head!, renamed));
    if (before === after && !renamed) continue;
    // Show the real names in the diff text even for renames.
    const diff = unifiedDiff(canonicalYaml(red.base), canonicalYaml(red.head));
    const summary = summarise(red.base, red.head, h.apiVersion, h.kind);
    if (renamed && before === after) summary.unshift("content unchanged (new generator hash)");
    if (b.apiVersion !== h.apiVersion) summary.unshift(`apiVersion: ${b.apiVersion} → ${h.apiVersion}`);
    changes.push({
      target,
      action: renamed ? "renamed" : "modified",
      apiVersion: h.apiVersion,
      kind: h.kind,
      namespace: h.namespace,
      name: h.name,
      ...(renamed ? { previousName: b.name } : {}),
      ...hookField(h),
      summary,
      diff,
    });
  }
  for (const h of added) {
    const red = redactPair(undefined, stripNoise(h.body), h).head!;
    changes.push(whole(target, "added", h, summarise(undefined, red, h.apiVersion, h.kind), unifiedDiff("", canonicalYaml(red))));
  }
  for (const b of removed) {
    const red = redactPair(stripNoise(b.body), undefined, b).base!;
    changes.push(whole(target, "removed", b, [], unifiedDiff(canonicalYaml(red), "")));
  }
  return withoutRepeats(changes).sort(compareChanges);
}

/**
 * Copies of one identity (alternative bundles in one folder) that change the same way are one
 * change to review, not one per copy.
 */
function withoutRepeats(changes: Change[]): Change[] {
  const seen = new Set<string>();
  return changes.filter((c) => {
    const key = JSON.stringify([c.action, c.apiVersion, c.kind, c.namespace, c.name, c.previousName ?? "", c.summary, c.diff]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function whole(target: string, action: Change["action"], r: Resource, summary: string[], diff: string): Change {
  return { target, action, apiVersion: r.apiVersion, kind: r.kind, namespace: r.namespace, name: r.name, ...hookField(r), summary, diff };
}

function hookField(r: Resource): { hook?: string } {
  const hook = hookOf(r.body);
  return hook === undefined ? {} : { hook };
}

/** For rename detection equality the name itself must not count. */
function withoutName(body: Record<string, unknown>, renamed: boolean): Record<string, unknown> {
  if (!renamed) return body;
  const metadata = { ...((body.metadata as Record<string, unknown> | undefined) ?? {}) };
  delete metadata.name;
  return { ...body, metadata };
}

const ACTION_ORDER: Record<Change["action"], number> = { modified: 0, renamed: 1, added: 2, removed: 3 };

/** The order of one target's changes: modified first, then by kind, namespace and name. */
export function compareChanges(a: Change, b: Change): number {
  return (
    ACTION_ORDER[a.action] - ACTION_ORDER[b.action] ||
    a.kind.localeCompare(b.kind) ||
    a.namespace.localeCompare(b.namespace) ||
    a.name.localeCompare(b.name)
  );
}
