/**
 * Shortening the comment until it fits GitHub's limit, most expendable content first:
 *
 * 1. the largest diffs, replaced by a one-line note each;
 * 2. whole change blocks, from the end of the currently largest target section (then
 *    diffs of the blocks still shown come back, smallest first, where they now fit);
 * 3. the list of unaffected targets, reduced to a count;
 * 4. finding rows, pre-existing before new, least severe first;
 * 5. whole target sections, from the end;
 * 6. risk reasons, least severe first (the level and the first reasons stay longest);
 * 7. as a last resort (a tiny limit, a gigantic summary line), a plain cut at a line end.
 *
 * Lengths are tracked by difference rather than by re-rendering after every step: a
 * report can hold thousands of changes and megabytes of diff.
 */
import { cutNote, MAX_NOTE_ITEMS, type NoteWords } from "./cut-note.js";
import { markdownCode } from "./escape.js";
import {
  assemble,
  changeBlockText,
  fullState,
  sectionText,
  type CutState,
  type ItemList,
  type MarkdownLayout,
  type TargetSection,
} from "./layout.js";
import { safeSlice } from "./safe-slice.js";
import { changeRef } from "./targets.js";

interface Fit {
  layout: MarkdownLayout;
  state: CutState;
  maxLength: number;
  /** Length of assemble(layout, state), kept in step with every cut. */
  total: number;
  words: NoteWords;
  /** Sections that lost change blocks, in the order they first did. */
  truncated: Set<TargetSection>;
  /** Current length of each section, indexed like layout.sections.items. */
  sectionLengths: number[];
}

export function fitLayout(layout: MarkdownLayout, maxLength: number, words: NoteWords = {}): string {
  const state = fullState(layout);
  const whole = assemble(layout, state);
  if (whole.length <= maxLength) return finish(whole);

  const fit: Fit = { layout, state, maxLength, words, total: whole.length, truncated: new Set(), sectionLengths: [] };
  omitLargestDiffs(fit);
  fit.sectionLengths = layout.sections.items.map((s) => sectionText(s, state).length);
  dropChangeBlocks(fit);
  restoreDiffs(fit);
  compactUnaffected(fit);
  dropFindingRows(fit);
  dropSections(fit);
  dropRiskRows(fit);

  const text = assemble(layout, state) + note(fit, false);
  if (text.length <= maxLength) return finish(text);
  return hardCut(text, fit);
}

function fits(fit: Fit): boolean {
  // Checked first because it is cheap: building the note escapes user strings.
  if (fit.total > fit.maxLength) return false;
  return fit.total + note(fit, false).length <= fit.maxLength;
}

function omitLargestDiffs(fit: Fit): void {
  const blocks = fit.layout.sections.items
    .flatMap((s) => s.items)
    .filter((b) => b.diff !== "")
    .map((block, order) => ({ block, order }))
    .sort((a, b) => b.block.diff.length - a.block.diff.length || a.order - b.order);
  for (const { block } of blocks) {
    if (fits(fit)) return;
    fit.state.omittedDiffs.add(block);
    fit.total += block.omittedDiff.length - block.diff.length;
  }
}

function dropChangeBlocks(fit: Fit): void {
  const { state, sectionLengths } = fit;
  const sections = fit.layout.sections.items;
  while (!fits(fit)) {
    const index = largestSectionWithChanges(fit);
    const section = sections[index];
    if (!section) return;
    const shown = state.shownChanges.get(section) ?? 0;
    const block = section.items[shown - 1];
    if (!block) return;
    const blockLength = changeBlockText(block, state).length;
    const delta = -blockLength + moreDelta(section, section.items.length - shown);
    state.shownChanges.set(section, shown - 1);
    state.omittedDiffs.delete(block);
    fit.truncated.add(section);
    sectionLengths[index] = (sectionLengths[index] ?? 0) + delta;
    fit.total += delta;
  }
}

/**
 * Dropping blocks can free more room than needed; give back the diffs that fit again,
 * smallest first, so the cut stays "largest diffs first".
 */
function restoreDiffs(fit: Fit): void {
  if (fit.truncated.size === 0) return;
  const { state } = fit;
  const sections = fit.layout.sections.items;
  const sectionOf = new Map(sections.flatMap((s, i) => s.items.map((b) => [b, i] as const)));
  for (const block of [...state.omittedDiffs].reverse()) {
    const delta = block.diff.length - block.omittedDiff.length;
    if (fit.total + delta > fit.maxLength) continue;
    state.omittedDiffs.delete(block);
    fit.total += delta;
    if (fits(fit)) {
      const index = sectionOf.get(block) ?? 0;
      fit.sectionLengths[index] = (fit.sectionLengths[index] ?? 0) + delta;
      continue;
    }
    state.omittedDiffs.add(block);
    fit.total -= delta;
  }
}

/** Ties go to the earlier section, so the output does not depend on anything but input. */
function largestSectionWithChanges(fit: Fit): number {
  let best = -1;
  fit.layout.sections.items.forEach((section, i) => {
    if ((fit.state.shownChanges.get(section) ?? 0) === 0) return;
    if (best === -1 || (fit.sectionLengths[i] ?? 0) > (fit.sectionLengths[best] ?? 0)) best = i;
  });
  return best;
}

function compactUnaffected(fit: Fit): void {
  const { unaffected } = fit.layout;
  if (fits(fit) || unaffected.full === "") return;
  fit.state.unaffectedCompact = true;
  fit.total += unaffected.compact.length - unaffected.full.length;
}

