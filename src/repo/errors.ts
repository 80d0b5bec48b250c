/** The user named a base or head that cannot be read: a usage problem (exit 2). */
export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SourceError";
  }
}
