// Saving a report as the JSON file auditors pass around: the exact JSON the node exported
// (re-serialized with indentation, which does not change what it hashes to: the hash is over
// the canonical body, not these bytes).
import type { JsonValue } from '../../../../shared/api';
import { downloadText } from '../../lib/download';

export function reportFileName(projection: string, bodyHash: string): string {
  const safe = projection.replace(/[^a-z0-9_-]/gi, '_') || 'report';
  return `mandala-report-${safe}-${bodyHash.slice(0, 8) || 'unhashed'}.json`;
}

export function downloadReport(report: JsonValue, projection: string, bodyHash: string): void {
  downloadText(`${JSON.stringify(report, null, 2)}\n`, reportFileName(projection, bodyHash), 'application/json');
}
