// A signed evidence report: the deterministic body, its hash, the node's Ed25519 signature over
// that hash, and metadata outside the hashed identity. The same structure is a report.created
// event's payload and the exported JSON file, so a report replicates like any event and an
// auditor can check a file on a laptop that never met its author.
import type { Value, ValueMap } from '../encoding/canonical';
import { fromHex, hexToBytes, toHex } from '../encoding/bytes';
import type { Hasher, SignatureVerifier, Signer } from '../crypto/ports';
import { domainBytes } from '../feed/head';
import { bodyFromValue, bodyHash, bodyToValue, ReportFormatError, type ReportBody } from './report-body';

export const REPORT_FORMAT = 'mandala.evidence-report/1';

export interface ReportMetadata {
  readonly generatedAtMs: number;
  readonly appVersion: string;
  /** The signing node's display name, when it has one. */
  readonly nodeName: string | null;
  /** Timings and counts from the run: useful, and deliberately not part of the identity. */
  readonly diagnostics: Readonly<Record<string, number | string>>;
}

export interface SignedReport {
  readonly body: ReportBody;
  /** As claimed by the report (verification recomputes it). */
  readonly bodyHash: string;
  /** Public key of the signing node, hex. */
  readonly signer: string;
  readonly signature: string;
  readonly metadata: ReportMetadata;
}

export function reportSigningBytes(hash: string): Uint8Array {
  return domainBytes('evidence-report/v1', hexToBytes(hash));
}

export function sealReport(body: ReportBody, signer: Signer, hasher: Hasher, metadata: ReportMetadata): SignedReport {
  const hash = bodyHash(body, hasher);
  return { body, bodyHash: hash, signer: toHex(signer.publicKey), signature: toHex(signer.sign(reportSigningBytes(hash))), metadata };
}

export type SealCheck =
  | { readonly ok: true; readonly bodyHash: string }
  | { readonly ok: false; readonly code: 'body_hash_mismatch' | 'signature_invalid'; readonly message: string };

/** Checks the body hash and the signature: everything that needs no events. */
export function checkSeal(r: SignedReport, crypto: Hasher & SignatureVerifier): SealCheck {
  const actual = bodyHash(r.body, crypto);
  if (actual !== r.bodyHash) {
    return { ok: false, code: 'body_hash_mismatch', message: `the body hashes to ${actual.slice(0, 16)}…, not the ${r.bodyHash.slice(0, 16)}… the report claims: the body was changed after it was signed` };
  }
  const key = fromHex(r.signer);
  const sig = fromHex(r.signature);
  if (!key || key.length !== 32 || !sig || sig.length !== 64 || !crypto.verify(key, reportSigningBytes(r.bodyHash), sig)) {
    return { ok: false, code: 'signature_invalid', message: `the signature does not verify against signer ${r.signer.slice(0, 16)}…: the report was not signed by that node, or its hash or signature was altered` };
  }
  return { ok: true, bodyHash: actual };
}

export function reportToValue(r: SignedReport): Value {
  return {
    format: REPORT_FORMAT,
    body: bodyToValue(r.body),
    body_hash: r.bodyHash,
    signer: r.signer,
    signature: r.signature,
    metadata: {
      generated_at_ms: r.metadata.generatedAtMs,
      app_version: r.metadata.appVersion,
      node_name: r.metadata.nodeName,
      diagnostics: { ...r.metadata.diagnostics },
    },
  };
}

function isMap(v: unknown): v is ValueMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

const HEX = /^[0-9a-f]+$/;

/** Parses a report from an event payload or a parsed JSON file. Throws ReportFormatError. */
export function reportFromValue(v: unknown): SignedReport {
  if (!isMap(v)) throw new ReportFormatError('a report is a JSON object');
  if (v['format'] !== REPORT_FORMAT) throw new ReportFormatError(`format must be "${REPORT_FORMAT}"`);
  const body = bodyFromValue(v['body']);
  const text = (k: string, n: number): string => {
    const s = v[k];
    if (typeof s !== 'string' || s.length !== n || !HEX.test(s)) throw new ReportFormatError(`${k} must be ${n} hex digits`);
    return s;
  };
  const m = isMap(v['metadata']) ? v['metadata'] : {};
  const diagnostics: Record<string, number | string> = {};
  if (isMap(m['diagnostics'])) {
    for (const [k, x] of Object.entries(m['diagnostics'])) if (typeof x === 'number' || typeof x === 'string') diagnostics[k] = x;
  }
  return {
    body,
    bodyHash: text('body_hash', 64),
    signer: text('signer', 64),
    signature: text('signature', 128),
    metadata: {
      generatedAtMs: typeof m['generated_at_ms'] === 'number' ? m['generated_at_ms'] : 0,
      appVersion: typeof m['app_version'] === 'string' ? m['app_version'] : 'unknown',
      nodeName: typeof m['node_name'] === 'string' ? m['node_name'] : null,
      diagnostics,
    },
  };
}
