// Where a fix came from (its event's source field), asked of the node for the one fix shown.
import type { FixDto } from '../../../../shared/api';
import { describeFixSource, type FixSource } from '../../lib/fix-source';
import { useNodeQuery } from '../../store/use-node-query';

export function useFixSource(fix: FixDto | null): FixSource | null {
  const ref = fix ? ([fix.author, fix.seq] as const) : null;
  const refKey = ref ? `${ref[0]}:${ref[1]}` : null;
  const latest = useNodeQuery(refKey, (s) => s.bridge.call('events.get', { refs: [ref!] }));
  const event = latest.dataKey === refKey ? latest.data?.[0] : undefined;
  return event ? describeFixSource((event.payload as { source?: unknown } | null)?.source) : null;
}
