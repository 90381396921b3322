// Ingest health: how fast positions come in and from where, how many deliveries were told to retry
// later, how deep the inbox is and how fast it drains, and how late the node's event loop runs.
// Sampled by the node every few seconds over the last hour (node/health/ingest-history.ts).
import { useEffect, useMemo } from 'react';
import { Area, AreaChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { IngestSampleDto } from '../../../../shared/api';
import { EmptyState, ErrorNotice } from '../../components/StatusMessage';
import { formatAxisTime } from '../../lib/format';
import { timeTicks } from '../../lib/time-ticks';
import { useNodeQuery } from '../../store/use-node-query';

const INK = { grid: 'var(--border)', axis: 'var(--text-dim)', accepted: '#3fd68f', drained: '#4ea1ff', shed: '#ff5a5f', inbox: '#f2b53d', loop: '#c792ea' } as const;
const SOURCE_INK = ['#4ea1ff', '#3fd68f', '#f2b53d', '#c792ea', '#ff9f6b', '#5fd7d7'];
const LOOP_TARGET_MS = 25;

function Chart({ title, testId, children }: { title: string; testId: string; children: React.ReactNode }) {
  return (
    <section className="panel ingest-chart" aria-label={title} data-testid={testId}>
      <header className="panel-header">
        <h2>{title}</h2>
      </header>
      <div className="ingest-chart-body">{children}</div>
    </section>
  );
}

export function IngestView() {
  const query = useNodeQuery('ingest-history', (s) => s.bridge.call('ingest.history', {}));
  const refresh = query.refresh;
  useEffect(() => {
    const timer = setInterval(refresh, 5000);
    return () => clearInterval(timer);
  }, [refresh]);
  const samples: readonly IngestSampleDto[] = query.data?.samples ?? [];
  const start = samples[0]?.atMs ?? 0;
  const end = samples[samples.length - 1]?.atMs ?? 0;
  const axis = useMemo(() => timeTicks(start, end, 6), [start, end]);
  const sources = useMemo(() => [...new Set(samples.flatMap((s) => Object.keys(s.bySource)))].sort(), [samples]);
  const rows = useMemo(() => samples.map((s) => ({ ...s, ...Object.fromEntries(sources.map((k) => [`src:${k}`, s.bySource[k] ?? 0])) })), [samples, sources]);
  const last = samples[samples.length - 1];
  const xAxis = <XAxis dataKey="atMs" type="number" scale="time" domain={[start, end]} ticks={[...axis.ticks]} tickFormatter={(ms: number) => formatAxisTime(ms, axis.showSeconds)} stroke={INK.axis} fontSize={11} />;
  const grid = <CartesianGrid stroke={INK.grid} strokeDasharray="2 4" vertical={false} />;
  const tooltip = <Tooltip labelFormatter={(ms) => formatAxisTime(Number(ms), true)} contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border-strong)', fontSize: 12 }} />;
  const chartProps = { responsive: true, style: { width: '100%', height: '100%' }, data: rows, margin: { top: 10, right: 24, bottom: 0, left: 0 } } as const;
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>Ingest</h1>
          <p className="page-subtitle">
            {last
              ? `${last.acceptedPerS} positions/s in · ${last.shedPerS} refused/s (429) · ${last.inbox.toLocaleString('en-US')} waiting · ${last.drainedPerS}/s drained · loop p99 ${last.loopP99Ms} ms`
              : 'Sampled every 5 s; the first sample comes in a few seconds.'}
          </p>
        </div>
      </header>
      {query.error ? <ErrorNotice error={query.error} context="Could not load the ingest history" /> : null}
      <div className="page-body ingest-grid">
        {samples.length < 2 ? (
          <EmptyState title="Collecting samples">Positions from vendors&apos; webhooks, phones, this kit&apos;s GPS and peers show here as they come in.</EmptyState>
        ) : (
          <>
            <Chart title="Positions in and drained (per second)" testId="ingest-rates">
              <LineChart {...chartProps}>
                {grid}
                {xAxis}
                <YAxis stroke={INK.axis} fontSize={11} width={48} />
                {tooltip}
                <Legend wrapperStyle={{ fontSize: 12 }} />
                <Line type="monotone" dataKey="acceptedPerS" name="accepted/s" stroke={INK.accepted} dot={false} isAnimationActive={false} />
                <Line type="monotone" dataKey="drainedPerS" name="drained/s" stroke={INK.drained} dot={false} isAnimationActive={false} />
                <Line type="monotone" dataKey="shedPerS" name="429/s" stroke={INK.shed} dot={false} isAnimationActive={false} />
              </LineChart>
            </Chart>
            <Chart title="Inbox depth (positions waiting)" testId="ingest-inbox">
              <AreaChart {...chartProps}>
                {grid}
                {xAxis}
                <YAxis stroke={INK.axis} fontSize={11} width={48} />
                {tooltip}
                <Area type="monotone" dataKey="inbox" name="waiting" stroke={INK.inbox} fill={INK.inbox} fillOpacity={0.2} isAnimationActive={false} />
              </AreaChart>
            </Chart>
            <Chart title="Event-loop delay p99 (ms)" testId="ingest-loop">
              <LineChart {...chartProps}>
                {grid}
                {xAxis}
                {/* Up to past the 25 ms target, so the target line is always in sight. */}
                <YAxis stroke={INK.axis} fontSize={11} width={48} domain={[0, (max: number) => Math.max(LOOP_TARGET_MS + 5, Math.ceil(max))]} />
                {tooltip}
                <ReferenceLine y={LOOP_TARGET_MS} stroke={INK.shed} strokeDasharray="4 4" label={{ value: `${LOOP_TARGET_MS} ms`, fill: INK.axis, fontSize: 11, position: 'right' }} />
                <Line type="monotone" dataKey="loopP99Ms" name="loop p99" stroke={INK.loop} dot={false} isAnimationActive={false} />
              </LineChart>
            </Chart>
            <Chart title="By source (per second)" testId="ingest-sources">
              <AreaChart {...chartProps}>
                {grid}
                {xAxis}
                <YAxis stroke={INK.axis} fontSize={11} width={48} />
                {tooltip}
                <Legend wrapperStyle={{ fontSize: 12 }} />
                {sources.map((k, i) => (
                  <Area key={k} type="monotone" stackId="sources" dataKey={`src:${k}`} name={k} stroke={SOURCE_INK[i % SOURCE_INK.length]} fill={SOURCE_INK[i % SOURCE_INK.length]} fillOpacity={0.25} isAnimationActive={false} />
                ))}
              </AreaChart>
            </Chart>
          </>
        )}
      </div>
    </div>
  );
}
