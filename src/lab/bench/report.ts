// Benchmark results: one row per measured figure, each with the baseline it is compared to
// (measured in the same run, on the same machine) and the ratio. Printed as a table and written
// as JSON.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, platform, arch } from 'node:os';
import { dirname } from 'node:path';

export interface BenchRow {
  readonly section: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: { readonly label: string; readonly value: number; readonly unit: string };
  /** value / baseline (for rates: higher is better; for times: lower is better). */
  readonly ratio?: number;
  readonly note?: string;
}

export interface BenchReport {
  readonly startedAt: string;
  readonly machine: { node: string; platform: string; arch: string; cores: number; cpu: string };
  readonly scale: number;
  readonly rows: BenchRow[];
}

export function newReport(startedAt: string, scale: number): BenchReport {
  return {
    startedAt,
    machine: { node: process.version, platform: platform(), arch: arch(), cores: cpus().length, cpu: cpus()[0]?.model ?? '?' },
    scale,
    rows: [],
  };
}

function fmt(n: number): string {
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

export function renderTable(report: BenchReport): string {
  const header = ['section', 'metric', 'value', 'baseline (same run)', 'ratio'];
  const rows = report.rows.map((r) => [
    r.section,
    r.metric,
    `${fmt(r.value)} ${r.unit}`,
    r.baseline ? `${r.baseline.label}: ${fmt(r.baseline.value)} ${r.baseline.unit}` : '',
    r.ratio !== undefined ? `${r.ratio < 0.1 ? r.ratio.toPrecision(2) : r.ratio.toFixed(r.ratio < 10 ? 2 : 1)}x` : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  const sep = '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|';
  const m = report.machine;
  const notes = report.rows.filter((r) => r.note).map((r) => `- ${r.section}/${r.metric}: ${r.note}`);
  return [
    `Mandala bench, ${report.startedAt}, node ${m.node} ${m.platform}/${m.arch}, ${m.cores} cores (${m.cpu}), scale ${report.scale}`,
    '',
    line(header),
    sep,
    ...rows.map(line),
    ...(notes.length ? ['', ...notes] : []),
  ].join('\n');
}

export function writeJson(report: BenchReport, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(report, null, 2) + '\n');
}
