/** A problem with the user's config: always names the file, and the key path and line when known. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly keyPath?: string,
    readonly line?: number,
  ) {
    super(`${file}${line ? `:${line}` : ""}: ${keyPath ? `${keyPath}: ` : ""}${detail}`);
    this.name = "ConfigError";
  }
}
