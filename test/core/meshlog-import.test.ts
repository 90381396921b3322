// PROVES: the meshlogd id rule is reproduced byte for byte (Python's json.dumps with sort_keys and
//         compact separators: int/float lexemes kept, repr() floats, ensure_ascii escapes,
//         code-point key order) so every line of a file the prototype wrote checks out; derived
//         imported-author ids sort as meshlogd sorted author names; feeds are reassembled from
//         lines in any order, with duplicates, conflicts, broken chains and gaps reported by
//         line; and values a Mandala event cannot keep exactly are refused, never rounded.
// CATCHES: an id check that rejects good prototype data (or accepts altered data), imported
//          winners that differ from meshlogd's, silent loss of precision.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareCodePoints, PyDict, PyFloat, PyInt, pyDumpsSorted, pyFloatRepr, pyLoads } from '../../src/core/import/py-json';
import { parseMeshlogLine, type MeshlogEvent } from '../../src/core/import/meshlog-line';
import { MeshlogChains } from '../../src/core/import/meshlog-chains';
import { importedAuthorId, isImportedAuthor, orderWarnings } from '../../src/core/import/imported-author';
import { crypto, identity } from '../support/feeds';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'meshlogd');

describe("Python's json, as meshlogd hashed it", () => {
  it('floats_print_as_python_repr', () => {
    // Expected strings are Python 3's repr() of the same doubles.
    const cases: [number, string][] = [
      [1.0, '1.0'], [0.1, '0.1'], [1e16, '1e+16'], [1e15, '1000000000000000.0'], [Number('123456789012345680'), '1.2345678901234568e+17'],
      [1e-4, '0.0001'], [1e-5, '1e-05'], [2.5e-5, '2.5e-05'], [-0, '-0.0'], [5e-324, '5e-324'], [1.7976931348623157e308, '1.7976931348623157e+308'],
      [0.30000000000000004, '0.30000000000000004'], [100, '100.0'], [1e22, '1e+22'], [12345.678, '12345.678'], [-1.5e-7, '-1.5e-07'],
      [Number('9007199254740993'), '9007199254740992.0'], [Number('1234567890123456.7'), '1234567890123456.8'],
    ];
    for (const [x, py] of cases) expect(pyFloatRepr(x), String(x)).toBe(py);
  });

  it('dumps_matches_python_byte_for_byte_including_escapes_and_key_order', () => {
    const d = new PyDict();
    d.entries.set('b', [new PyInt(1n), new PyFloat(2), new PyFloat(-0), new PyFloat(Infinity), new PyFloat(NaN)]);
    d.entries.set('a', 'é\u007f\n"\\\u{1F69A}\u0001');
    d.entries.set('\uff01', new PyInt(1n));
    d.entries.set('\u{1F600}', new PyInt(2n));
    const z = new PyDict();
    z.entries.set('y', null);
    z.entries.set('x', true);
    d.entries.set('z', z);
    // json.dumps(obj, sort_keys=True, separators=(',', ':')) from Python 3:
    expect(pyDumpsSorted(d)).toBe('{"a":"\\u00e9\\u007f\\n\\"\\\\\\ud83d\\ude9a\\u0001","b":[1,2.0,-0.0,Infinity,NaN],"z":{"x":true,"y":null},"\\uff01":1,"\\ud83d\\ude00":2}');
    expect(compareCodePoints('\uff01', '\u{1F600}')).toBeLessThan(0); // UTF-16 order would say the opposite
  });

  it('loads_keeps_int_and_float_lexemes_and_refuses_what_python_refuses', () => {
    const v = pyLoads('{"i": 1, "f": 1.0, "e": 1e5, "big": 123456789012345678901234567890, "neg": -0}') as PyDict;
    expect(pyDumpsSorted(v)).toBe('{"big":123456789012345678901234567890,"e":100000.0,"f":1.0,"i":1,"neg":0}');
    const dup = pyLoads('{"a": 1, "b": 2, "a": 3}') as PyDict;
    expect([...dup.entries.keys()]).toEqual(['a', 'b']);
    expect(pyDumpsSorted(dup)).toBe('{"a":3,"b":2}');
    for (const bad of ['{"a": 1', '{"a": "x\u0001"}', '[1,]', '01', '{"a": 1} x', '"\\q"', "{'a': 1}"]) expect(() => pyLoads(bad), bad).toThrow();
  });
});

