// The console's light and dark themes: what the user chose (or the system's), resolved to the one
// drawn. Pure, so the rules are tested without a browser.

/** What the user picked: follow the system, or one theme always. */
export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

/** Where the choice is kept in the browser (or the desktop window's) storage. */
export const THEME_STORAGE_KEY = 'mandala.theme';

/** A stored value read back: anything unknown (an old or hand-edited value) means the system's. */
export function parseChoice(stored: string | null | undefined): ThemeChoice {
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

export function resolveTheme(choice: ThemeChoice, systemPrefersLight: boolean): Theme {
  if (choice === 'system') return systemPrefersLight ? 'light' : 'dark';
  return choice;
}

/** The header button steps through the choices in this order. */
export function nextChoice(choice: ThemeChoice): ThemeChoice {
  return THEME_CHOICES[(THEME_CHOICES.indexOf(choice) + 1) % THEME_CHOICES.length]!;
}

export function describeChoice(choice: ThemeChoice, theme: Theme): string {
  return choice === 'system' ? `Theme: as the system (${theme} now)` : `Theme: ${choice}`;
}
