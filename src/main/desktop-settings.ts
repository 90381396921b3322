// What the desktop app remembers between starts, in one JSON file in Electron's user-data folder:
// the window's place and size (and whether it was maximised), the data folder the user chose,
// and the radio attached from the console (attached again at the next start unless MANDALA_LORA
// names another). Plain code without Electron, so tests run it under Node. A file that cannot be read or fails its schema is set aside (renamed), never a crash
// at start; writes go to a temporary file renamed over the old one, so a crash mid-write keeps the
// previous settings.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_RADIO, radioOptions, type LoraOptions } from '../node/transports/lora/radio-control';

export const SETTINGS_FILE = 'desktop-settings.json';

const Bounds = z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().min(200), height: z.number().int().min(150) });

const Radio = z.object({
  path: z.string().min(1),
  frequencyHz: z.number(),
  bandwidthHz: z.number(),
  sf: z.number(),
  cr: z.number(),
  txPowerDbm: z.number(),
  dutyCyclePct: z.number(),
  freshnessS: z.number(),
});

const Settings = z.object({
  window: Bounds.extend({ maximized: z.boolean() }).optional(),
  dataDir: z.string().min(1).optional(),
  radio: Radio.optional(),
});

export type DesktopSettings = z.infer<typeof Settings>;
export type WindowBounds = z.infer<typeof Bounds>;

export interface LoadedSettings {
  readonly settings: DesktopSettings;
  /** Why the file was set aside, in words for the log (null when it was fine or absent). */
  readonly problem: string | null;
}

export function loadSettings(dir: string): LoadedSettings {
  const file = join(dir, SETTINGS_FILE);
  if (!existsSync(file)) return { settings: {}, problem: null };
  let problem: string;
  try {
    const parsed = Settings.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success) return { settings: parsed.data, problem: null };
    problem = parsed.error.issues.map((i) => `${i.path.join('.') || 'the file'}: ${i.message}`).join('; ');
  } catch (e) {
    problem = (e as Error).message;
  }
  const aside = `${file}.unreadable`;
  renameSync(file, aside);
  return { settings: {}, problem: `${SETTINGS_FILE} could not be used (${problem}); it was kept as ${aside} and the defaults are used` };
}

export function saveSettings(dir: string, settings: DesktopSettings): void {
  const file = join(dir, SETTINGS_FILE);
  const next = `${file}.next`;
  writeFileSync(next, `${JSON.stringify(Settings.parse(settings), null, 2)}\n`);
  renameSync(next, file);
}

/** Where a window opens when nothing was remembered (or it would be off every screen). */
export const DEFAULT_SIZE = { width: 1440, height: 900 } as const;

/** At least this much of the window's title bar must be on a screen for the remembered place to be used. */
const MIN_VISIBLE = 120;

/**
 * The window's bounds: the remembered ones while enough of them is on one of the screens now
 * attached (a laptop taken off its dock loses the second screen), shrunk to that screen when
 * bigger; otherwise the default size, centred on the first screen.
 */
export function fitWindow(saved: WindowBounds | undefined, workAreas: readonly WindowBounds[]): WindowBounds {
  const primary = workAreas[0] ?? { x: 0, y: 0, ...DEFAULT_SIZE };
  if (saved) {
    for (const area of workAreas) {
      const width = Math.min(saved.width, area.width);
      const height = Math.min(saved.height, area.height);
      const visibleX = Math.min(saved.x + width, area.x + area.width) - Math.max(saved.x, area.x);
      const titleOnScreen = saved.y >= area.y && saved.y < area.y + area.height - 30;
      if (visibleX >= MIN_VISIBLE && titleOnScreen) return { x: saved.x, y: saved.y, width, height };
    }
  }
  const width = Math.min(DEFAULT_SIZE.width, primary.width);
  const height = Math.min(DEFAULT_SIZE.height, primary.height);
  return { x: primary.x + Math.round((primary.width - width) / 2), y: primary.y + Math.round((primary.height - height) / 2), width, height };
}

/** What the app remembers (desktop-settings.ts), read once at start and written on each change. */
export class Remembered {
  private current: DesktopSettings;

  constructor(private readonly dir: string) {
    const loaded = loadSettings(dir);
    if (loaded.problem) console.warn(`mandala: ${loaded.problem}`);
    this.current = loaded.settings;
  }

  get settings(): DesktopSettings {
    return this.current;
  }

  /** Applies a change and saves; a change the schema refuses (a window too small) is left out, the rest kept. */
  change(patch: Partial<DesktopSettings>): void {
    const next = { ...this.current, ...patch };
    if (JSON.stringify(next) === JSON.stringify(this.current)) return;
    const checked = Settings.safeParse(next);
    if (!checked.success) {
      console.warn(`mandala: a desktop setting was not kept (${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`);
      return;
    }
    this.current = next;
    try {
      saveSettings(this.dir, next);
    } catch (e) {
      console.warn(`mandala: could not save the desktop settings (${(e as Error).message})`);
    }
  }
}

/** The radio to attach at start: one named in the environment, else the one attached last time. */
export function startRadio(env: NodeJS.ProcessEnv, remembered: Remembered): LoraOptions | undefined {
  const loraPath = env['MANDALA_LORA'];
  if (loraPath) {
    const number = (name: string, fallback: number) => (env[name] === undefined ? fallback : Number(env[name]));
    return radioOptions({
      path: loraPath,
      frequencyHz: number('MANDALA_LORA_FREQ', DEFAULT_RADIO.frequencyHz),
      bandwidthHz: number('MANDALA_LORA_BW', DEFAULT_RADIO.bandwidthHz),
      sf: number('MANDALA_LORA_SF', DEFAULT_RADIO.sf),
      cr: number('MANDALA_LORA_CR', DEFAULT_RADIO.cr),
      txPowerDbm: number('MANDALA_LORA_TXPOWER', DEFAULT_RADIO.txPowerDbm),
      dutyCyclePct: number('MANDALA_LORA_DUTY', DEFAULT_RADIO.dutyCyclePct),
      freshnessS: number('MANDALA_LORA_FRESHNESS', DEFAULT_RADIO.freshnessS),
    });
  }
  const radio = remembered.settings.radio;
  if (!radio) return undefined;
  try {
    return radioOptions(radio);
  } catch (e) {
    console.warn(`mandala: the radio remembered from last time cannot be used (${(e as Error).message}); choose one in the Peers view`);
    remembered.change({ radio: undefined });
    return undefined;
  }
}
