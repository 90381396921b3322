// Session settings per link kind, and LoRa pacing scaled to the radio in use, in one place: a
// LAN link is fast and cheap; a radio link rations airtime (a full SF9/125 kHz frame takes about
// 1.25 s and a 1% duty cycle allows some 29 an hour), so it announces rarely and asks rarely.
// Every LoRa timing, here and in the transport, scales from
// the reference pace by the same rule (`paceToFrame`).
import type { Link } from './transport';
import type { SyncCodec } from './messages';

export interface SessionOptions {
  readonly codec: SyncCodec;
  /** Largest message this link carries, in bytes. */
  readonly mtu: number;
  /** Upper bound on events per run, whatever the MTU. */
  readonly maxEventsPerRun: number;
  /** Answer the same digest mismatch with a frontier at most this often. */
  readonly frontierEveryMs: number;
  /** Announce local changes (a digest) at most this often. */
  readonly announceEveryMs: number;
  /** After a peer refuses a feed, do not offer it again for this long. */
  readonly refuseBackoffMs: number;
  /** The periodic "are we in sync?" at most this often. */
  readonly pokeEveryMs: number;
  /**
   * Send each feed's newest run first, then fill the gap below it. Off on both kinds of link:
   * the receiver holds a run above a gap unstored until the gap arrives.
   */
  readonly newestFirst: boolean;
  /**
   * Uniform [0, 1): spreads periodic sends (+-25%) and delays announcements by up to
   * `announceJitterMs`, so nodes started together do not transmit in lockstep and collide at a
   * relay that hears them all (the hidden-terminal problem on a shared radio channel).
   */
  readonly random?: () => number;
  readonly announceJitterMs?: number;
  /** Broadcast sessions: hellos at most this often. */
  readonly helloEveryMs?: number;
  /** Broadcast sessions: a run a neighbour sent this recently is not repeated. */
  readonly suppressMs?: number;
  /** Broadcast sessions: after a new plan, listen about this long before sending runs. */
  readonly listenMs?: number;
  /** Broadcast sessions: Trickle's floor for "are we in sync?" digests (its ceiling is 128 times it). */
  readonly trickleMinMs?: number;
  /**
   * Broadcast sessions: this node's new positions are announced this long after the first of
   * them, so one signed run carries all the fixes of the window (0: at once). Anything else is
   * announced at once.
   */
  readonly freshnessMs?: number;
}

/** How long a radio holds this node's new positions to send them in one run, by default. */
export const DEFAULT_RADIO_FRESHNESS_MS = 30_000;

export const LAN_SESSION: Omit<SessionOptions, 'codec'> = {
  mtu: 1024 * 1024,
  maxEventsPerRun: 512,
  frontierEveryMs: 2_000,
  announceEveryMs: 250,
  refuseBackoffMs: 60_000,
  pokeEveryMs: 5_000,
  newestFirst: false,
};

/**
 * Airtime is rationed: announce rarely, ask rarely. Runs go oldest first, as on the LAN: a
 * receiver stores a feed only without gaps, so a newest run sent ahead waits there for the gap
 * (and a relay cannot pass it on), while its prev and signature cost a frame's share. These
 * are the pace for SF9/125 kHz (a full frame takes about 1.25 s); `loraSession` scales them to
 * the link actually in use.
 */
export const LORA_SESSION: Omit<SessionOptions, 'codec' | 'mtu'> = {
  maxEventsPerRun: 255,
  frontierEveryMs: 30_000,
  announceEveryMs: 15_000,
  announceJitterMs: 4_000,
  refuseBackoffMs: 600_000,
  pokeEveryMs: 90_000,
  newestFirst: false,
  helloEveryMs: 60_000,
  suppressMs: 45_000,
  listenMs: 4_000,
};

/** Full-frame airtime the LORA_SESSION pace is tuned for (SF9/125 kHz, 254 bytes). */
export const REFERENCE_FRAME_AIRTIME_MS = 1250;

/** LORA_SESSION's pace scaled to a link whose full frame takes `frameAirtimeMs` (with floors). */
export function loraSession(frameAirtimeMs: number): Omit<SessionOptions, 'codec' | 'mtu'> {
  const scale = (ms: number | undefined, floor: number) => paceToFrame(ms ?? 0, floor, frameAirtimeMs);
  const base = LORA_SESSION;
  return {
    ...base,
    frontierEveryMs: scale(base.frontierEveryMs, 500),
    announceEveryMs: scale(base.announceEveryMs, 200),
    announceJitterMs: scale(base.announceJitterMs, 100),
    refuseBackoffMs: scale(base.refuseBackoffMs, 10_000),
    pokeEveryMs: scale(base.pokeEveryMs, 1_500),
    helloEveryMs: scale(base.helloEveryMs, 1_000),
    suppressMs: scale(base.suppressMs, 750),
    listenMs: scale(base.listenMs, 100),
  };
}

/** A timing tuned for the reference frame (SF9/125 kHz), scaled to a frame of `frameAirtimeMs`. */
export function paceToFrame(referenceMs: number, floorMs: number, frameAirtimeMs: number): number {
  return Math.max(floorMs, Math.round(referenceMs * (Math.max(frameAirtimeMs, 1) / REFERENCE_FRAME_AIRTIME_MS)));
}

/** The settings for a per-peer session on this link (radio neighbourhoods use loraSession). */
export function sessionSettingsFor(link: Link): Omit<SessionOptions, 'codec'> {
  if (link.kind === 'lora') return { ...loraSession(REFERENCE_FRAME_AIRTIME_MS), mtu: link.packetSize ?? link.mtu };
  return { ...LAN_SESSION, mtu: Math.min(LAN_SESSION.mtu, link.mtu) };
}
