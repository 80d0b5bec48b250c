/** Small predicates and wording shared by the rules. */
import type { Change, ChangeAction } from "../../model/change.js";
import { apiGroup, describeRef } from "../../model/resource.js";

/** True when the change is about one of `kinds` ("apps|StatefulSet", "|Namespace"). */
export function isKind(change: Pick<Change, "apiVersion" | "kind">, kinds: ReadonlySet<string>): boolean {
  return kinds.has(`${apiGroup(change.apiVersion)}|${change.kind}`);
}

const ACTION_WORD: Record<ChangeAction, string> = {
  added: "added",
  removed: "removed",
  modified: "modified",
  renamed: "replaced under a new name",
};

/** "StatefulSet data/postgres modified". */
export function changed(change: Change): string {
  return `${describeRef(change)} ${ACTION_WORD[change.action]}`;
}

/** "a, b and c". */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}
