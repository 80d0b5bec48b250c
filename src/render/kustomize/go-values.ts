/**
 * Values as kustomize's Go decoders see them. Both the kustomization (sigs.k8s.io/yaml) and
 * plugin configs (kyaml, then sigs.k8s.io/yaml) end in go-yaml v2's YAML-to-JSON conversion,
 * which decodes a `!!binary` scalar into the string of its bytes, where the `yaml` library
 * gives a Buffer. A path written as `!!binary aHR0cDov…` is a URL to kustomize, so it must be
 * a string to the checks too.
 */
import { isPlainObject } from "../../yaml/parse.js";

export function goStrings(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString("utf8");
  if (Array.isArray(value)) return value.map(goStrings);
  if (!isPlainObject(value) || value instanceof Date || value instanceof Map || value instanceof Set) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = goStrings(v);
  return out;
}
