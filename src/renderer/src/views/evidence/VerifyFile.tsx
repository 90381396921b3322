// "Verify a file": an auditor picks a report JSON from this machine (mailed, copied from a USB
// stick, exported elsewhere) and this node checks it against its own events. The file is read
// here and sent to the node as parsed JSON; nothing leaves the machine.
import type { ApiErrorDto, JsonValue, VerifyResultDto } from '../../../../shared/api';
import { Icon } from '../../components/Icon';
import { describeError } from '../../lib/errors';
import { useSession } from '../../store/session-context';
import { readReport, type ReportView } from './report-json';

/** Report files are a few kilobytes per feed; anything far bigger is not one. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

export interface FileCheck {
  readonly fileName: string;
  readonly pending: boolean;
  readonly result: VerifyResultDto | null;
  readonly error: ApiErrorDto | null;
  /** What the file claims, when it reads as a report at all. */
  readonly report: ReportView | null;
}

export function VerifyFileButton({ onCheck }: { onCheck: (check: FileCheck) => void }) {
  const session = useSession();

  const check = async (file: File) => {
    const base = { fileName: file.name, result: null, report: null };
    if (file.size > MAX_FILE_BYTES) {
      onCheck({ ...base, pending: false, error: { code: 'file_too_large', message: `${file.name} is ${Math.round(file.size / 1048576)} MB; an evidence report is far smaller` } });
      return;
    }
    let parsed: JsonValue;
    try {
      parsed = JSON.parse(await file.text()) as JsonValue;
    } catch (failure) {
      onCheck({ ...base, pending: false, error: { code: 'malformed_report', message: `${file.name} is not JSON (${describeError(failure).message}); a report file is the JSON that \`mandala report --out\` or the console's Export writes` } });
      return;
    }
    const report = readReport(parsed);
    onCheck({ ...base, report, pending: true, error: null });
    try {
      const result = await session.bridge.call('reports.verify', { report: parsed });
      onCheck({ ...base, report, pending: false, result, error: null });
    } catch (failure) {
      onCheck({ ...base, report, pending: false, error: describeError(failure) });
    }
  };

  return (
    <label className="button file-button" title="Check a report file against this node's events">
      <Icon name="upload" size={14} /> Verify a file…
      <input
        type="file"
        accept=".json,application/json"
        className="visually-hidden"
        data-testid="verify-file-input"
        onChange={(event) => {
          const file = event.target.files?.[0];
          // Cleared so choosing the same file again (after editing it) checks it again.
          event.target.value = '';
          if (file) void check(file);
        }}
      />
    </label>
  );
}
