// Reading an exported evidence report (the JSON the node hands out, or a file someone chose) into
// the shape the Evidence view displays. Defensive: a file from anywhere may be missing parts, and
// the view must show what is there rather than crash. Checking it is the node's job
// (reports.verify), never this module's.
import type { JsonValue } from '../../../../shared/api';

export interface KindValue {
  readonly kind: string;
  readonly maxStaleMs: number | null;
  readonly reason: string | null;
}

export interface FrontierEntry {
  readonly author: string;
  readonly seq: number;
  readonly head: string;
}

export interface ReportView {
  readonly format: string;
  readonly schemaVersion: number | null;
  readonly projection: string;
  readonly projectionVersion: number | null;
  readonly sourceRefs: readonly string[];
  readonly replayMode: string;
  readonly requested: KindValue;
  readonly observed: KindValue;
  readonly cache: KindValue;
  readonly frontier: readonly FrontierEntry[];
  readonly digest: string;
  /** [wall ms, counter], or null when the input held no events. */
  readonly hlcHigh: readonly [number, number] | null;
  readonly outputHash: string | null;
  readonly checkpoint: { readonly stateHash: string; readonly events: number } | null;
  readonly findings: readonly { readonly code: string; readonly message: string }[];
  readonly bodyHash: string;
  readonly signer: string;
  readonly signature: string;
  readonly metadata: {
    readonly generatedAtMs: number | null;
    readonly appVersion: string | null;
    readonly nodeName: string | null;
    readonly diagnostics: readonly (readonly [string, string])[];
  };
}

type JsonMap = { readonly [key: string]: JsonValue };

const asMap = (v: JsonValue | undefined): JsonMap | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v : null);
const asList = (v: JsonValue | undefined): readonly JsonValue[] => (Array.isArray(v) ? v : []);
const asText = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : '');
const asNumber = (v: JsonValue | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function kindValue(v: JsonValue | undefined): KindValue {
  const m = asMap(v);
  return { kind: asText(m?.['kind']) || 'unknown', maxStaleMs: asNumber(m?.['max_stale_ms']), reason: m && typeof m['reason'] === 'string' ? m['reason'] : null };
}

/** The report's parts, or null when this is not a report at all (no body object). */
export function readReport(value: JsonValue | null | undefined): ReportView | null {
  const root = asMap(value ?? undefined);
  const body = asMap(root?.['body']);
  if (!root || !body) return null;
  const input = asMap(body['input_frontier']);
  const hlc = asList(input?.['hlc_high']);
  const checkpoint = asMap(body['checkpoint_ref']);
  const meta = asMap(root['metadata']);
  const diagnostics = asMap(meta?.['diagnostics']);
  return {
    format: asText(root['format']),
    schemaVersion: asNumber(body['schema_version']),
    projection: asText(body['projection']) || 'unknown',
    projectionVersion: asNumber(body['projection_version']),
    sourceRefs: asList(body['source_refs']).map((s) => asText(s)),
    replayMode: asText(body['replay_mode']),
    requested: kindValue(body['requested_freshness']),
    observed: kindValue(body['observed_freshness']),
    cache: kindValue(body['cache_status']),
    frontier: asList(input?.['vector']).map((item) => {
      const [author, seq, head] = asList(item);
      return { author: asText(author), seq: asNumber(seq) ?? 0, head: asText(head) };
    }),
    digest: asText(input?.['digest']),
    hlcHigh: hlc.length === 2 && asNumber(hlc[0]) !== null ? [asNumber(hlc[0])!, asNumber(hlc[1]) ?? 0] : null,
    outputHash: typeof body['output_hash'] === 'string' ? body['output_hash'] : null,
    checkpoint: checkpoint ? { stateHash: asText(checkpoint['state_hash']), events: asNumber(checkpoint['events']) ?? 0 } : null,
    findings: asList(body['findings']).map((f) => ({ code: asText(asMap(f)?.['code']), message: asText(asMap(f)?.['message']) })),
    bodyHash: asText(root['body_hash']),
    signer: asText(root['signer']),
    signature: asText(root['signature']),
    metadata: {
      generatedAtMs: asNumber(meta?.['generated_at_ms']),
      appVersion: typeof meta?.['app_version'] === 'string' ? meta['app_version'] : null,
      nodeName: typeof meta?.['node_name'] === 'string' ? meta['node_name'] : null,
      diagnostics: Object.entries(diagnostics ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)] as const),
    },
  };
}
