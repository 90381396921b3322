// The theme for the whole console: read once from storage, following the system's light/dark
// setting while the choice is "system", and written to <html data-theme> for the CSS tokens
// (styles/base.css). The map reads the resolved theme to redraw its basemap and labels.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { parseChoice, resolveTheme, THEME_STORAGE_KEY, type Theme, type ThemeChoice } from './theme';

interface ThemeState {
  readonly choice: ThemeChoice;
  readonly theme: Theme;
  choose(choice: ThemeChoice): void;
}

const ThemeContext = createContext<ThemeState>({ choice: 'system', theme: 'dark', choose: () => {} });

const LIGHT_QUERY = '(prefers-color-scheme: light)';

function readStored(): ThemeChoice {
  try {
    return parseChoice(window.localStorage.getItem(THEME_STORAGE_KEY));
  } catch {
    // Storage refused (a private window): the system's theme, not remembered.
    return 'system';
  }
}

export function ThemeProvider({ children }: { children: ReactNode }) {
  const [choice, setChoice] = useState<ThemeChoice>(readStored);
  const [prefersLight, setPrefersLight] = useState(() => window.matchMedia(LIGHT_QUERY).matches);
  useEffect(() => {
    const query = window.matchMedia(LIGHT_QUERY);
    const changed = (): void => setPrefersLight(query.matches);
    query.addEventListener('change', changed);
    return () => query.removeEventListener('change', changed);
  }, []);
  const theme = resolveTheme(choice, prefersLight);
  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);
  const choose = useCallback((next: ThemeChoice) => {
    setChoice(next);
    try {
      window.localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      // Not remembered; the choice still holds for this page.
    }
  }, []);
  const state = useMemo(() => ({ choice, theme, choose }), [choice, theme, choose]);
  return <ThemeContext.Provider value={state}>{children}</ThemeContext.Provider>;
}

export function useTheme(): ThemeState {
  return useContext(ThemeContext);
}
