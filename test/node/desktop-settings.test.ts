// PROVES: what the desktop app remembers (src/main/desktop-settings.ts), under Node with real
//         files: the settings survive a restart; a broken or hand-mangled file is set aside with
//         a sentence, never a crash, and the defaults are used; the window reopens where it was
//         unless that place is off every screen now (a laptop off its dock), and never bigger
//         than the screen; the radio attached last time is attached again, MANDALA_LORA wins over
//         it, and a remembered radio that no longer passes the checks is forgotten.
// CATCHES: a window restored onto a monitor that is gone, an app that will not start over its own
//          settings file, a radio forgotten at every quit.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, fitWindow, loadSettings, Remembered, saveSettings, SETTINGS_FILE, startRadio } from '../../src/main/desktop-settings';

const dir = () => mkdtempSync(join(tmpdir(), 'mandala-desktop-'));
const radio = { path: '/dev/ttyUSB0', frequencyHz: 868_100_000, bandwidthHz: 125_000, sf: 10, cr: 5, txPowerDbm: 14, dutyCyclePct: 1, freshnessS: 30 };

describe('desktop settings', () => {
  it('are_remembered_across_a_restart_and_written_whole', () => {
    const d = dir();
    const first = new Remembered(d);
    expect(first.settings).toEqual({});
    first.change({ window: { x: 40, y: 30, width: 1200, height: 800, maximized: false } });
    first.change({ dataDir: '/srv/mandala', radio });
    const again = new Remembered(d);
    expect(again.settings).toEqual({ window: { x: 40, y: 30, width: 1200, height: 800, maximized: false }, dataDir: '/srv/mandala', radio });
    again.change({ radio: undefined });
    expect(new Remembered(d).settings.radio).toBeUndefined();
    // A change the schema refuses (a window 10 px wide) is left out; later changes still save.
    again.change({ window: { x: 0, y: 0, width: 10, height: 10, maximized: false } });
    again.change({ dataDir: '/media/usb/mandala' });
    expect(new Remembered(d).settings).toMatchObject({ window: { width: 1200 }, dataDir: '/media/usb/mandala' });
    expect(existsSync(join(d, `${SETTINGS_FILE}.next`))).toBe(false);
  });

  it('a_broken_file_is_set_aside_in_words_and_the_defaults_are_used', () => {
    for (const text of ['{"window": {"x": 1', JSON.stringify({ window: { x: 0, y: 0, width: 10, height: 10, maximized: false } }), JSON.stringify({ radio: { path: '' } })]) {
      const d = dir();
      writeFileSync(join(d, SETTINGS_FILE), text);
      const loaded = loadSettings(d);
      expect(loaded.settings).toEqual({});
      expect(loaded.problem).toContain('could not be used');
      expect(loaded.problem).toContain('the defaults are used');
      expect(readFileSync(join(d, `${SETTINGS_FILE}.unreadable`), 'utf8')).toBe(text);
      expect(existsSync(join(d, SETTINGS_FILE))).toBe(false);
    }
    expect(() => saveSettings(dir(), { window: { x: 0, y: 0, width: 1, height: 1, maximized: false } })).toThrow();
  });

  it('the_window_reopens_where_it_was_while_that_is_on_a_screen', () => {
    const laptop = { x: 0, y: 0, width: 1920, height: 1050 };
    const dock = { x: 1920, y: 0, width: 2560, height: 1410 };
    const onDock = { x: 2100, y: 100, width: 1600, height: 1000 };
    expect(fitWindow(onDock, [laptop, dock])).toEqual(onDock);
    // Off the dock: the second screen is gone, so the window opens centred on the laptop.
    expect(fitWindow(onDock, [laptop])).toEqual({ x: 240, y: 75, ...DEFAULT_SIZE });
    // Bigger than its screen: shrunk to it.
    expect(fitWindow({ x: 0, y: 0, width: 3000, height: 2000 }, [laptop])).toEqual({ x: 0, y: 0, width: 1920, height: 1050 });
    // A title bar above the screen cannot be grabbed: not used.
    expect(fitWindow({ x: 100, y: -200, width: 800, height: 600 }, [laptop])).toEqual({ x: 240, y: 75, ...DEFAULT_SIZE });
    // Nothing remembered, a small screen.
    expect(fitWindow(undefined, [{ x: 0, y: 0, width: 1280, height: 720 }])).toEqual({ x: 0, y: 0, width: 1280, height: 720 });
  });

  it('attaches_the_radio_remembered_unless_the_environment_names_one', () => {
    const d = dir();
    const remembered = new Remembered(d);
    expect(startRadio({}, remembered)).toBeUndefined();
    remembered.change({ radio });
    expect(startRadio({}, remembered)).toMatchObject({ path: '/dev/ttyUSB0', config: { sf: 10 }, dutyCyclePct: 1 });
    expect(startRadio({ MANDALA_LORA: '/dev/ttyACM1', MANDALA_LORA_SF: '7' }, remembered)).toMatchObject({ path: '/dev/ttyACM1', config: { sf: 7, bandwidthHz: 125_000 }, freshnessMs: 30_000 });
    expect(() => startRadio({ MANDALA_LORA: '/dev/ttyACM1', MANDALA_LORA_SF: '14' }, remembered)).toThrow('spreading factor 14 is outside 5..12');
    // A remembered radio that no longer passes the checks (a hand edit) is forgotten, not fatal.
    remembered.change({ radio: { ...radio, sf: 99 } });
    expect(startRadio({}, remembered)).toBeUndefined();
    expect(new Remembered(d).settings.radio).toBeUndefined();
  });
});
