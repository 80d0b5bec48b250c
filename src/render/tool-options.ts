/** What renderers that run external binaries need from the entry point. Read once, passed down. */
export interface ToolOptions {
  /** Binary paths from config (`render.binaries`); these win over everything else. */
  binaries: { helm?: string; kustomize?: string; kubectl?: string };
  /** The PATH value to search, read once by the entry point (never from process.env here). */
  searchPath: string;
  /** Project-local folder where `npm ci` provisions helm and kubectl (tools/bin). */
  toolsDir: string;
  /** Scratch directory for HOME/cache folders of child processes; created by the caller. */
  scratchDir: string;
}
