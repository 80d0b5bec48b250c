/**
 * `text.slice(0, end)` that never splits a surrogate pair: half an emoji at the end of a
 * cut comment would be an invalid character.
 */
export function safeSlice(text: string, end: number): string {
  if (end <= 0) return "";
  if (end >= text.length) return text;
  const last = text.charCodeAt(end - 1);
  const isHighSurrogate = last >= 0xd800 && last <= 0xdbff;
  return text.slice(0, isHighSurrogate ? end - 1 : end);
}
