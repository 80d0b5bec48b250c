// Plain-text tables and number formats for the benchmark output.

/** Left-aligns text columns and right-aligns columns listed in `numeric`. */
export function formatTable(header, rows, { numeric = [] } = {}) {
  const all = [header, ...rows].map((r) => r.map((c) => String(c)));
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) =>
    r
      .map((c, i) => (numeric.includes(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(all[0]), widths.map((w) => "-".repeat(w)).join("  "), ...all.slice(1).map(line)].join("\n");
}

export function seconds(ms) {
  return ms === null || ms === undefined ? "n/a" : `${(ms / 1000).toFixed(2)} s`;
}

export function megabytes(kb) {
  return kb === null || kb === undefined ? "n/a" : `${(kb / 1024).toFixed(0)} MB`;
}

export function ratio(value) {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : "n/a";
}

export function verdict(pass) {
  if (pass === null) return "n/a";
  return pass ? "PASS" : "MISS";
}
