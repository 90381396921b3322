// A plausibility filter's reason code in words a dispatcher reads (the code stays beside it, for
// an auditor who looks it up or searches a report).
const FLAG_WORDS: Readonly<Record<string, string>> = {
  coordinates_out_of_range: 'coordinates out of range',
  null_island: 'at 0,0 (the receiver had no fix)',
  fix_in_future: 'time in the future',
  fix_too_old: 'fix too old',
  poor_accuracy: 'poor accuracy',
  duplicate_fix: 'the same fix as an earlier one',
  teleport: 'moved with no time passing',
  jump: 'jumped too far too fast',
  implied_speed_over_limit: 'implied speed over the limit',
  stationary_drift: 'GPS drift while standing',
};

export function describeFlag(code: string): string {
  return FLAG_WORDS[code] ?? code.replaceAll('_', ' ');
}

/** What the historical mark means, in one sentence. */
export const HISTORICAL_WORDS = 'historical: recorded after a newer fix of this truck, so it fires no live alert';
