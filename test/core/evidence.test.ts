// PROVES: an evidence report's body has pinned canonical bytes, body_hash and signature
//         (test/golden/reports.json); verification names the exact reason when the body, hash,
//         signer or signature was tampered with; a store that holds the same events re-derives
//         the output hash by replaying to the input frontier (even after it learned more); a
//         store that lacks events says exactly which and never calls the report invalid; a
//         false output is caught; and a checkpoint gives the same replay as the first event.
// CATCHES: reports whose identity drifts between builds, verifiers that trust the author, replays
//          that leak events beyond the frontier, "invalid" where "cannot check" is the truth.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/encoding/bytes';
import { encodeCanonical } from '../../src/core/encoding/canonical';
import { bodyHash, bodyToValue, type ReportBody } from '../../src/core/evidence/report-body';
import { reportFromValue, reportToValue, sealReport, type SignedReport } from '../../src/core/evidence/report';
import { checkReach, replayTo } from '../../src/core/evidence/replay';
import { verifyReport } from '../../src/core/evidence/verify';
import type { FeedEvent } from '../../src/core/events/event';
import { foldVersions } from '../../src/core/projections/checkpoint';
import { outputHash, projectionOutputHash } from '../../src/core/projections/projection';
import { applyAll, createProjections } from '../../src/core/projections/set';
import { LiveState } from '../../src/core/live/live-state';
import { DEFAULT_SETTINGS, LEGACY_SETTINGS, type FleetSettings } from '../../src/core/projections/fleet-settings';
import { reportSettings } from '../../src/core/evidence/report-settings';
import { fleetHashFromView } from '../../src/core/projections/fleet-digest';
import { MemoryFeedStore } from '../../src/node/store/memory-store';
import { crypto, FeedBuilder, forkOf, identity } from '../support/feeds';

const GOLDEN = join(import.meta.dirname, '..', 'golden', 'reports.json');
const META = { generatedAtMs: 1_700_000_100_000, appVersion: 'golden', nodeName: 'base-camp', diagnostics: { run_ms: 3 } };

function camp() {
  const a = new FeedBuilder('evidence-a');
  const b = new FeedBuilder('evidence-b');
  a.add('record.create', { record_id: 'R-1', form: 'site' }, { wall: 1_700_000_000_000, counter: 0 });
  a.add('field.set', { record_id: 'R-1', field: 'status', value: 'open', deps: [] }, { wall: 1_700_000_001_000, counter: 0 });
  b.add('truck.position', { truck: 'T-1', fix_ms: 1_700_000_000_500, lat_e6: -1_292_066, lon_e6: 36_821_946, speed_kmh: 40 }, { wall: 1_700_000_001_000, counter: 0 });
  b.add('field.set', { record_id: 'R-1', field: 'status', value: 'closed' }, { wall: 1_700_000_001_000, counter: 1 });
  a.add('note.add', { record_id: 'R-1', text: 'checked' }, { wall: 1_700_000_002_000, counter: 0 });
  return { a, b };
}

function storeOf(...feeds: { run: FeedBuilder['run']; events: FeedEvent[] }[]): MemoryFeedStore {
  const s = new MemoryFeedStore(crypto);
  s.ingest(feeds.map((f) => f.run(1, f.events.length)), 0);
  return s;
}

/** A report as a node makes it: the minimal input for the projection, its output hash, signed. */
function reportFor(store: MemoryFeedStore, projection: 'records' | 'fleet' | 'conflicts', signer = identity('evidence-a'), settings: FleetSettings = DEFAULT_SETTINGS): SignedReport {
  const live = LiveState.open(store, crypto, true, [], settings);
  const p = live.projections[projection];
  const body: ReportBody = {
    schemaVersion: 1,
    projection,
    projectionVersion: p.version,
    sourceRefs: p.sources,
    replayMode: 'full',
    requested: { kind: 'consistent' },
    observed: { kind: 'fresh' },
    input: live.heads.inputFor(p.sources, crypto),
    outputHash: projectionOutputHash(p, crypto),
    cache: { kind: 'bypassed' },
    checkpoint: null,
    findings: [],
    settings: reportSettings(projection, settings),
  };
  return sealReport(body, signer, crypto, META);
}

