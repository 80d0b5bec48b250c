/** "1 target", "3 targets": a count with its noun, for messages built in the core. */
export function count(n: number, singular: string): string {
  return `${n} ${n === 1 ? singular : `${singular}s`}`;
}
