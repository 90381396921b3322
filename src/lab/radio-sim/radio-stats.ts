// The simulator's figures per radio: packets sent, received, collided, lost and dropped, TX
// airtime and duty cycle (airtime / time since start), as one record for DIR/stats.json and one
// compact line for the log. It owns the counting of transmissions (MeteredChannel) and the
// formatting; the numbers themselves come from RfChannel and the firmware emulators.
import { rename, writeFile } from 'node:fs/promises';
import { RfChannel, type Tuning } from './rf-channel';
import type { PtyPortState } from './pty-port';

/** An RfChannel that also counts each radio's transmissions. */
export class MeteredChannel extends RfChannel {
  private readonly sentBy = new Map<number, number>();

  override transmit(from: number, payload: Uint8Array, tuning: Tuning, onDone: () => void): number {
    this.sentBy.set(from, (this.sentBy.get(from) ?? 0) + 1);
    return super.transmit(from, payload, tuning, onDone);
  }

  sent(id: number): number {
    return this.sentBy.get(id) ?? 0;
  }
}

export interface RadioStats {
  readonly index: number;
  readonly path: string;
  readonly port: PtyPortState;
  readonly frozen: boolean;
  readonly on: boolean;
  /** As the host tuned it; null while off or unconfigured. */
  readonly tuning: Tuning | null;
  readonly txPowerDbm: number | null;
  /** Transmissions that went on air. */
  readonly sent: number;
  /** Packets delivered intact. */
  readonly received: number;
  /** Packets destroyed at this receiver by overlap or half duplex. */
  readonly collided: number;
  /** Packets lost at random (the loss option). */
  readonly lost: number;
  /** Host packets the firmware dropped (radio off, over 508 bytes, queue full). */
  readonly dropped: number;
  readonly queued: number;
  readonly txAirtimeMs: number;
  /** TX airtime over the time since the simulator started, percent. */
  readonly dutyCyclePct: number;
  /** The firmware's own short-term figure (last minute), percent. */
  readonly airtimeLastMinutePct: number;
}

export interface SimulatorStats {
  readonly atMs: number;
  readonly elapsedMs: number;
  /** What the simulator assumes; hosts hear each other only if they tune alike. */
  readonly nominal: { readonly frequencyHz: number; readonly bwHz: number; readonly sf: number; readonly cr: number };
  readonly reach: string;
  readonly radios: readonly RadioStats[];
}

export function dutyCyclePct(airtimeMs: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (airtimeMs / elapsedMs) * 100 : 0;
}

function tuningLabel(t: Tuning | null): string {
  if (!t) return 'off';
  const bw = t.bwHz >= 1000 ? `${t.bwHz / 1000}k` : `${t.bwHz}`;
  return `SF${t.sf}/BW${bw}/CR${t.cr}@${(t.frequencyHz / 1e6).toFixed(3)}MHz`;
}

/** One compact log line: `radio0 open SF7/BW500k/CR5@868.100MHz tx 3 air 0.09s duty 0.012% rx 2 coll 0 lost 0 drop 0`. */
export function statsLine(r: RadioStats): string {
  const state = r.frozen ? `${r.port},frozen` : r.port;
  return (
    `radio${r.index} ${state} ${tuningLabel(r.tuning)} tx ${r.sent} air ${(r.txAirtimeMs / 1000).toFixed(2)}s ` +
    `duty ${r.dutyCyclePct.toFixed(3)}% rx ${r.received} coll ${r.collided} lost ${r.lost} drop ${r.dropped}` +
    (r.queued ? ` queued ${r.queued}` : '')
  );
}

/** Writes stats.json whole (temp file + rename), so a reader never sees half of it. */
export async function writeStatsFile(path: string, stats: SimulatorStats): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(stats, null, 2) + '\n');
  await rename(tmp, path);
}
