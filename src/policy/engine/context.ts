/**
 * Loading a rule's `context` entries into the variable data (Kyverno's context loaders):
 * `variable` (value / jmesPath / default) and, when emulation is on, `apiCall` answered from
 * the rendered resources. Entries that need a cluster are rejected when the policy loads
 * (rule-kinds.ts), so they never reach here.
 */
import type { Json } from "../model.js";
import { search } from "../jmespath/search.js";
import { answerApiCall, ApiCallNotFound, type ResourceIndex } from "./api-call.js";
import { withValue } from "./data.js";
import { substituteAll } from "./substitute.js";

export class ContextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ContextError";
  }
}

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function loadContext(entries: unknown, data: Json, resources: () => ResourceIndex): Json {
  if (!Array.isArray(entries)) return data;
  let out = data;
  for (const entry of entries) {
    if (!isObj(entry) || typeof entry.name !== "string") throw new ContextError("a context entry needs a name");
    if (isObj(entry.variable)) out = withValue(out, entry.name, variableValue(entry.name, entry.variable, out));
    else if (isObj(entry.apiCall)) out = withValue(out, entry.name, apiCallValue(entry.name, entry.apiCall, entry, out, resources));
    else throw new ContextError(`context entry "${entry.name}" has an unsupported source`);
  }
  return out;
}

function substitute(value: unknown, data: Json, what: string): unknown {
  try {
    return substituteAll(value, data);
  } catch (err) {
    throw new ContextError(`failed to substitute variables in ${what}: ${(err as Error).message}`);
  }
}

function variableValue(name: string, variable: Json, data: Json): unknown {
  const fallback = variable.default !== undefined ? substitute(variable.default, data, `context entry ${name} default`) : undefined;
  const path = typeof variable.jmesPath === "string" ? String(substitute(variable.jmesPath, data, `context entry ${name} jmesPath`)) : "";
  let output: unknown = fallback;
  if (variable.value !== undefined) {
    const value = substitute(variable.value, data, `context entry ${name} value`);
    if (path) {
      try {
        output = search(path, value);
      } catch (err) {
        if (fallback === undefined) throw new ContextError(`failed to apply jmespath ${path} to variable ${name}: ${(err as Error).message}`);
      }
    } else output = value;
  } else if (path) {
    try {
      const result = search(path, data);
      if (result !== null && result !== undefined) output = result;
    } catch (err) {
      if (fallback === undefined) throw new ContextError(`failed to query the JMESPath ${path} for ${name}: ${(err as Error).message}`);
    }
  }
  if (output === undefined || output === null) throw new ContextError(`unable to add context entry for variable ${name} since it evaluated to nil`);
  return output;
}

function apiCallValue(name: string, call: Json, entry: Json, data: Json, resources: () => ResourceIndex): unknown {
  const fallback = call.default !== undefined ? call.default : entry.default;
  const urlPath = String(substitute(call.urlPath, data, `context entry ${name} urlPath`));
  let response: unknown;
  try {
    response = answerApiCall(urlPath, resources());
  } catch (err) {
    if (fallback !== undefined && err instanceof ApiCallNotFound) return substitute(fallback, data, `context entry ${name} default`);
    throw new ContextError(`failed to load context entry ${name}: ${(err as Error).message}`);
  }
  if (typeof call.jmesPath !== "string" || call.jmesPath === "") return response;
  const path = String(substitute(call.jmesPath, data, `context entry ${name} jmesPath`));
  try {
    const result = search(path, response);
    if ((result === null || result === undefined) && fallback !== undefined) return substitute(fallback, data, `context entry ${name} default`);
    return result;
  } catch (err) {
    if (fallback !== undefined) return substitute(fallback, data, `context entry ${name} default`);
    throw new ContextError(`failed to apply jmespath ${path} to the response of ${urlPath}: ${(err as Error).message}`);
  }
}
