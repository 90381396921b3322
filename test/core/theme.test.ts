// PROVES: the theme rules — a stored choice read back (anything unknown means the system's), the
//         system's setting followed only while the choice is "system", the header's order.
import { describe, expect, it } from 'vitest';
import { describeChoice, nextChoice, parseChoice, resolveTheme } from '../../src/renderer/src/theme/theme';

describe('console theme', () => {
  it('reads_a_stored_choice_and_falls_back_to_the_system', () => {
    expect(parseChoice('light')).toBe('light');
    expect(parseChoice('dark')).toBe('dark');
    for (const junk of [null, undefined, '', 'system', 'Light', 'solarized']) expect(parseChoice(junk)).toBe('system');
  });

  it('follows_the_system_only_while_the_choice_is_system', () => {
    expect(resolveTheme('system', true)).toBe('light');
    expect(resolveTheme('system', false)).toBe('dark');
    expect(resolveTheme('dark', true)).toBe('dark');
    expect(resolveTheme('light', false)).toBe('light');
  });

  it('steps_system_light_dark_and_round_again', () => {
    expect([nextChoice('system'), nextChoice('light'), nextChoice('dark')]).toEqual(['light', 'dark', 'system']);
    expect(describeChoice('system', 'light')).toBe('Theme: as the system (light now)');
    expect(describeChoice('dark', 'dark')).toBe('Theme: dark');
  });
});
