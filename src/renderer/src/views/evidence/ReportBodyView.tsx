// A report's contents in human terms, in three parts: the signed body (what the run claims), the
// seal (the hash and the signature over it), and the metadata, which sits outside the hash and is
// labelled as not signed.
import type { ReactNode } from 'react';
import { AuthorName } from '../../components/AuthorName';
import { formatClockTime, formatCount } from '../../lib/format';
import { authorLabel, type AuthorNames } from '../../store/names-store';
import type { ReportView } from './report-json';
import { cacheWords, observedWords, replayWords, requestedWords, type Worded } from './report-words';

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  );
}

function Words({ w }: { w: Worded }) {
  return (
    <>
      <span className={`badge badge-${w.tone === 'plain' ? 'plain' : w.tone}`}>{w.short}</span> <span className="fact-note">{w.long.replace(/^[^:]*:\s*/, '')}</span>
    </>
  );
}

export function Hash({ value, length = 16 }: { value: string | null; length?: number }) {
  if (!value) return <span className="muted">none</span>;
  return (
    <code className="hash" title={value}>
      {value.length > length ? `${value.slice(0, length)}…` : value}
    </code>
  );
}

function FrontierTable({ report, names }: { report: ReportView; names: AuthorNames | null }) {
  if (report.frontier.length === 0) return <p className="inline-empty">The input held no events.</p>;
  return (
    <table className="data-table compact-table frontier-vector" data-testid="report-frontier">
      <thead>
        <tr>
          <th scope="col">Author</th>
          <th scope="col" className="num">
            Up to seq
          </th>
          <th scope="col">Head event</th>
        </tr>
      </thead>
      <tbody>
        {report.frontier.map((e) => (
          <tr key={e.author} data-testid="frontier-entry" data-author={e.author} data-seq={e.seq}>
            <td>
              <AuthorName names={names} author={e.author} />
            </td>
            <td className="num">{formatCount(e.seq)}</td>
            <td>
              <Hash value={e.head} length={12} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ReportBodyView({ report, names, nowMs }: { report: ReportView; names: AuthorNames | null; nowMs: number }) {
  return (
    <>
      <section className="report-section">
        <h3>
          Signed body <span className="muted section-note">everything here is covered by the body hash</span>
        </h3>
        <dl className="facts">
          <Fact label="Projection">
            <strong>{report.projection}</strong> <span className="muted">version {report.projectionVersion ?? '?'} · report schema {report.schemaVersion ?? '?'}</span>
          </Fact>
          <Fact label="Reads">
            {report.sourceRefs.length > 0 ? report.sourceRefs.map((k) => <code key={k} className="source-ref">{k}</code>) : <span className="muted">no event kinds</span>}
          </Fact>
          <Fact label="Requested" testId="report-requested">
            <Words w={requestedWords(report.requested)} />
          </Fact>
          <Fact label="Observed" testId="report-observed">
            <Words w={observedWords(report.observed)} />
          </Fact>
          <Fact label="Cache">
            <Words w={cacheWords(report.cache)} />
          </Fact>
          <Fact label="Replay mode">{replayWords(report.replayMode)}</Fact>
          <Fact label="Checkpoint">
            {report.checkpoint ? (
              <>
                state <Hash value={report.checkpoint.stateHash} /> after {formatCount(report.checkpoint.events)} events
              </>
            ) : (
              <span className="muted">none (not restored from a checkpoint)</span>
            )}
          </Fact>
          <Fact label="Output hash" testId="report-output-hash">
            {report.outputHash ? <Hash value={report.outputHash} length={24} /> : <span className="tone-bad">none: the run failed</span>}
          </Fact>
        </dl>
      </section>

      <section className="report-section">
        <h3>
          Input frontier <span className="panel-count">{formatCount(report.frontier.length)}</span>
          <span className="muted section-note">the events the output was computed from: every author up to these seqs</span>
        </h3>
        <FrontierTable report={report} names={names} />
        <dl className="facts">
          <Fact label="Digest">
            <Hash value={report.digest} length={24} />
          </Fact>
          <Fact label="HLC high-water">
            {report.hlcHigh ? (
              <>
                {formatClockTime(report.hlcHigh[0], nowMs)} <span className="muted">· counter {report.hlcHigh[1]} (the latest event time in the input)</span>
              </>
            ) : (
              <span className="muted">none</span>
            )}
          </Fact>
        </dl>
      </section>

      <section className="report-section">
        <h3>
          Findings <span className="panel-count">{formatCount(report.findings.length)}</span>
        </h3>
        {report.findings.length === 0 ? (
          <p className="inline-empty">No findings: the run met nothing it could not fold.</p>
        ) : (
          <ul className="findings-list">
            {report.findings.map((f, i) => (
              <li key={`${f.code}:${i}`}>
                <code className="finding-code">{f.code}</code> {f.message}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="report-section">
        <h3>Seal</h3>
        <dl className="facts">
          <Fact label="Body hash" testId="report-body-hash">
            <code className="hash hash-full">{report.bodyHash}</code>
          </Fact>
          <Fact label="Signer">
            <strong>{authorLabel(names, report.signer)}</strong> <Hash value={report.signer} />
          </Fact>
          <Fact label="Signature">
            <Hash value={report.signature} length={24} /> <span className="muted">Ed25519 over the body hash</span>
          </Fact>
        </dl>
      </section>

      <section className="report-section report-metadata" data-testid="report-metadata">
        <h3>
          Metadata <span className="badge badge-warn">not signed</span>
        </h3>
        <p className="section-explain">Outside the hashed body: it can be changed without breaking the signature, so it is context, not evidence.</p>
        <dl className="facts">
          <Fact label="Generated">{report.metadata.generatedAtMs ? formatClockTime(report.metadata.generatedAtMs, nowMs) : '—'}</Fact>
          <Fact label="Node name">{report.metadata.nodeName ?? '—'}</Fact>
          <Fact label="App version">{report.metadata.appVersion ?? '—'}</Fact>
          {report.metadata.diagnostics.map(([k, v]) => (
            <Fact key={k} label={k.replaceAll('_', ' ')}>
              {v}
            </Fact>
          ))}
        </dl>
      </section>
    </>
  );
}
