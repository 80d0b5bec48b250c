/**
 * The variables admission CEL expressions see: `object`, `oldObject` (null: every request is a
 * CREATE offline), `request` (kind, resource, name, namespace, operation; no userInfo is
 * invented), `namespaceObject`, `params`. `variables` is added by expressions.ts.
 */
import type { CelInput } from "@bufbuild/cel";
import { pluralOf } from "../engine/api-call.js";
import { splitApiVersion } from "../engine/kind-selector.js";
import type { Json, RuleContext } from "../model.js";
import { toCelInput } from "./values.js";

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function requestOf(object: Json): Json {
  const { group, version } = splitApiVersion(String(object.apiVersion ?? ""));
  const kind = String(object.kind ?? "");
  const metadata = isObj(object.metadata) ? object.metadata : {};
  return {
    operation: "CREATE",
    kind: { group, version, kind },
    resource: { group, version, resource: pluralOf(kind) },
    name: typeof metadata.name === "string" ? metadata.name : "",
    namespace: typeof metadata.namespace === "string" ? metadata.namespace : "",
    dryRun: false,
    userInfo: {},
  };
}

export function bindingsOf(context: RuleContext, params: Json | null = null): Record<string, CelInput> {
  return {
    object: toCelInput(context.object),
    oldObject: null,
    request: toCelInput(requestOf(context.object)),
    namespaceObject: toCelInput(context.namespaceObject),
    params: toCelInput(params),
  };
}
