// The node's implementation of the console API (src/shared/api.ts), over the node's narrow API
// (node-api.ts). Requests can come from a browser over the network, so every argument is checked
// before it reaches the node; a bad one is an ApiError with a code, never a crash.
import { createAlertHandlers } from './alert-handlers';
import type { Value } from '../../core/encoding/canonical';
import { KINDS } from '../../core/events/kinds';
import { coerceTypedValue } from '../../core/util/coerce';
import { frontierToSeqs } from '../../core/feed/frontier';
import type { ApiHandlers, JsonValue, NodeInfoDto, PushMap, PushTopic } from '../../shared/api';
import type { NodeApi } from './node-api';
import { fleetSnapshot, recordsList } from './dto';
import { conflictList, parseConflictQuery } from './conflict-dto';
import { createEvidenceHandlers } from './evidence-handlers';
import { createFleetHandlers } from './fleet-handlers';
import { createDeviceHandlers, type DeviceHandlerOptions } from './device-handlers';
import { createExportHandlers } from './export-handlers';
import { createReplayHandlers } from './replay-handlers';
import { createRadioHandlers } from './radio-handlers';
import { createAttachmentHandlers } from './attachment-handlers';
import type { RadioControl } from '../transports/lora/radio-control';
import { TileLibrary } from '../tiles/tile-library';
import { FleetPushes } from './fleet-push';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const DEFAULT_TRAIL = 200;
const MAX_TRAIL = 5000;
/** Pushes carry only the newest fixes; the console merges them into the trail it holds. */
const PUSH_TRAIL = 20;

function str(args: unknown, key: string, max = 4000): string {
  const v = (args as Record<string, unknown> | null)?.[key];
  if (typeof v !== 'string' || v.length === 0) throw new ApiError('bad_request', `${key} must be a non-empty string`);
  if (v.length > max) throw new ApiError('bad_request', `${key} is ${v.length} characters; the limit is ${max}`);
  return v;
}

function jsonToValue(v: unknown, depth = 0): Value {
  if (depth > 16) throw new ApiError('bad_request', 'value nests too deeply');
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (Array.isArray(v)) return v.map((x) => jsonToValue(x, depth + 1));
  if (typeof v === 'object') {
    const out: Record<string, Value> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = jsonToValue(x, depth + 1);
    return out;
  }
  throw new ApiError('bad_request', 'value must be JSON');
}

export function nodeInfo(node: NodeApi, version: string): NodeInfoDto {
  return {
    nodeId: node.self,
    name: node.name,
    version,
    eventCount: node.log.eventCount(),
    feedCount: node.log.frontier().size,
    pendingCount: node.pendingCount(),
    quarantined: node.quarantined(),
    startedAtMs: node.startedAtMs,
    nowMs: node.nowMs(),
    demo: node.demo,
    warnings: node.warnings(),
    loop: node.loopDelay(),
    jobs: node.jobs.list(),
  };
}

function fail(code: string, message: string): never {
  throw new ApiError(code, message);
}

export function createHandlers(
  node: NodeApi,
  version: string,
  devices: DeviceHandlerOptions = { devices: null, osmandPort: () => null },
  tiles: TileLibrary = TileLibrary.empty(),
  radio: RadioControl | null = null,
): ApiHandlers {
  const appendOne = (kind: string, payload: Value) => node.append([{ kind, payload }])[0]!;
  const nameOf = (a: string) => node.nameOf(a);
  return {
    ...createEvidenceHandlers(node, fail),
    ...createFleetHandlers(node, fail),
    ...createDeviceHandlers(devices, fail),
    ...createAlertHandlers(node, fail),
    ...createExportHandlers(node, fail),
    ...createReplayHandlers(node, fail),
    ...createRadioHandlers(radio, fail),
    ...createAttachmentHandlers(node, fail),
    'conflicts.list': (args) => {
      const quarantined = new Set(node.quarantined());
      return conflictList(node.projections.conflicts.entries(), parseConflictQuery(args, (m) => fail('bad_request', m)), nameOf, (a) => quarantined.has(a));
    },
    'node.info': () => nodeInfo(node, version),
    'fleet.snapshot': (args) => {
      const limit = typeof args?.trailLimit === 'number' ? Math.max(1, Math.min(MAX_TRAIL, Math.floor(args.trailLimit))) : DEFAULT_TRAIL;
      return fleetSnapshot(node.projections.fleet, limit, node.nowMs());
    },
    'peers.list': () => node.peerRows(),
    'peers.matrix': () => node.peerMatrix(),
    'records.list': () => recordsList(node.projections.records.view(), (rid) => node.projections.records.notesOf(rid), (hash, size) => node.blobs.held(hash, size)),
    'records.create': (args) => {
      const recordId = str(args, 'recordId', 64);
      const existing = node.projections.records.formOf(recordId);
      if (existing !== null) fail('record_exists', `record ${recordId} already exists (form ${String(existing)}); open it to edit its fields, or choose another id`);
      return appendOne(KINDS.recordCreate, { record_id: recordId, form: str(args, 'form', 64) });
    },
    'records.setField': (args) => {
      const a = args as { value?: JsonValue; text?: unknown } | null;
      if (a?.text !== undefined && a.value !== undefined) throw new ApiError('bad_request', 'give value or text, not both');
      const value = a?.text !== undefined ? coerceTypedValue(str(args, 'text')) : jsonToValue(a?.value ?? null);
      const draft = node.projections.records.draftSet(str(args, 'recordId', 64), str(args, 'field', 64), value);
      return node.append([draft])[0]!;
    },
    'records.addNote': (args) => appendOne(KINDS.noteAdd, { record_id: str(args, 'recordId', 64), text: str(args, 'text') }),
    'frontier.get': () => ({ heads: frontierToSeqs(node.log.frontier()), digest: node.frontierDigest() }),
    'map.overlays': () => node.overlays,
    'map.layers': () => tiles.layers(),
    'authors.names': () => Object.fromEntries([...node.names.entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}

/** What one push stream (a console server, a desktop window) sends of the fleet: the trucks that changed. */
export function fleetPushes(): FleetPushes {
  return new FleetPushes(PUSH_TRAIL);
}

/**
 * The data for a pushed topic, computed when the (throttled) push goes out. The fleet goes out as
 * the trucks that changed since the stream's last push, numbered (fleet-push.ts).
 */
export function pushPayload<T extends PushTopic>(handlers: ApiHandlers, topic: T, stream: { readonly fleet: FleetPushes; readonly node: NodeApi }): PushMap[T] {
  const empty = {} as Record<string, never>;
  switch (topic) {
    case 'node':
      return handlers['node.info'](empty) as PushMap[T];
    case 'fleet':
      return stream.fleet.next(stream.node.projections.fleet, stream.node.nowMs()) as PushMap[T];
    case 'peers':
      return handlers['peers.list'](empty) as PushMap[T];
    case 'records':
      return handlers['records.list'](empty) as PushMap[T];
    case 'conflicts': {
      const list = handlers['conflicts.list']({ limit: 1 }) as ReturnType<ApiHandlers['conflicts.list']> & { total: number; openCount: number };
      return { total: list.total, open: list.openCount } as PushMap[T];
    }
    case 'reports':
      return { count: (handlers['reports.list'](empty) as readonly unknown[]).length } as PushMap[T];
    case 'layers':
      return handlers['map.layers'](empty) as PushMap[T];
    default:
      throw new ApiError('unknown_topic', `no topic ${String(topic)}`);
  }
}
