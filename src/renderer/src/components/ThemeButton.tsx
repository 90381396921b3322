// The header's theme button: system, light, dark, in turn. The choice is remembered on this
// machine (its browser storage, or the desktop app's).
import { describeChoice, nextChoice } from '../theme/theme';
import { useTheme } from '../theme/use-theme';
import { Icon } from './Icon';

const ICON = { system: 'auto', light: 'sun', dark: 'moon' } as const;

export function ThemeButton() {
  const { choice, theme, choose } = useTheme();
  const label = describeChoice(choice, theme);
  return (
    <button type="button" className="icon-button theme-button" data-testid="theme-button" data-choice={choice} data-theme={theme} title={`${label}. Click for ${nextChoice(choice)}.`} aria-label={label} onClick={() => choose(nextChoice(choice))}>
      <Icon name={ICON[choice]} />
    </button>
  );
}
