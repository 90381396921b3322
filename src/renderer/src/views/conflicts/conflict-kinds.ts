// The seven kinds of conflict-timeline entry: how each is named, coloured and explained. Colours
// are chosen to read on the dark panels and to stay apart from each other; SVG and CSS both use
// them (SVG attributes cannot read CSS variables reliably everywhere).
import type { ConflictEntryDto, ConflictKindDto } from '../../../../shared/api';

export interface KindMeta {
  readonly label: string;
  readonly color: string;
  readonly explain: string;
}

export const CONFLICT_KINDS: readonly ConflictKindDto[] = ['concurrent_write', 'clock_ahead', 'late_fix', 'delayed_fix', 'implausible_fix', 'fork', 'gate_denial'];

export const KIND_META: Readonly<Record<ConflictKindDto, KindMeta>> = {
  concurrent_write: {
    label: 'Concurrent write',
    color: '#ff9b54',
    explain: 'Writes to one field that did not see each other. Open until a later write that saw them all settles it.',
  },
  late_fix: { label: 'Late fix', color: '#5aa9ff', explain: 'A position older than one its own author had already sent for that truck.' },
  delayed_fix: { label: 'Delayed fix', color: '#4dd8e6', explain: 'A position recorded long after it was taken (buffered in a dead zone).' },
  implausible_fix: { label: 'Implausible fix', color: '#ff6b6b', explain: 'A position a fleet filter flagged (impossible speed, a jump, 0,0, a duplicate, drift…): kept, shown with its reason, never current.' },
  fork: { label: 'Fork', color: '#c792ff', explain: 'An author signed two different histories; its feed is quarantined.' },
  gate_denial: { label: 'Gate denial', color: '#ffd166', explain: 'A node refused to write something; the gate gave a reason code.' },
  clock_ahead: { label: 'Fast clock', color: '#f78fb3', explain: "A write stamped well after a later write that saw it: its author's clock runs fast. The later write wins anyway." },
};

export function kindMeta(kind: string): KindMeta {
  return KIND_META[kind as ConflictKindDto] ?? { label: kind.replaceAll('_', ' '), color: '#9aa8b7', explain: '' };
}

/** Where an entry happened: "DL-7.status", "truck T-3", or nothing. */
export function entryPlace(entry: ConflictEntryDto): string | null {
  if (entry.record) return entry.field ? `${entry.record}.${entry.field}` : entry.record;
  if (entry.truck) return `truck ${entry.truck}`;
  return null;
}

