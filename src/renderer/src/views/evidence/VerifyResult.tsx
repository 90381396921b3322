// The answer to "can this report be trusted?": valid, INVALID (with the precise reason), or
// cannot verify here. "Cannot verify" is never shown as invalid: lacking the events says nothing
// about the report's honesty, so it lists exactly which events this node would need.
import type { VerifyResultDto } from '../../../../shared/api';
import { AuthorName } from '../../components/AuthorName';
import { formatCount, formatDuration, plural } from '../../lib/format';
import { authorLabel, type AuthorNames } from '../../store/names-store';

const VERDICT = {
  valid: { title: 'VALID', tone: 'ok' },
  invalid: { title: 'INVALID', tone: 'bad' },
  unverifiable: { title: 'CANNOT VERIFY HERE', tone: 'warn' },
} as const;

const CHECK_LABEL = { bodyHash: 'Body hash', signature: 'Signature', output: 'Output re-derived' } as const;

function CheckChip({ label, state }: { label: string; state: string }) {
  const tone = state === 'ok' ? 'chip-ok' : state === 'failed' ? 'chip-bad' : state === 'unverifiable' ? 'chip-warn' : '';
  return (
    <span className={`chip ${tone}`}>
      {label}: <strong>{state.replaceAll('_', ' ')}</strong>
    </span>
  );
}

export function VerifyResult({ result, names }: { result: VerifyResultDto; names: AuthorNames | null }) {
  const verdict = VERDICT[result.verdict];
  return (
    <div className={`verify-result verify-${verdict.tone}`} data-testid="verify-result" data-verdict={result.verdict} data-code={result.code} role="status">
      <div className="verify-head">
        <span className="verify-verdict">{verdict.title}</span>
        {result.code === 'ok' ? null : <code className="verify-code">{result.code}</code>}
        <span className="muted verify-took">checked in {formatDuration(result.tookMs)}</span>
      </div>
      <p className="verify-message">{result.message}</p>
      <div className="verify-checks">
        {(Object.keys(CHECK_LABEL) as (keyof typeof CHECK_LABEL)[]).map((k) => (
          <CheckChip key={k} label={CHECK_LABEL[k]} state={result.checks[k]} />
        ))}
      </div>
      {result.missing.length > 0 ? (
        <div className="verify-list" data-testid="verify-missing">
          <div className="verify-list-title">Events this node lacks</div>
          <table className="data-table compact-table">
            <thead>
              <tr>
                <th scope="col">Author</th>
                <th scope="col">Seqs</th>
                <th scope="col" className="num">
                  Events
                </th>
              </tr>
            </thead>
            <tbody>
              {result.missing.map((m) => (
                <tr key={`${m.author}:${m.fromSeq}`} data-testid="missing-range">
                  <td>
                    <AuthorName names={names} author={m.author} />
                  </td>
                  <td>{m.fromSeq === m.toSeq ? `#${m.fromSeq}` : `#${m.fromSeq} – #${m.toSeq}`}</td>
                  <td className="num">{formatCount(m.toSeq - m.fromSeq + 1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {result.differs.length > 0 ? (
        <div className="verify-list">
          <div className="verify-list-title">Feeds whose history here differs from the report's</div>
          <ul className="plain-list">
            {result.differs.map((d) => (
              <li key={`${d.author}:${d.seq}`}>
                {authorLabel(names, d.author)} #{d.seq}: the report names head <code>{d.expected.slice(0, 12)}</code>, this node holds <code>{d.found.slice(0, 12)}</code>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {result.replayedEvents !== null ? (
        <p className="muted verify-replay">
          Replayed {plural(result.replayedEvents, 'event')} to the report&apos;s input frontier
          {result.replayedOutputHash ? (
            <>
              {' '}
              → output <code>{result.replayedOutputHash.slice(0, 16)}…</code>
            </>
          ) : null}
        </p>
      ) : null}
    </div>
  );
}