function dropFindingRows(fit: Fit): void {
  for (const list of [...fit.layout.findings].reverse()) {
    let shown = fit.state.shownFindings.get(list) ?? list.items.length;
    while (shown > 0 && !fits(fit)) {
      fit.total += -(list.items[shown - 1]?.length ?? 0) + moreDelta(list, list.items.length - shown);
      shown -= 1;
      fit.state.shownFindings.set(list, shown);
    }
  }
}

function dropSections(fit: Fit): void {
  const { state, layout } = fit;
  while (state.shownSections > 0 && !fits(fit)) {
    const index = state.shownSections - 1;
    const section = layout.sections.items[index];
    if (!section) return;
    fit.total += -(fit.sectionLengths[index] ?? 0) + moreDelta(layout.sections, layout.sections.items.length - index - 1);
    state.shownSections = index;
    // The note names the dropped section; its individual cuts no longer need a line.
    fit.truncated.delete(section);
    for (const block of section.items) state.omittedDiffs.delete(block);
  }
}

function dropRiskRows(fit: Fit): void {
  const list = fit.layout.risk;
  if (!list) return;
  while (fit.state.shownRisk > 0 && !fits(fit)) {
    const shown = fit.state.shownRisk;
    fit.total += -(list.items[shown - 1]?.length ?? 0) + moreDelta(list, list.items.length - shown);
    fit.state.shownRisk = shown - 1;
  }
}

/** How much longer a list's "…and N more" line gets when one more item is dropped. */
function moreDelta<T>(list: ItemList<T>, droppedBefore: number): number {
  const before = droppedBefore > 0 ? list.more(droppedBefore).length : 0;
  return list.more(droppedBefore + 1).length - before;
}

function note(fit: Fit, hardCut: boolean): string {
  const { items, total } = noteItems(fit, hardCut);
  return cutNote(items, total, fit.maxLength, fit.words);
}

/**
 * The first MAX_NOTE_ITEMS cuts and the count of all. Coarse cuts come first: when the
 * list is capped, "40 of 300 changes in apps/api" matters more than one omitted diff.
 */
function noteItems(fit: Fit, hardCut: boolean): { items: string[]; total: number } {
  const { state, layout } = fit;
  const items: string[] = [];
  const add = (item: () => string): void => {
    if (items.length < MAX_NOTE_ITEMS) items.push(item());
  };
  if (hardCut) add(() => "the end of the comment");
  const droppedRisk = layout.risk ? layout.risk.items.length - state.shownRisk : 0;
  if (droppedRisk > 0) add(() => listCut(layout.risk!, droppedRisk));
  const droppedSections = layout.sections.items.slice(state.shownSections);
  if (droppedSections.length > 0) add(() => droppedSectionsItem(layout.sections, droppedSections));
  for (const section of fit.truncated) {
    if (items.length >= MAX_NOTE_ITEMS) break;
    const shown = state.shownChanges.get(section) ?? 0;
    add(() => listCut(section, section.items.length - shown));
  }
  let findingCuts = 0;
  for (const list of layout.findings) {
    const dropped = list.items.length - (state.shownFindings.get(list) ?? list.items.length);
    if (dropped === 0) continue;
    findingCuts += 1;
    add(() => listCut(list, dropped));
  }
  if (state.unaffectedCompact) add(() => "the list of unaffected targets");
  for (const block of state.omittedDiffs) {
    if (items.length >= MAX_NOTE_ITEMS) break;
    add(() => `the diff of ${changeRef(block.change)} in ${markdownCode(block.change.target)} (${block.diffLines} lines)`);
  }
  const total =
    (hardCut ? 1 : 0) +
    (droppedRisk > 0 ? 1 : 0) +
    (droppedSections.length > 0 ? 1 : 0) +
    fit.truncated.size +
    findingCuts +
    (state.unaffectedCompact ? 1 : 0) +
    state.omittedDiffs.size;
  return { items, total };
}

function listCut<T>(list: ItemList<T>, dropped: number): string {
  return `${dropped} of ${list.items.length} ${list.name}`;
}

function droppedSectionsItem(list: ItemList<TargetSection>, dropped: TargetSection[]): string {
  const named = dropped.slice(0, 5).map((s) => markdownCode(s.target));
  const rest = dropped.length > named.length ? ` and ${dropped.length - named.length} more` : "";
  return `${listCut(list, dropped.length)}: ${named.join(", ")}${rest}`;
}

/**
 * The last resort: keep what fits of the shortened document, ending at a line break.
 * Markdown may be left with an open block, which is better than a rejected comment.
 */
function hardCut(text: string, fit: Fit): string {
  const closing = note(fit, true);
  const room = fit.maxLength - closing.length - 2;
  if (room <= 0) return safeSlice(closing, fit.maxLength);
  const kept = safeSlice(text, room);
  const lineEnd = kept.lastIndexOf("\n");
  const body = trimNewlines(lineEnd > 0 ? kept.slice(0, lineEnd) : kept);
  return safeSlice(`${body}\n\n${closing}`, fit.maxLength);
}

/** One trailing newline; only ever shortens the text. */
function finish(text: string): string {
  return text.endsWith("\n") ? `${trimNewlines(text)}\n` : text;
}

/** A loop, not /\n+$/: that regex is tried at every position of a multi-megabyte string. */
function trimNewlines(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 10) end -= 1;
  return text.slice(0, end);
}