describe('meshlogd lines', () => {
  const sound = readFileSync(join(FIXTURES, 'sound.jsonl'), 'utf8').trim().split('\n');

  it('every_line_the_prototype_wrote_passes_its_own_id_rule', () => {
    for (const [i, line] of sound.entries()) {
      const r = parseMeshlogLine(line, crypto);
      expect(r.ok, `line ${i + 1}: ${r.ok ? '' : r.message}`).toBe(true);
    }
  });

  it('an_altered_payload_fails_the_id_check_and_values_that_cannot_be_kept_become_placeholders', () => {
    const d = JSON.parse(sound[0]!);
    d.p.value = 'changed';
    expect(parseMeshlogLine(JSON.stringify(d), crypto)).toMatchObject({ ok: false, code: 'id_mismatch' });
    expect(parseMeshlogLine('{"a": "x"}', crypto)).toMatchObject({ ok: false, code: 'not_an_event' });
    expect(parseMeshlogLine('{"a": "x", "s": 1, "h": [1', crypto)).toMatchObject({ ok: false, code: 'not_json' });
    // A valid meshlogd event whose payload holds an integer beyond 2^53: refused, not rounded.
    const body = '{"author":"x","hlc":[1,0],"kind":"field.set","payload":{"field":"f","record_id":"r","value":1180591620717411303424},"prev":"","seq":1}';
    const id = Buffer.from(crypto.sha256(Buffer.from(body))).toString('hex').slice(0, 32);
    const line = `{"a": "x", "s": 1, "h": [1, 0], "k": "field.set", "p": {"record_id": "r", "field": "f", "value": 1180591620717411303424}, "v": "", "i": "${id}"}`;
    // Genuine, but not representable: a placeholder keeps its place in the feed, and says why.
    expect(parseMeshlogLine(line, crypto)).toMatchObject({ ok: true, event: { seq: 1, payload: null, unrepresentable: { code: 'payload_not_importable', message: expect.stringContaining('too large to keep exactly') } } });
  });
});

describe('imported authors', () => {
  it('derived_ids_sort_as_meshlogd_sorted_the_names_and_are_marked_imported', () => {
    const names = ['base', 'team_a', 'a3f9c2e17b5d4e08a1c2b3d4e5f60718', 'kämp-ñ 🚚', 'Zulu', 'team', 'team_b', '\uff01wide', '\u{1F600}'];
    const byName = [...names].sort(compareCodePoints);
    const byId = [...names].sort((a, b) => (importedAuthorId(a, crypto) < importedAuthorId(b, crypto) ? -1 : 1));
    expect(byId).toEqual(byName);
    for (const n of names) expect(isImportedAuthor(importedAuthorId(n, crypto))).toBe(true);
    expect(isImportedAuthor(identity('a-real-node').author)).toBe(false);
    // Names of up to 30 bytes keep their exact order, whatever they share; a trailing NUL cannot
    // hide in the padding.
    const short = ['field-team-north-alpha-01', 'field-team-north-alpha-02', 'a', 'a\u0000', 'a\u0000b'];
    expect([...short].sort((a, b) => (importedAuthorId(a, crypto) < importedAuthorId(b, crypto) ? -1 : 1))).toEqual([...short].sort(compareCodePoints));
    expect(new Set(short.map((n) => importedAuthorId(n, crypto))).size).toBe(short.length);
    expect(orderWarnings(short, crypto)).toEqual([]);
    // Longer names that share their first 24 bytes get distinct ids, and the import warns that
    // their order may differ from meshlogd's.
    const long = ['field-team-northern-sector-alpha', 'field-team-northern-sector-bravo'];
    expect(importedAuthorId(long[0]!, crypto)).not.toBe(importedAuthorId(long[1]!, crypto));
    expect(orderWarnings(long, crypto)).toEqual([expect.stringContaining('share their first 24 bytes')]);
    expect(orderWarnings(['a3f9c2e17b5d4e08a1c2b3d4e5f60718', 'b3f9c2e17b5d4e08a1c2b3d4e5f60718'], crypto)).toEqual([]);
  });
});

describe('reassembling feeds from lines', () => {
  const ev = (name: string, seq: number, id: string, prev: string): MeshlogEvent => ({ name, seq, hlc: { wall: seq, counter: 0 }, kind: 'note.add', payload: {}, prev, id, unrepresentable: null });

  it('lines_in_any_order_come_out_in_feed_order_and_every_problem_is_reported_by_line', () => {
    const c = new MeshlogChains();
    const taken: string[] = [];
    const offer = (e: MeshlogEvent, line: number) => taken.push(...c.offer(e, line).map((r) => `${r.name}#${r.seq}`));
    offer(ev('a', 2, 'a2', 'a1'), 1); // early: waits
    offer(ev('a', 1, 'a1', ''), 2); // releases a1, a2
    offer(ev('a', 1, 'a1', ''), 3); // repeated line
    offer(ev('a', 2, 'a2x', 'a1'), 4); // a second, different a#2
    offer(ev('b', 1, 'b1', ''), 5);
    offer(ev('b', 2, 'b2', 'nope'), 6); // breaks the chain
    offer(ev('b', 3, 'b3', 'b2'), 7); // behind the break
    offer(ev('a', 4, 'a4', 'a3'), 8); // behind a gap
    c.finish();
    expect(taken).toEqual(['a#1', 'a#2', 'b#1']);
    expect(c.duplicates).toBe(1);
    expect(c.problems.map((p) => [p.line, p.code])).toEqual([
      [4, 'conflicting_event'],
      [6, 'chain_broken'],
      [7, 'unreachable'],
      [8, 'unreachable'],
    ]);
    expect(c.heads()).toEqual([
      { name: 'a', seq: 2, lastId: 'a2' },
      { name: 'b', seq: 1, lastId: 'b1' },
    ]);
  });
});
