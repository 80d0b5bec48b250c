/** Go's time.ParseDuration and Duration.String(), in nanoseconds. */
const UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  "\u00b5s": 1e3,
  "\u03bcs": 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const COMPONENT = /^(\d*)(?:\.(\d*))?([a-zA-Z\u00b5\u03bc]+)/;

/** Nanoseconds, or undefined when the text is not a Go duration. */
export function parseDuration(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s.startsWith("-") || s.startsWith("+")) {
    sign = s.startsWith("-") ? -1 : 1;
    s = s.slice(1);
  }
  if (s === "0") return 0;
  if (s === "") return undefined;
  let total = 0;
  while (s.length > 0) {
    const m = COMPONENT.exec(s);
    if (!m) return undefined;
    const [all, whole = "", frac = "", unit = ""] = m;
    if (whole === "" && frac === "") return undefined;
    const factor = UNITS[unit];
    if (factor === undefined) return undefined;
    total += Number(`${whole || "0"}.${frac || "0"}`) * factor;
    s = s.slice(all.length);
  }
  return sign * Math.round(total);
}

export function formatDuration(nanos: number): string {
  if (nanos === 0) return "0s";
  const negative = nanos < 0;
  let n = Math.abs(Math.round(nanos));
  let out: string;
  if (n < 1e9) {
    if (n < 1e3) out = `${n}ns`;
    else if (n < 1e6) out = `${trimFraction(n / 1e3)}\u00b5s`;
    else out = `${trimFraction(n / 1e6)}ms`;
  } else {
    const hours = Math.floor(n / 3600e9);
    n -= hours * 3600e9;
    const minutes = Math.floor(n / 60e9);
    n -= minutes * 60e9;
    const seconds = `${trimFraction(n / 1e9)}s`;
    out = hours > 0 ? `${hours}h${minutes}m${seconds}` : minutes > 0 ? `${minutes}m${seconds}` : seconds;
  }
  return negative ? `-${out}` : out;
}

function trimFraction(v: number): string {
  return Number(v.toFixed(9)).toString();
}
