/** Syntax and runtime errors of JMESPath evaluation. */
export class JmesPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JmesPathError";
  }
}

/**
 * A plain field path (`request.object.metadata.labels.app`) named a key that is not there.
 * Kyverno's JMESPath reports this as an error instead of null, and library policies rely on
 * `|| default` to avoid it; we reproduce it for plain paths only (see search.ts).
 */
export class NotFoundError extends JmesPathError {
  constructor(readonly key: string) {
    super(`Unknown key "${key}" in path`);
    this.name = "NotFoundError";
  }
}
