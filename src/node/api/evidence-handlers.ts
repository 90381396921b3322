// Console API for the audit side: the events behind a timeline entry, and evidence reports
// (make, list, fetch, verify). Arguments come from the network and are checked here.
import { isImportedAuthor } from '../../core/import/imported-author';
import { reportFromValue, reportToValue } from '../../core/evidence/report';
import { ReportFormatError } from '../../core/evidence/report-body';
import type { VerifyResult } from '../../core/evidence/verify';
import type { ApiHandlers, EventDto, JsonValue, ReportRefDto, VerifyResultDto } from '../../shared/api';
import { parseRequested, reportSummary, type StoredReport } from '../evidence/evidence-service';
import { isMandalaError } from '../errors';
import type { NodeApi } from './node-api';
import { toJson } from './dto';

type EvidenceHandlers = Pick<ApiHandlers, 'events.get' | 'reports.list' | 'reports.get' | 'reports.create' | 'reports.verify'>;

const MAX_REFS = 200;
const HEX64 = /^[0-9a-f]{64}$/;

function ref(args: unknown, fail: (m: string) => never): ReportRefDto {
  const a = args as Record<string, unknown> | null;
  const author = a?.['author'];
  const seq = a?.['seq'];
  if (typeof author !== 'string' || !HEX64.test(author)) fail('author must be 64 hex digits');
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) fail('seq must be a whole number >= 1');
  return { author, seq };
}

export function verifyDto(r: VerifyResult, tookMs: number): VerifyResultDto {
  return {
    verdict: r.verdict,
    code: r.code,
    message: r.message,
    checks: { ...r.checks },
    missing: (r.missing ?? []).map((m) => ({ author: m.author, fromSeq: m.fromSeq, toSeq: m.toSeq })),
    differs: (r.differs ?? []).map((d) => ({ ...d })),
    replayedOutputHash: r.replayedOutputHash ?? null,
    replayedEvents: r.replayedEvents ?? null,
    tookMs,
  };
}

export function createEvidenceHandlers(node: NodeApi, fail: (code: string, m: string) => never): EvidenceHandlers {
  const bad = (m: string): never => fail('bad_request', m);
  const rethrow = (e: unknown): never => {
    if (isMandalaError(e)) fail(e.code, e.message);
    throw e;
  };
  const guarded = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      return rethrow(e);
    }
  };
  const guardedAsync = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      return rethrow(e);
    }
  };
  const exported = (s: StoredReport) => toJson(reportToValue(s.report));
  return {
    'events.get': (args) => {
      const refs = (args as { refs?: unknown } | null)?.refs;
      if (!Array.isArray(refs) || refs.length > MAX_REFS) bad(`refs must be a list of at most ${MAX_REFS} [author, seq] pairs`);
      const out: EventDto[] = [];
      for (const r of refs as unknown[]) {
        if (!Array.isArray(r) || r.length !== 2) bad('each ref is [author, seq]');
        const { author, seq } = ref({ author: (r as unknown[])[0], seq: (r as unknown[])[1] }, bad);
        const ev = node.log.readRange(author, seq, seq)[0];
        if (!ev) continue;
        out.push({
          author,
          seq,
          id: ev.id,
          kind: ev.kind,
          hlcWall: ev.hlc.wall,
          hlcCounter: ev.hlc.counter,
          payload: toJson(ev.payload),
          signedHere: ev.sig !== null,
          imported: isImportedAuthor(author),
          vouchedBy: isImportedAuthor(author) ? [...new Set(node.attestationsOf(author).filter((a) => a.seq >= seq).map((a) => a.attester))].sort() : [],
        });
      }
      return out;
    },
    'reports.list': () => guarded(() => node.evidence.list().reports.map((s) => reportSummary(s, node.self))),
    'reports.get': (args) =>
      guarded(() => {
        const { author, seq } = ref(args, bad);
        const s = node.evidence.get(author, seq);
        return { summary: reportSummary(s, node.self), report: exported(s) };
      }),
    'reports.create': (args) =>
      guardedAsync(async () => {
        const a = args as { projection?: unknown; maxStaleMs?: unknown } | null;
        if (typeof a?.projection !== 'string') bad('projection must be records, fleet or conflicts');
        if (a!.maxStaleMs !== undefined && typeof a!.maxStaleMs !== 'number') bad('maxStaleMs must be a number of milliseconds');
        const requested = parseRequested(a!.maxStaleMs as number | undefined);
        const made = await node.jobs.run('report', `making a signed report of ${String(a!.projection)}`, () => node.evidence.create(a!.projection as string, requested));
        const stored = made.stored ?? { author: node.self, seq: 0, eventId: '', report: made.report };
        return { summary: reportSummary(stored, node.self), report: exported(stored), stored: made.stored !== null, message: made.message };
      }),
    'reports.verify': (args) =>
      guardedAsync(async () => {
        const started = node.nowMs();
        const a = args as { report?: JsonValue } | null;
        let report;
        if (a && 'report' in a) {
          try {
            report = reportFromValue(a.report);
          } catch (e) {
            if (!(e instanceof ReportFormatError)) throw e;
            return verifyDto({ verdict: 'invalid', code: 'malformed_report', message: `this is not a well-formed evidence report: ${e.message}`, checks: { bodyHash: 'not_checked', signature: 'not_checked', output: 'not_checked' } }, 0);
          }
        } else {
          const { author, seq } = ref(args, bad);
          report = node.evidence.get(author, seq).report;
        }
        const result = await node.evidence.verify(report);
        return verifyDto(result, Math.round(node.nowMs() - started));
      }),
  };
}
