/** The file names Docker Compose looks for, in its order of preference. */

/** compose-go's DefaultFileNames. */
export const MAIN_FILE_NAMES = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"] as const;

/** compose-go's DefaultOverrideFileNames; the first one present is used. */
export const OVERRIDE_FILE_NAMES = [
  "compose.override.yml",
  "compose.override.yaml",
  "docker-compose.override.yml",
  "docker-compose.override.yaml",
] as const;

export function isMainFileName(name: string): boolean {
  return (MAIN_FILE_NAMES as readonly string[]).includes(name);
}
