/**
 * What an approval is tied to. An item hash covers the rule, the target, the resource's
 * identity and its redacted, noise-free content as the head renders it (the base content
 * for a removal) — never line numbers, file names or other resources, so an unrelated
 * change elsewhere leaves it alone while any change to the judged content makes it stale.
 */
import { createHash } from "node:crypto";
import { sortKeys } from "../diff/canonical-yaml.js";
import { redactPair } from "../diff/redact.js";
import { identityKey, type Resource, type ResourceRef } from "../model/resource.js";

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export interface HashSubject {
  ruleId: string;
  target: string;
  ref: ResourceRef;
  content: unknown;
}

export function itemHash(subject: HashSubject): string {
  return sha256(JSON.stringify(sortKeys([subject.ruleId, subject.target, identityKey(subject.ref), subject.content ?? null])));
}

/**
 * The content of a changed resource for hashing: redacted before it is touched, so no
 * Secret value can influence a hash in a way someone could test guesses against.
 */
export function changeContent(
  head: Resource | undefined,
  base: Resource | undefined,
  withoutNoise: (body: Record<string, unknown>) => Record<string, unknown>,
): unknown {
  if (head) return { head: redactPair(undefined, withoutNoise(head.body), head).head ?? null };
  if (base) return { removed: redactPair(withoutNoise(base.body), undefined, base).base ?? null };
  return null;
}

/** One digest for the whole report: the sorted item hashes, hashed. */
export function digestOf(hashes: readonly string[]): string {
  return sha256([...hashes].sort().join("\n"));
}