function golden() {
  const { a, b } = camp();
  const records = reportFor(storeOf(a, b), 'records');
  const failed = sealReport(
    {
      ...records.body,
      projection: 'fleet',
      sourceRefs: ['truck.position'],
      observed: { kind: 'unavailable', reason: 'store_unreadable' },
      requested: { kind: 'maybe_stale', maxStaleMs: 60_000 },
      cache: { kind: 'unavailable', reason: 'run_failed' },
      outputHash: null,
      findings: [{ code: 'run_failed', message: 'the run failed: database disk image is malformed' }],
    },
    identity('evidence-a'),
    crypto,
    META,
  );
  const pin = (r: SignedReport) => ({ body_bytes: toHex(encodeCanonical(bodyToValue(r.body))), body_hash: r.bodyHash, signature: r.signature, output_hash: r.body.outputHash });
  return { signer: records.signer, records: pin(records), failed_run: pin(failed) };
}

describe('evidence reports: identity', () => {
  it('golden_vectors_pin_body_bytes_hash_and_signature', () => {
    const now = golden();
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(GOLDEN, JSON.stringify(now, null, 2) + '\n');
    expect(now).toEqual(JSON.parse(readFileSync(GOLDEN, 'utf8')));
  });

  it('metadata_is_outside_the_hashed_identity_and_the_json_file_round_trips', () => {
    const { a, b } = camp();
    const r = reportFor(storeOf(a, b), 'records');
    const other = sealReport(r.body, identity('evidence-a'), crypto, { ...META, generatedAtMs: 1, diagnostics: { run_ms: 99 } });
    expect(other.bodyHash).toBe(r.bodyHash);
    expect(other.signature).toBe(r.signature);
    const fromFile = reportFromValue(JSON.parse(JSON.stringify(reportToValue(r))));
    expect(bodyHash(fromFile.body, crypto)).toBe(r.bodyHash);
    expect(verifyReport(fromFile, crypto).verdict).toBe('valid');
  });
});

describe('evidence reports: tampering', () => {
  const { a, b } = camp();
  const store = storeOf(a, b);
  const file = () => JSON.parse(JSON.stringify(reportToValue(reportFor(store, 'records'))));
  const check = (v: unknown, withStore = false) => {
    const parsed = (() => {
      try {
        return reportFromValue(v);
      } catch (e) {
        return e as Error;
      }
    })();
    if (parsed instanceof Error) return { verdict: 'invalid', code: 'malformed_report' };
    return verifyReport(parsed, crypto, withStore ? { store } : {});
  };

  it('an_untouched_report_is_valid_with_and_without_the_events', () => {
    expect(check(file())).toMatchObject({ verdict: 'valid', code: 'ok' });
    expect(check(file(), true)).toMatchObject({ verdict: 'valid', code: 'ok', checks: { bodyHash: 'ok', signature: 'ok', output: 'ok' } });
  });

  it('each_kind_of_tampering_fails_with_its_precise_reason', () => {
    const body = file();
    body.body.output_hash = 'f'.repeat(64);
    expect(check(body)).toMatchObject({ verdict: 'invalid', code: 'body_hash_mismatch' });

    const hash = file();
    hash.body_hash = '0'.repeat(64);
    expect(check(hash)).toMatchObject({ verdict: 'invalid', code: 'body_hash_mismatch' });

    const sig = file();
    sig.signature = (sig.signature[0] === 'a' ? 'b' : 'a') + sig.signature.slice(1);
    expect(check(sig)).toMatchObject({ verdict: 'invalid', code: 'signature_invalid' });

    const signer = file();
    signer.signer = identity('someone-else').author;
    expect(check(signer)).toMatchObject({ verdict: 'invalid', code: 'signature_invalid' });

    // A forger who rewrites the body and recomputes its hash still cannot sign it.
    const rehashed = reportFromValue(file());
    const forged = { ...rehashed, body: { ...rehashed.body, outputHash: 'e'.repeat(64) } };
    expect(verifyReport({ ...forged, bodyHash: bodyHash(forged.body, crypto) }, crypto)).toMatchObject({ verdict: 'invalid', code: 'signature_invalid' });

    const malformed = file();
    delete malformed.body.input_frontier;
    expect(check(malformed)).toMatchObject({ verdict: 'invalid', code: 'malformed_report' });
    const unsorted = file();
    unsorted.body.source_refs.reverse();
    expect(check(unsorted)).toMatchObject({ verdict: 'invalid', code: 'malformed_report' });
  });

  it('a_signed_false_output_is_caught_by_replay', () => {
    const honest = reportFor(store, 'records');
    const lie = sealReport({ ...honest.body, outputHash: 'ab'.repeat(32) }, identity('evidence-a'), crypto, META);
    expect(verifyReport(lie, crypto)).toMatchObject({ verdict: 'valid' }); // authentic, but...
    const r = verifyReport(lie, crypto, { store });
    expect(r).toMatchObject({ verdict: 'invalid', code: 'output_hash_mismatch', checks: { output: 'failed' } });
    expect(r.replayedOutputHash).toBe(honest.body.outputHash);
  });
});

