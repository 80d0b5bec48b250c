/**
 * The API server decodes `field: null` as "field not set" (`creationTimestamp: null` is what
 * kubectl and kustomize print for new objects), so null-valued fields are dropped before a
 * resource is judged. Validation runs on the resource as is first and only a failing resource
 * is stripped and retried; stripping copies just the objects on the way to a null and returns
 * the input itself when there is none, so the common case allocates nothing.
 */

/**
 * The value without null-valued object fields, sharing every untouched branch with the input.
 * Nulls inside lists stay: the API server does not drop list items, so they are reported like
 * any other wrong type.
 */
export function withoutNullFields(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const next = withoutNullFields(item);
      if (next !== item) (copy ??= value.slice())[i] = next;
    }
    return copy ?? value;
  }
  const object = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key in object) {
    const field = object[key];
    const next = field === null ? undefined : withoutNullFields(field);
    if (next !== field && !copy) copy = fieldsBefore(object, key);
    if (copy && next !== undefined) copy[key] = next;
  }
  return copy ?? object;
}

function fieldsBefore(object: Record<string, unknown>, stop: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in object) {
    if (key === stop) break;
    out[key] = object[key];
  }
  return out;
}
