// The console's views, in navigation order: an id, a label, an icon, and a case in App's view switch.
import type { IconName } from '../components/Icon';

export const VIEWS = [
  { id: 'operations', label: 'Operations', icon: 'map' },
  { id: 'replay', label: 'Replay', icon: 'replay' },
  { id: 'peers', label: 'Peers', icon: 'peers' },
  { id: 'records', label: 'Records', icon: 'records' },
  { id: 'conflicts', label: 'Conflicts', icon: 'conflicts' },
  { id: 'evidence', label: 'Evidence', icon: 'evidence' },
  { id: 'ingest', label: 'Ingest', icon: 'pulse' },
] as const satisfies readonly { id: string; label: string; icon: IconName }[];

export type ViewId = (typeof VIEWS)[number]['id'];

export const DEFAULT_VIEW: ViewId = 'operations';

export function viewFromHash(hash: string): ViewId {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return VIEWS.find((v) => v.id === id)?.id ?? DEFAULT_VIEW;
}
