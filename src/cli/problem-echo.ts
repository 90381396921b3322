// `serve` runs unattended in a terminal as often as behind a console: every problem the node
// raises is printed there too, when it first appears and when its sentence changes, at most once
// a minute per code (a flood of bad GPS lines or peers is one line a minute, not thousands).
import type { ProblemLog } from '../node/problems/problem-log';

const QUIET_MS = 60_000;

export function echoProblems(problems: ProblemLog, print: (line: string) => void): () => void {
  const shown = new Map<string, { message: string; atMs: number }>();
  const show = () => {
    for (const p of problems.list()) {
      const prev = shown.get(p.code);
      if (prev && (prev.message === p.message || p.atMs - prev.atMs < QUIET_MS)) continue;
      shown.set(p.code, { message: p.message, atMs: p.atMs });
      print(`warning: ${p.message} [${p.code}]`);
    }
    // A problem that cleared is printed again if it comes back.
    for (const code of [...shown.keys()]) if (!problems.list().some((p) => p.code === code)) shown.delete(code);
  };
  show();
  return problems.events.on('changed', show);
}
