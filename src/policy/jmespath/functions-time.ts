/**
 * Kyverno's time functions for RFC 3339 timestamps. Go reference layouts other than RFC 3339
 * are not interpreted: such a call is an error, so the rule reports "error" instead of guessing.
 */
import { arity, str } from "./args.js";
import { JmesPathError } from "./errors.js";
import type { FunctionCallContext, JmesFunction } from "./interpreter.js";
import { formatDuration, parseDuration } from "../values/duration.js";

const RFC3339_LAYOUTS = new Set(["", "2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05.999999999Z07:00"]);

function instant(call: FunctionCallContext, layout: string, text: string): number {
  if (!RFC3339_LAYOUTS.has(layout)) throw new JmesPathError(`${call.name}(): only RFC 3339 timestamps are supported offline, got layout ${JSON.stringify(layout)}`);
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(ms)) throw new JmesPathError(`${call.name}(): cannot parse ${JSON.stringify(text)} as RFC 3339`);
  return ms;
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, "Z");
}

function durationArg(call: FunctionCallContext, text: string): number {
  const ns = parseDuration(text);
  if (ns === undefined) throw new JmesPathError(`${call.name}(): invalid duration ${JSON.stringify(text)}`);
  return ns;
}

export const timeFunctions: Record<string, JmesFunction> = {
  time_now: (args, call) => (arity(call, args, 0), rfc3339(Date.now())),
  time_now_utc: (args, call) => (arity(call, args, 0), rfc3339(Date.now())),
  time_utc: (args, call) => (arity(call, args, 1), rfc3339(instant(call, "", str(call, args, 0)))),
  time_since: (args, call) => {
    arity(call, args, 3);
    const layout = str(call, args, 0);
    const from = instant(call, layout, str(call, args, 1));
    const toText = str(call, args, 2);
    const to = toText === "" ? Date.now() : instant(call, layout, toText);
    return formatDuration((to - from) * 1e6);
  },
  time_diff: (args, call) => {
    arity(call, args, 2);
    return formatDuration((instant(call, "", str(call, args, 1)) - instant(call, "", str(call, args, 0))) * 1e6);
  },
  time_add: (args, call) => {
    arity(call, args, 2);
    return rfc3339(instant(call, "", str(call, args, 0)) + durationArg(call, str(call, args, 1)) / 1e6);
  },
  time_parse: (args, call) => (arity(call, args, 2), rfc3339(instant(call, str(call, args, 0), str(call, args, 1)))),
  time_before: (args, call) => (arity(call, args, 2), instant(call, "", str(call, args, 0)) < instant(call, "", str(call, args, 1))),
  time_after: (args, call) => (arity(call, args, 2), instant(call, "", str(call, args, 0)) > instant(call, "", str(call, args, 1))),
  time_between: (args, call) => {
    arity(call, args, 3);
    const t = instant(call, "", str(call, args, 0));
    return t > instant(call, "", str(call, args, 1)) && t < instant(call, "", str(call, args, 2));
  },
  time_truncate: (args, call) => {
    arity(call, args, 2);
    const step = durationArg(call, str(call, args, 1)) / 1e6;
    const t = instant(call, "", str(call, args, 0));
    return rfc3339(step > 0 ? Math.floor(t / step) * step : t);
  },
};
