/**
 * The variables admission CEL expressions see: `object` (null for a DELETE), `oldObject` (the
 * object before an UPDATE or DELETE, else null), `request` (kind, resource, name, namespace,
 * operation, oldObject's absence or presence as the API server sends them; `userInfo` only as
 * the caller knows it — a `kyverno test` userInfo file — else empty, nothing invented), `namespaceObject`, `params`. `variables` is added by expressions.ts.
 */
import type { CelInput } from "@bufbuild/cel";
import { pluralOf } from "../engine/api-call.js";
import { splitApiVersion } from "../engine/kind-selector.js";
import type { AdmissionOperation, Json, RuleContext } from "../model.js";
import { toCelInput } from "./values.js";

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The request of an operation on `object` (the new object, or the old one for a DELETE). */
export function requestOf(object: Json, operation: AdmissionOperation = "CREATE", userInfo: Json = {}): Json {
  const { group, version } = splitApiVersion(String(object.apiVersion ?? ""));
  const kind = String(object.kind ?? "");
  const metadata = isObj(object.metadata) ? object.metadata : {};
  return {
    operation,
    kind: { group, version, kind },
    resource: { group, version, resource: pluralOf(kind) },
    name: typeof metadata.name === "string" ? metadata.name : "",
    namespace: typeof metadata.namespace === "string" ? metadata.namespace : "",
    dryRun: false,
    userInfo,
  };
}

export function bindingsOf(context: RuleContext, params: Json | null = null): Record<string, CelInput> {
  const operation = context.request?.operation ?? "CREATE";
  const oldObject = operation === "CREATE" ? null : (context.request?.oldObject ?? null);
  const subject = context.object ?? oldObject ?? {};
  return {
    object: toCelInput(context.object),
    oldObject: toCelInput(oldObject),
    request: toCelInput(requestOf(subject, operation, context.userInfo)),
    namespaceObject: toCelInput(context.namespaceObject),
    params: toCelInput(params),
  };
}
