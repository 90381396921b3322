// What changed between two reports: per author, how far each report's input reached (added,
// removed, advanced, went back, or the same seq with a different head, which means the histories
// differ), and whether the identity-bearing parts agree. Pure, so the view only lays it out.
import type { ReportView } from './report-json';
import { cacheWords, observedWords, replayWords, requestedWords } from './report-words';

export type FrontierChange = 'same' | 'advanced' | 'went_back' | 'added' | 'removed' | 'head_differs';

export interface FrontierRow {
  readonly author: string;
  readonly a: { readonly seq: number; readonly head: string } | null;
  readonly b: { readonly seq: number; readonly head: string } | null;
  readonly change: FrontierChange;
}

export interface FactRow {
  readonly label: string;
  readonly a: string;
  readonly b: string;
  readonly same: boolean;
  /** Hashes are compared whole but shown shortened. */
  readonly hash: boolean;
}

export interface ReportComparison {
  readonly frontier: readonly FrontierRow[];
  readonly facts: readonly FactRow[];
  readonly sameOutput: boolean;
  readonly sameInput: boolean;
}

function frontierChange(a: FrontierRow['a'], b: FrontierRow['b']): FrontierChange {
  if (!a) return 'added';
  if (!b) return 'removed';
  if (b.seq > a.seq) return 'advanced';
  if (b.seq < a.seq) return 'went_back';
  return a.head === b.head ? 'same' : 'head_differs';
}

/** `timeText` prints an HLC wall time (the view's clock format). */
export function compareReports(a: ReportView, b: ReportView, timeText: (ms: number) => string): ReportComparison {
  const authors = [...new Set([...a.frontier, ...b.frontier].map((e) => e.author))].sort();
  const pick = (r: ReportView, author: string) => {
    const e = r.frontier.find((x) => x.author === author);
    return e ? { seq: e.seq, head: e.head } : null;
  };
  const frontier = authors.map((author) => {
    const [ea, eb] = [pick(a, author), pick(b, author)];
    return { author, a: ea, b: eb, change: frontierChange(ea, eb) };
  });
  const fact = (label: string, x: string, y: string, hash = false): FactRow => ({ label, a: x, b: y, same: x === y, hash });
  const hlcKey = (r: ReportView) => (r.hlcHigh ? `${r.hlcHigh[0]}.${r.hlcHigh[1]}` : 'none');
  const hlcText = (r: ReportView) => (r.hlcHigh ? `${timeText(r.hlcHigh[0])} · counter ${r.hlcHigh[1]}` : 'none');
  const facts = [
    fact('Projection', `${a.projection} v${a.projectionVersion ?? '?'}`, `${b.projection} v${b.projectionVersion ?? '?'}`),
    fact('Output hash', a.outputHash ?? 'none (failed run)', b.outputHash ?? 'none (failed run)', true),
    fact('Frontier digest', a.digest, b.digest, true),
    { ...fact('HLC high-water', hlcText(a), hlcText(b)), same: hlcKey(a) === hlcKey(b) },
    fact('Requested', requestedWords(a.requested).short, requestedWords(b.requested).short),
    fact('Observed', observedWords(a.observed).short, observedWords(b.observed).short),
    fact('Cache', cacheWords(a.cache).short, cacheWords(b.cache).short),
    fact('Replay', replayWords(a.replayMode), replayWords(b.replayMode)),
    fact('Findings', a.findings.map((f) => f.code).join(', ') || 'none', b.findings.map((f) => f.code).join(', ') || 'none'),
    fact('Body hash', a.bodyHash, b.bodyHash, true),
  ];
  return {
    frontier,
    facts,
    sameOutput: a.outputHash !== null && a.outputHash === b.outputHash,
    sameInput: a.digest === b.digest,
  };
}
