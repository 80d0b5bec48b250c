/**
 * The Markdown comment as parts that can shrink, so fitting it under GitHub's size
 * limit is a matter of choosing which parts to shorten rather than cutting text blindly.
 * Every part's text ends with a blank line, so parts concatenate into valid Markdown.
 */
import type { Change } from "../../core/model/change.js";

/** A fixed prefix and suffix around items that can be dropped from the end. */
export interface ItemList<T> {
  /** What the items are, for the note listing cuts: "new findings", "changes in `apps/api`". */
  name: string;
  prefix: string;
  items: T[];
  suffix: string;
  /** Stands in for `count` dropped items; shown only when some were dropped. */
  more: (count: number) => string;
}

export interface ChangeBlock {
  change: Change;
  /** Heading line and summary bullets. */
  head: string;
  /** The fenced diff; empty when the change has none. */
  diff: string;
  /** What replaces `diff` when it is omitted to save space. */
  omittedDiff: string;
  diffLines: number;
}

export interface TargetSection extends ItemList<ChangeBlock> {
  target: string;
}

export interface MarkdownLayout {
  /** Heading and refs (or the one-line "nothing affected" form). */
  intro: string;
  /** Risk level, reasons and approvers: first, because it decides who must look. */
  risk?: ItemList<string>;
  /** The summary table; empty in the short form. */
  summary: string;
  /** Cost totals and top movers; empty without a cost estimate. */
  cost: string;
  /** New findings, then pre-existing ones. */
  findings: ItemList<string>[];
  /** Items are the per-target sections; the prefix is the "Targets" heading. */
  sections: ItemList<TargetSection>;
  /** The unaffected targets, listed or (when space is short) only counted. */
  unaffected: { full: string; compact: string };
  /** Why the check passes or fails (only when the caller knows its threshold); never cut. */
  closing?: string;
}

/** Which parts are shortened. The initial state shows everything. */
export interface CutState {
  /** Change blocks whose diff is replaced by a note, in the order they were cut. */
  omittedDiffs: Set<ChangeBlock>;
  /** How many change blocks each section shows. */
  shownChanges: Map<TargetSection, number>;
  unaffectedCompact: boolean;
  /** How many rows each findings list shows. */
  shownFindings: Map<ItemList<string>, number>;
  shownSections: number;
  /** How many risk reasons are shown. */
  shownRisk: number;
}

export function fullState(layout: MarkdownLayout): CutState {
  return {
    omittedDiffs: new Set(),
    shownChanges: new Map(layout.sections.items.map((s) => [s, s.items.length])),
    unaffectedCompact: false,
    shownFindings: new Map(layout.findings.map((f) => [f, f.items.length])),
    shownSections: layout.sections.items.length,
    shownRisk: layout.risk?.items.length ?? 0,
  };
}

export function changeBlockText(block: ChangeBlock, state: CutState): string {
  return block.head + (state.omittedDiffs.has(block) ? block.omittedDiff : block.diff);
}

export function listText<T>(list: ItemList<T>, shown: number, itemText: (item: T) => string): string {
  const dropped = list.items.length - shown;
  const items = list.items.slice(0, shown).map(itemText).join("");
  return list.prefix + items + (dropped > 0 ? list.more(dropped) : "") + list.suffix;
}

export function sectionText(section: TargetSection, state: CutState): string {
  const shown = state.shownChanges.get(section) ?? section.items.length;
  return listText(section, shown, (block) => changeBlockText(block, state));
}

/** The document for a cut state, without the closing note. */
export function assemble(layout: MarkdownLayout, state: CutState): string {
  const findings = layout.findings.map((list) =>
    listText(list, state.shownFindings.get(list) ?? list.items.length, (row) => row),
  );
  const sections =
    layout.sections.items.length > 0
      ? listText(layout.sections, state.shownSections, (section) => sectionText(section, state))
      : "";
  const unaffected = state.unaffectedCompact ? layout.unaffected.compact : layout.unaffected.full;
  const risk = layout.risk ? listText(layout.risk, state.shownRisk, (row) => row) : "";
  return layout.intro + risk + layout.summary + layout.cost + findings.join("") + sections + unaffected + (layout.closing ?? "");
}
