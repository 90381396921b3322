// NMEA 0183 lines from a truck kit's GPS (parsed by nmea-simple) into the fixes this node records:
// RMC gives the fix (UTC date and time, position, speed, track), GGA its quality (satellites,
// HDOP, taken as accuracy). A fix is recorded once every `intervalS` seconds of GPS time, and, with
// `minMoveM`, only when the truck moved that far since the last recorded fix (a parked truck does
// not fill the feed; it reports every 30 intervals). Lines that are garbled, fail their checksum or carry no fix are counted and
// named, never fatal.
import { parseNmeaSentence, type GGAPacket, type Packet, type RMCPacket } from 'nmea-simple';
import { distanceMeters } from '../../core/geo/geo';

export interface GpsFix {
  readonly fixMs: number;
  readonly lat: number;
  readonly lon: number;
  readonly speedKmh: number;
  readonly headingDeg: number;
  readonly accuracyM: number | null;
}

export type LineOutcome =
  | { readonly kind: 'fix'; readonly fix: GpsFix }
  | { readonly kind: 'skipped' }
  | { readonly kind: 'no_fix'; readonly message: string }
  | { readonly kind: 'bad_line'; readonly code: 'gps_checksum' | 'gps_garbled'; readonly message: string };

export interface FixPolicy {
  readonly intervalS: number;
  readonly minMoveM: number | null;
}

/** Accuracy from HDOP: the usual rule of thumb for a consumer receiver (about 5 m per unit). */
const METRES_PER_HDOP = 5;
const KMH_PER_KNOT = 1.852;
const PARKED_EVERY = 30;

function checksumOk(line: string): boolean | null {
  const m = /^\$([^*]*)\*([0-9A-Fa-f]{2})$/.exec(line);
  if (!m) return null;
  let x = 0;
  for (const ch of m[1]!) x ^= ch.charCodeAt(0);
  return x === parseInt(m[2]!, 16);
}

export class NmeaFixes {
  private last: GpsFix | null = null;
  private accuracyM: number | null = null;

  constructor(private readonly policy: FixPolicy) {}

  /** One line as the serial port delivered it. */
  line(raw: string): LineOutcome {
    const line = raw.trim();
    if (line === '') return { kind: 'skipped' };
    const sum = checksumOk(line);
    if (sum === false) return { kind: 'bad_line', code: 'gps_checksum', message: `a sentence failed its checksum (${line.slice(0, 24)}…): a loose cable or the wrong baud rate` };
    let packet: Packet;
    try {
      packet = parseNmeaSentence(line);
    } catch {
      // Sentences this parser does not know (GSV variants, proprietary $P...) are not errors.
      if (sum === true && /^\$(P|..(GSV|GSA|VTG|GLL|ZDA|TXT))/.test(line)) return { kind: 'skipped' };
      return { kind: 'bad_line', code: 'gps_garbled', message: `a line is not an NMEA sentence (${line.slice(0, 24)}…): check the baud rate (--gps-baud, usually 9600 or 4800)` };
    }
    if (packet.sentenceId === 'GGA') return this.quality(packet);
    if (packet.sentenceId === 'RMC') return this.fix(packet);
    return { kind: 'skipped' };
  }

  private quality(p: GGAPacket): LineOutcome {
    if (p.fixType === 'none') return { kind: 'no_fix', message: `the GPS has no fix yet (${p.satellitesInView} satellites in view): give it a clear view of the sky` };
    this.accuracyM = Number.isFinite(p.horizontalDilution) && p.horizontalDilution > 0 ? p.horizontalDilution * METRES_PER_HDOP : null;
    return { kind: 'skipped' };
  }

  private fix(p: RMCPacket): LineOutcome {
    const fixMs = p.datetime.getTime();
    if (p.status !== 'valid' || !Number.isFinite(fixMs)) return { kind: 'no_fix', message: 'the GPS reports no valid fix (RMC status V): give it a clear view of the sky' };
    if (Math.abs(p.latitude) > 90 || Math.abs(p.longitude) > 180) return { kind: 'bad_line', code: 'gps_garbled', message: 'the GPS reported a position out of range' };
    const fix: GpsFix = { fixMs, lat: p.latitude, lon: p.longitude, speedKmh: p.speedKnots * KMH_PER_KNOT, headingDeg: p.trackTrue, accuracyM: this.accuracyM };
    const last = this.last;
    if (last) {
      if (fixMs - last.fixMs < this.policy.intervalS * 1000) return { kind: 'skipped' };
      // A parked truck still says where it is now and then (every 30 intervals).
      const parked = this.policy.minMoveM !== null && distanceMeters(last.lat, last.lon, fix.lat, fix.lon) < this.policy.minMoveM;
      if (parked && fixMs - last.fixMs < this.policy.intervalS * 1000 * PARKED_EVERY) return { kind: 'skipped' };
    }
    this.last = fix;
    return { kind: 'fix', fix };
  }
}
