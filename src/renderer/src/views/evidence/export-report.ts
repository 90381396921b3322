// Saving a report as the JSON file auditors pass around: the exact JSON the node exported
// (re-serialized with indentation, which does not change what it hashes to: the hash is over
// the canonical body, not these bytes). A Blob and a download link keep it on this machine.
import type { JsonValue } from '../../../../shared/api';

export function reportFileName(projection: string, bodyHash: string): string {
  const safe = projection.replace(/[^a-z0-9_-]/gi, '_') || 'report';
  return `mandala-report-${safe}-${bodyHash.slice(0, 8) || 'unhashed'}.json`;
}

export function downloadReport(report: JsonValue, projection: string, bodyHash: string): void {
  const blob = new Blob([`${JSON.stringify(report, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = reportFileName(projection, bodyHash);
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked after the browser has taken the file.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
