/**
 * Probot's pino logger behind the core Logger port: static messages, details in fields. With
 * a secret set, every message and field is scrubbed before pino sees it.
 */
import type { Logger } from "../core/ports.js";
import type { SecretSet } from "../core/secrets/secret-set.js";
import { scrubbingLogger } from "../core/secrets/scrubbing-logger.js";

export interface PinoLike {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export function fromPino(log: PinoLike, secrets?: SecretSet): Logger {
  const logger: Logger = {
    debug: (message, fields = {}) => log.debug(fields, message),
    info: (message, fields = {}) => log.info(fields, message),
    warn: (message, fields = {}) => log.warn(fields, message),
  };
  return secrets ? scrubbingLogger(logger, secrets) : logger;
}
