/**
 * ApplicationSet templates without `goTemplate`: Argo CD replaces `{{param}}` (spaces inside
 * the braces allowed) with the parameter's text, and leaves a tag whose parameter does not
 * exist as it is written.
 */
export function renderFastTemplate(text: string, params: Readonly<Record<string, string>>): string {
  if (!text.includes("{{")) return text;
  return text.replace(/\{\{([^{}]*)\}\}/g, (whole, tag: string) => {
    const key = tag.trim();
    return Object.hasOwn(params, key) ? params[key]! : whole;
  });
}
