/**
 * Splits a shell-form `command`/`entrypoint` string into words the way Compose does
 * (go-shellwords): blanks separate words, single quotes are literal, double quotes allow
 * backslash escapes, a backslash outside quotes escapes the next character. No expansion.
 */
export function shellSplit(s: string): string[] | { error: string } {
  const words: string[] = [];
  let current = "";
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else current += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === "\\" && i + 1 < s.length && '"\\$`'.includes(s[i + 1]!)) current += s[++i];
      else current += c;
      continue;
    }
    if (c === "\\" && i + 1 < s.length) {
      current += s[++i];
      inWord = true;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
      continue;
    }
    if (/\s/.test(c)) {
      if (inWord) words.push(current);
      current = "";
      inWord = false;
      continue;
    }
    current += c;
    inWord = true;
  }
  if (quote) return { error: `unterminated ${quote === "'" ? "single" : "double"} quote in "${s}"` };
  if (inWord) words.push(current);
  return words;
}