describe('evidence reports: replay to the input frontier', () => {
  it('a_store_that_learned_more_still_re_derives_the_output_at_the_frontier', () => {
    const { a, b } = camp();
    const report = reportFor(storeOf(a, b), 'conflicts');
    a.add('field.set', { record_id: 'R-1', field: 'status', value: 'reopened' });
    b.add('truck.position', { truck: 'T-1', fix_ms: 1_700_000_009_000, lat_e6: 0, lon_e6: 0 });
    const later = storeOf(a, b);
    expect(verifyReport(report, crypto, { store: later })).toMatchObject({ verdict: 'valid', code: 'ok' });
    expect(reportFor(later, 'conflicts').body.outputHash).not.toBe(report.body.outputHash);
  });

  it('the_input_frontier_is_minimal_so_a_node_without_unrelated_feeds_can_verify', () => {
    const { a, b } = camp();
    const reporter = new FeedBuilder('evidence-reporter');
    reporter.add('report.created', { anything: 'not a source of any projection' });
    const fleetReport = reportFor(storeOf(a, b, reporter), 'fleet');
    expect(fleetReport.body.input.vector.map((e) => e.author)).toEqual([b.author]);
    expect(verifyReport(fleetReport, crypto, { store: storeOf(b) })).toMatchObject({ verdict: 'valid' });
  });

  // PROVES: a records, fleet or conflicts report made before their output hashes became
  //         per-record or per-truck digests (records 2, fleet 1, conflicts 2: the whole view
  //         hashed as one value), or before the fleet's views named accuracy and the historical
  //         mark (fleet 2), still verifies by that version's hash, re-derived under the legacy
  //         settings (such reports name none); one whose hash was swapped for the current
  //         version's does not; a version this build never had is unverifiable, not invalid.
  // CATCHES: a version bump that strands every report made before it.
  const legacyHash = (projection: 'records' | 'fleet' | 'conflicts', before: number, store: MemoryFeedStore): string => {
    const p = LiveState.open(store, crypto, true, [], LEGACY_SETTINGS).projections;
    if (projection === 'fleet' && before === 2) return toHex(fleetHashFromView(p.fleet.view(true), crypto, 2));
    return outputHash(projection === 'fleet' ? p.fleet.view(true) : p[projection].view(), crypto);
  };
  for (const [projection, before, now] of [['records', 2, 3], ['fleet', 1, 3], ['fleet', 2, 3], ['conflicts', 2, 3]] as const) {
    it(`a_${projection}_report_of_output_version_${before}_still_verifies_by_its_own_hash`, () => {
      const { a, b } = camp();
      b.add('truck.position', { truck: 'T-2', fix_ms: 1_700_000_003_000, lat_e6: -1_290_000, lon_e6: 36_820_000 }, { wall: 1_700_000_004_000, counter: 0 });
      b.add('truck.position', { truck: 'T-2', fix_ms: 1_700_000_003_500, lat_e6: 40_000_000, lon_e6: 36_820_000 }, { wall: 1_700_000_004_500, counter: 0 });
      const store = storeOf(a, b);
      const current = reportFor(store, projection);
      expect(current.body.projectionVersion).toBe(now);
      const { settings: _named, ...unnamed } = current.body;
      const old = sealReport({ ...unnamed, projectionVersion: before, outputHash: legacyHash(projection, before, store) }, identity('evidence-a'), crypto, META);
      expect(old.body.outputHash).not.toBe(current.body.outputHash);
      expect(verifyReport(old, crypto, { store })).toMatchObject({ verdict: 'valid', code: 'ok' });
      expect(verifyReport(current, crypto, { store })).toMatchObject({ verdict: 'valid', code: 'ok' });
      const swapped = sealReport({ ...unnamed, projectionVersion: before }, identity('evidence-a'), crypto, META);
      expect(verifyReport(swapped, crypto, { store })).toMatchObject({ verdict: 'invalid', code: 'output_hash_mismatch' });
      const future = sealReport({ ...current.body, projectionVersion: now + 1 }, identity('evidence-a'), crypto, META);
      expect(verifyReport(future, crypto, { store })).toMatchObject({ verdict: 'unverifiable', code: 'projection_version_mismatch' });
    });
  }

  // PROVES: a fleet report is re-derived under the settings it names, not the verifier's: a
  //         report made under a 50 km/h limit verifies, its flags differ from the default
  //         settings' output, and naming other settings in the same body fails; settings this
  //         build does not know make it unverifiable.
  // CATCHES: a verifier that folds under its own settings (two nodes with different settings
  //          would call each other's honest reports invalid).
  it('a_fleet_report_is_re_derived_under_the_settings_it_names', () => {
    const { a, b } = camp();
    // 1.8 km in a minute: 108 km/h, plausible by default, not under a 50 km/h limit.
    b.add('truck.position', { truck: 'T-9', fix_ms: 1_700_000_000_000, lat_e6: -1_290_000, lon_e6: 36_820_000 }, { wall: 1_700_000_000_500, counter: 0 });
    b.add('truck.position', { truck: 'T-9', fix_ms: 1_700_000_060_000, lat_e6: -1_273_800, lon_e6: 36_820_000 }, { wall: 1_700_000_060_500, counter: 0 });
    const store = storeOf(a, b);
    const slow: FleetSettings = { ...DEFAULT_SETTINGS, maxSpeedKmh: 50 };
    const report = reportFor(store, 'fleet', identity('evidence-a'), slow);
    expect(report.body.settings).toEqual({ fleet: expect.objectContaining({ max_speed_kmh: 50 }) });
    expect(report.body.outputHash).not.toBe(reportFor(store, 'fleet').body.outputHash);
    expect(verifyReport(report, crypto, { store })).toMatchObject({ verdict: 'valid', code: 'ok' });
    const renamed = sealReport({ ...report.body, settings: reportSettings('fleet', DEFAULT_SETTINGS) }, identity('evidence-a'), crypto, META);
    expect(verifyReport(renamed, crypto, { store })).toMatchObject({ verdict: 'invalid', code: 'output_hash_mismatch' });
    const unknown = sealReport({ ...report.body, settings: { fleet: { warp_factor: 9 } } }, identity('evidence-a'), crypto, META);
    expect(verifyReport(unknown, crypto, { store })).toMatchObject({ verdict: 'unverifiable', code: 'settings_unknown' });
  });

  it('missing_events_are_listed_exactly_and_the_report_is_unverifiable_not_invalid', () => {
    const { a, b } = camp();
    const report = reportFor(storeOf(a, b), 'records');
    const partial = new MemoryFeedStore(crypto);
    partial.ingest([a.run(1, 1)], 0); // a's first event only; none of b's
    const r = verifyReport(report, crypto, { store: partial });
    expect(r.verdict).toBe('unverifiable');
    expect(r.code).toBe('events_missing');
    expect(r.missing).toEqual(
      [
        { author: a.author, fromSeq: 2, toSeq: 3 },
        { author: b.author, fromSeq: 1, toSeq: 2 },
      ].sort((x, y) => (x.author < y.author ? -1 : 1)),
    );
    expect(r.message).toContain('lacks 4 events');
    expect(r.message).not.toMatch(/invalid/i);
  });

  it('a_store_with_another_history_for_a_feed_says_the_history_differs', () => {
    const { a, b } = camp();
    const report = reportFor(storeOf(a, b), 'records');
    const other = forkOf(a, 3);
    const r = verifyReport(report, crypto, { store: storeOf(other, b) });
    expect(r).toMatchObject({ verdict: 'unverifiable', code: 'history_differs' });
    expect(r.differs).toEqual([{ author: a.author, seq: 3, expected: a.events[2]!.id, found: other.events[2]!.id }]);
    expect(checkReach(storeOf(a, b), report.body.input.vector)).toEqual({ missing: [], differs: [] });
  });
});

