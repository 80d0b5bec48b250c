import type { Logger } from "../core/ports.js";

/** Static messages with details as key=value fields; debug lines only with --verbose. */
export function createStderrLogger(write: (t: string) => void, verbose: boolean): Logger {
  const line = (level: string, message: string, fields?: Record<string, unknown>) => {
    const details = fields ? Object.entries(fields).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`) : [];
    write(`shipshape ${level}: ${message}${details.length ? ` ${details.join(" ")}` : ""}\n`);
  };
  return {
    debug: (m, f) => verbose && line("debug", m, f),
    info: (m, f) => line("info", m, f),
    warn: (m, f) => line("warn", m, f),
  };
}
