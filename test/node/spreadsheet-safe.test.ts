// PROVES: CSV exports never hand a spreadsheet a formula: a truck id, record or field that starts
//         with = + - @ (or a tab) is written as text (a leading apostrophe), while negative
//         coordinates stay numbers and ordinary ids stay as they are.
// CATCHES: CSV injection, where a truck id typed as "=HYPERLINK(...)" runs in an auditor's
//          spreadsheet; a defence so broad it turns -1.5 into text.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { applyAll, createProjections } from '../../src/core/projections/set';
import { csvEncoder } from '../../src/node/export/csv';
import { textCell } from '../../src/node/export/spreadsheet-safe';
import { trackChunks } from '../../src/node/export/track-export';
import { FeedBuilder } from '../support/feeds';

const FORMULA = '=HYPERLINK("http://example.invalid","open")';

describe('CSV cells a spreadsheet will not run', () => {
  it('text_that_starts_a_formula_gets_an_apostrophe_and_nothing_else_does', () => {
    for (const s of ['=1+1', '+1', '-2', '@SUM(A1)', '\t=1', '\r=1']) expect(textCell(s)).toBe(`'${s}`);
    for (const s of ['KBT 377M', 'T-0001', '', "'=already text", 'a=b']) expect(textCell(s)).toBe(s);
  });

  it('a_formula_truck_id_exports_as_text_and_coordinates_stay_numbers', () => {
    const kit = new FeedBuilder('kit-csv-safe');
    const t0 = 1_780_000_000_000;
    kit.add('truck.position', { truck: FORMULA, fix_ms: t0, lat_e6: -1_500_000, lon_e6: -36_000_000 }, { wall: t0 + 500, counter: 0 });
    kit.add('truck.position', { truck: 'KBT 377M', fix_ms: t0, lat_e6: -1_400_000, lon_e6: 36_000_000 }, { wall: t0 + 600, counter: 0 });
    const set = createProjections();
    applyAll(set, kit.events);
    const r = trackChunks(set.fleet, { trucks: null, fromMs: null, toMs: null }, csvEncoder, () => undefined);
    const rows = parse([...r.chunks].join(''), { columns: true }) as Record<string, string>[];
    expect(rows.map((row) => row['truck']).sort()).toEqual([`'${FORMULA}`, 'KBT 377M']);
    const formulaRow = rows.find((row) => row['truck'] === `'${FORMULA}`)!;
    expect([formulaRow['lat'], formulaRow['lon']]).toEqual(['-1.5', '-36']);
  });
});
