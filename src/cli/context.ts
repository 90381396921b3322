// What every verb shares: where the data folder is, how to print, and how failures become exit
// codes with a sentence on stderr.
import type { Command } from 'commander';
import { defaultDataDir } from '../node/datadir';
import { isMandalaError } from '../node/errors';

export const EXIT = { ok: 0, internal: 1, usage: 2, unreachable: 3, partial: 4 } as const;

export const VERSION = '0.1.0';

export interface DataOption {
  data?: string;
}

export function withDataOption(cmd: Command): Command {
  return cmd.option('--data <dir>', 'data folder (default: $MANDALA_DATA or the per-user folder)');
}

export function dataDir(opts: DataOption): string {
  return opts.data ?? defaultDataDir();
}

export function say(line: string): void {
  process.stdout.write(line + '\n');
}

export function note(line: string): void {
  process.stderr.write(line + '\n');
}

const UNREACHABLE = new Set(['peer_unreachable', 'peer_unknown_host', 'sync_timeout']);

/** Runs a verb; a MandalaError becomes its sentence and an exit code, never a stack trace. */
export function action<A extends unknown[]>(fn: (...args: A) => void | Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      if (isMandalaError(e)) {
        note(`mandala: ${e.message} [${e.code}]`);
        process.exitCode = UNREACHABLE.has(e.code) ? EXIT.unreachable : EXIT.usage;
      } else {
        note(`mandala: unexpected failure: ${(e as Error).stack ?? String(e)}`);
        process.exitCode = EXIT.internal;
      }
    }
  };
}
