/**
 * SOPS-encrypted manifests of a Kustomization with `spec.decryption.provider: sops`:
 * kustomize-controller decrypts them before applying, so the cluster never sees the `sops`
 * metadata nor the `ENC[…]` values. Shipshape has no keys (and wants none): it drops the metadata
 * and puts a placeholder in place of each encrypted value, derived from the ciphertext so that a
 * re-encrypted value still shows as a change. A Secret's `data` gets the placeholder base64
 * encoded, as a decrypted `data` value is. Nothing is decrypted, nothing secret is shown.
 */
import { createHash } from "node:crypto";
import { parse, stringify } from "yaml";
import { isPlainObject } from "../../yaml/parse.js";

const ENCRYPTED = /^ENC\[[A-Z0-9_]+,data:/;
/** A document whose top level has a `sops:` key. */
const SOPS_KEY = /^sops:/m;

export function sopsPlaceholders(stream: string): { text: string; count: number } {
  if (!SOPS_KEY.test(stream)) return { text: stream, count: 0 };
  let count = 0;
  const docs = stream.split(/^---[ \t]*\n/m).map((doc) => {
    if (!SOPS_KEY.test(doc)) return doc;
    let value: unknown;
    try {
      value = parse(doc);
    } catch {
      return doc;
    }
    if (!isPlainObject(value) || !isPlainObject(value.sops)) return doc;
    const { sops: _metadata, ...rest } = value;
    const isSecret = rest.kind === "Secret";
    const replace = (v: unknown, base64: boolean): unknown => {
      if (typeof v === "string" && ENCRYPTED.test(v)) {
        count++;
        const placeholder = `sops-encrypted:${createHash("sha256").update(v).digest("hex").slice(0, 16)}`;
        return base64 ? Buffer.from(placeholder).toString("base64") : placeholder;
      }
      if (Array.isArray(v)) return v.map((x) => replace(x, base64));
      if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replace(x, base64)]));
      return v;
    };
    const out = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, replace(v, isSecret && k === "data")]));
    return stringify(out);
  });
  return { text: docs.join("---\n"), count };
}