describe('checkpoints', () => {
  function saveCheckpoint(store: MemoryFeedStore) {
    const live = LiveState.open(store, crypto);
    store.saveCheckpoint(live.checkpoint(0, crypto), 2);
    return live;
  }

  it('restoring_a_checkpoint_then_folding_the_rest_equals_folding_everything', () => {
    const { a, b } = camp();
    const store = new MemoryFeedStore(crypto);
    store.ingest([a.run(1, 2), b.run(1, 1)], 0);
    saveCheckpoint(store);
    store.ingest([a.run(3, 3), b.run(2, 2)], 0);
    const restored = LiveState.open(store, crypto);
    expect(restored.startedFrom?.events).toBe(3);
    const scratch = createProjections();
    applyAll(scratch, [...a.events, ...b.events]);
    for (const id of ['records', 'fleet', 'conflicts'] as const) {
      expect(outputHash(restored.projections[id].view(), crypto)).toBe(outputHash(scratch[id].view(), crypto));
    }
    expect(restored.heads.coveredFrontier(crypto)).toEqual(LiveState.open(storeOf(a, b), crypto).heads.coveredFrontier(crypto));
  });

  it('replay_uses_a_checkpoint_inside_the_frontier_and_skips_one_beyond_it', () => {
    const { a, b } = camp();
    const early = new MemoryFeedStore(crypto);
    early.ingest([a.run(1, 2), b.run(1, 2)], 0);
    const report = reportFor(early, 'records');
    // A store that checkpointed before the report's frontier: the checkpoint is used.
    const store = new MemoryFeedStore(crypto);
    store.ingest([a.run(1, 1)], 0);
    saveCheckpoint(store);
    store.ingest([a.run(2, 3), b.run(1, 2)], 0);
    const withCp = replayTo(store, 'records', report.body.input.vector, crypto);
    expect(withCp.checkpoint).not.toBeNull();
    expect(withCp.outputHash).toBe(report.body.outputHash);
    // After checkpointing past the frontier, that checkpoint would leak events: it is skipped.
    saveCheckpoint(store);
    const skipped = replayTo(store, 'records', report.body.input.vector, crypto);
    expect(skipped.checkpoint).toBeNull();
    expect(skipped.checkpointSkipped).toMatch(/beyond the report's input/);
    expect(skipped.outputHash).toBe(report.body.outputHash);
  });

  it('a_damaged_checkpoint_is_not_used_and_the_fold_says_why', () => {
    const { a, b } = camp();
    const store = storeOf(a, b);
    const live = LiveState.open(store, crypto);
    const cp = live.checkpoint(0, crypto);
    const state = cp.state.slice();
    state[state.length >> 1] = state[state.length >> 1]! ^ 0xff;
    store.saveCheckpoint({ ...cp, state }, 2);
    const reopened = LiveState.open(store, crypto);
    expect(reopened.startedFrom).toBeNull();
    expect(reopened.checkpointProblem?.code).toBe('checkpoint_damaged');
    expect(outputHash(reopened.projections.records.view(), crypto)).toBe(outputHash(live.projections.records.view(), crypto));
    // A checkpoint from another fold version is never even offered.
    expect(store.latestCheckpoint('snapshot:0')).toBeNull();
    expect(foldVersions(live.projections)).toBe('snapshot:2,records:3,fleet:3[180,100,300000,null,null,true,null,null,null,null,true,null,null,1800000],conflicts:3,alerts:1');
  });
});
