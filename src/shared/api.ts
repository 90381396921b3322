// The contract between the node and the console. One map of requests and one map of pushed
// updates; the Electron IPC bridge, the WebSocket bridge and the node's handlers all derive their
// types from these, so no signature is written twice. Types only, but for the IPC channel names
// and the list of request names; the DTOs of each area are in the api-*.ts files beside it.
import type { AlertsDto, FleetSettingsDto, IngestHistoryDto, LifecycleDto } from './api-operations';
import type { ReplayTrackDto } from './api-replay';
import type { PeerMatrixDto } from './api-peers';
import type { RadioSetupDto, RadioStatusDto } from './api-radio';
import type { RecordDto } from './api-records';
import type { ConflictListDto, ConflictQueryDto, EventDto, ReportCreatedDto, ReportDetailDto, ReportRefDto, ReportSummaryDto, VerifyResultDto } from './api-audit';

export type * from './api-operations';
export type * from './api-replay';
export type * from './api-peers';
export type * from './api-radio';
export type * from './api-records';
export type * from './api-audit';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface NodeInfoDto {
  readonly nodeId: string;
  readonly name: string;
  readonly version: string;
  readonly eventCount: number;
  readonly feedCount: number;
  readonly pendingCount: number;
  readonly quarantined: readonly string[];
  readonly startedAtMs: number;
  readonly nowMs: number;
  readonly demo: boolean;
  readonly warnings: readonly ProblemDto[];
  /** How late the node's main event loop ran over the last minute. */
  readonly loop: LoopDelayDto;
  /** Long jobs running now (exports, folds of every event again, Consistent reports). */
  readonly jobs: readonly JobDto[];
}

export type JobKind = 'export' | 'rebuild' | 'report';

export interface JobDto {
  readonly id: number;
  readonly kind: JobKind;
  /** What it does, in words: "exporting tracks as GPX". */
  readonly label: string;
  /** How far it got (null while that is not known: a fold in a worker). */
  readonly done: number | null;
  readonly total: number | null;
  readonly startedAtMs: number;
}

/** Event-loop delay beyond schedule, in ms: what every console call, peer and webhook waits. */
export interface LoopDelayDto {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly windowMs: number;
}

export interface ProblemDto {
  readonly code: string;
  readonly message: string;
  readonly atMs: number;
  readonly count: number;
}

export interface FixDto {
  readonly fixMs: number;
  readonly lat: number;
  readonly lon: number;
  readonly speedKmh: number | null;
  readonly headingDeg: number | null;
  /** Why a plausibility filter flagged the fix (a stable reason code), or null when it is plausible. */
  readonly flag: string | null;
  /** Recorded after a newer fix of its truck (the event-time latch): it fires no live alert. */
  readonly historical: boolean;
  readonly author: string;
  readonly seq: number;
}

export interface TruckDto {
  readonly truck: string;
  readonly current: FixDto | null;
  /** The newest fixes in event-time order, flagged ones included. */
  readonly trail: readonly FixDto[];
  readonly fixCount: number;
  readonly flaggedCount: number;
  /** Fixes recorded after a newer fix of the truck (decided in log order, the same on every node): no live alerts. */
  readonly historicalCount: number;
  /** The newest fix time of any fix, flagged ones too (when the truck was last heard). */
  readonly lastFixMs: number | null;
  readonly reporters: readonly string[];
}

export interface FleetSnapshotDto {
  readonly atMs: number;
  readonly trucks: readonly TruckDto[];
  /** A push that carries only the trucks whose trails changed since the push before it. */
  readonly partial?: boolean;
  /** Pushes are numbered 1, 2, 3…: a console that sees a gap missed one and asks for a full snapshot. */
  readonly pushSeq?: number;
}

export interface PeerLinkDto {
  readonly kind: 'memory' | 'lan' | 'lora';
  readonly label: string;
  readonly rssiDbm: number | null;
  readonly snrDb: number | null;
  readonly airtimeMs: number | null;
  readonly dutyCycleHeadroomPct: number | null;
  /** How busy the radio channel is (everyone's transmissions), percent, from the radio itself. */
  readonly channelLoadPct: number | null;
}

export interface PeerRowDto {
  readonly node: string;
  readonly name: string;
  readonly connected: boolean;
  readonly lastHeardMs: number | null;
  readonly links: readonly PeerLinkDto[];
  /** Events the peer holds that we lack, from its last frontier (null before one arrived). */
  readonly weLack: number | null;
  /** Events we hold that the peer lacks. */
  readonly theyLack: number | null;
  readonly inSync: boolean;
  /** Events queued to push to the peer right now (sync progress). */
  readonly queued: number;
  readonly eventsSent: number;
  readonly eventsReceived: number;
  /** Bytes on its links each way (a radio neighbour: what this node broadcast while it was in range). */
  readonly bytesSent: number;
  readonly bytesReceived: number;
  /** Feeds the peer refused, with the reason it gave. */
  readonly refused: readonly { readonly author: string; readonly code: string }[];
  /** Bad input from this peer, by reason code. */
  readonly problems: readonly ProblemDto[];
  /** Its place in this node's fleet; null when this node is open (no fleet). */
  readonly fleet: 'admin' | 'member' | 'revoked' | 'outside' | null;
  /** Its identity was proven (a LAN handshake); a radio neighbour's is only claimed by its hello. */
  readonly verified: boolean;
}

export interface FrontierDto {
  readonly heads: Readonly<Record<string, number>>;
  readonly digest: string;
}

/** Lines drawn under the trucks: demo roads, or a camp's own route file. [lon, lat] pairs. */
export interface MapOverlaysDto {
  readonly routes: readonly { readonly name: string; readonly coordinates: readonly (readonly [number, number])[] }[];
}

export interface FleetMemberDto {
  readonly node: string;
  readonly name: string | null;
  readonly role: 'admin' | 'member';
  /** Null for the fleet's first admin. */
  readonly admittedBy: string | null;
  readonly revoked: { readonly upto: number; readonly by: string } | null;
}

export interface FleetInfoDto {
  /** Null when this node is open (it belongs to no fleet: any node may sync with it and write to it). */
  readonly fleetId: string | null;
  readonly name: string | null;
  /** False until the fleet's genesis reached this node (a node that just joined). */
  readonly founded: boolean;
  readonly selfRole: 'admin' | 'member' | 'revoked' | 'not_admitted' | null;
  /** This node's id. */
  readonly self: string;
  readonly members: readonly FleetMemberDto[];
}

/** A phone or tracker allowed to report by the OsmAnd protocol, and the truck it reports as. */
export interface DeviceDto {
  readonly device: string;
  readonly truck: string;
  readonly addedMs: number;
}

/** A device that reported without being registered (its reports were refused). */
export interface AskingDeviceDto {
  readonly device: string;
  readonly firstMs: number;
  readonly lastMs: number;
  readonly reports: number;
  readonly lastPosition: { readonly lat: number; readonly lon: number } | null;
}

export interface DevicesDto {
  /** The OsmAnd port this node listens on; null when phones are not taken here. */
  readonly osmandPort: number | null;
  readonly registered: readonly DeviceDto[];
  readonly asking: readonly AskingDeviceDto[];
}

/** A user's own offline map file (`mandala serve --tiles FILE`), served as tiles at /tiles/ID/{z}/{x}/{y}. */
export interface TileLayerDto {
  readonly id: string;
  readonly name: string;
  readonly file: string;
  readonly container: 'pmtiles' | 'mbtiles';
  readonly kind: 'raster' | 'vector';
  /** png, jpg, webp, avif or pbf. */
  readonly format: string;
  readonly minZoom: number;
  readonly maxZoom: number;
  /** [west, south, east, north] in degrees, when the file says. */
  readonly bounds: readonly [number, number, number, number] | null;
  /** [lon, lat, zoom], when the file says. */
  readonly center: readonly [number, number, number] | null;
  readonly attribution: string | null;
  /** A vector file's layers (its TileJSON vector_layers), which the console draws in a generic style. */
  readonly vectorLayers: readonly { readonly id: string }[];
  /** The basemap the console opens with (the first file given). */
  readonly active: boolean;
}

export interface TileLayersDto {
  readonly layers: readonly TileLayerDto[];
  readonly active: string | null;
}

/** An export's file, made on the node, saved by the console. */
export interface ExportFileDto {
  readonly fileName: string;
  readonly mime: string;
  readonly text: string;
  /** Tracks and fixes in it (a conflicts export: entries as points, no tracks). */
  readonly tracks: number;
  readonly points: number;
  readonly flagged: number;
}

export type TrackExportFormatDto = 'gpx' | 'kml' | 'csv';

export type AppendResultDto =
  | { readonly ok: true; readonly author: string; readonly seq: number; readonly id: string }
  | { readonly ok: false; readonly code: string; readonly message: string };

/** Every request the console can make: name -> [args, result]. */
export interface ApiMap {
  'node.info': [args: Record<string, never>, result: NodeInfoDto];
  'fleet.snapshot': [args: { readonly trailLimit?: number }, result: FleetSnapshotDto];
  'peers.list': [args: Record<string, never>, result: readonly PeerRowDto[]];
  /** Who lacks what: every feed against every peer, from the frontiers the peers last told. */
  'peers.matrix': [args: Record<string, never>, result: PeerMatrixDto];
  'records.list': [args: Record<string, never>, result: readonly RecordDto[]];
  'records.create': [args: { readonly recordId: string; readonly form: string }, result: AppendResultDto];
  /** Give `value` as JSON, or `text` as a person typed it (the node coerces it like the CLI). */
  'records.setField': [
    args: { readonly recordId: string; readonly field: string; readonly value?: JsonValue; readonly text?: string },
    result: AppendResultDto,
  ];
  'records.addNote': [args: { readonly recordId: string; readonly text: string }, result: AppendResultDto];
  /** Attaches a file (its bytes as base64, at most 3 MB) to a record. */
  'records.attach': [args: { readonly recordId: string; readonly name: string; readonly mime?: string; readonly dataBase64: string }, result: AppendResultDto];
  /** An attachment's bytes (base64), once every chunk is here and they hash to its name. */
  'records.attachment': [args: { readonly blobHash: string }, result: { readonly blobHash: string; readonly size: number; readonly dataBase64: string }];
  'frontier.get': [args: Record<string, never>, result: FrontierDto];
  'authors.names': [args: Record<string, never>, result: Readonly<Record<string, string>>];
  'map.overlays': [args: Record<string, never>, result: MapOverlaysDto];
  /** The user's offline map files this node serves (besides the bundled basemap). */
  'map.layers': [args: Record<string, never>, result: TileLayersDto];
  'conflicts.list': [args: ConflictQueryDto, result: ConflictListDto];
  /** Events by [author, seq], as stored here (missing ones are left out). */
  'events.get': [args: { readonly refs: readonly (readonly [string, number])[] }, result: readonly EventDto[]];
  'reports.list': [args: Record<string, never>, result: readonly ReportSummaryDto[]];
  'reports.get': [args: ReportRefDto, result: ReportDetailDto];
  /** maxStaleMs absent: Consistent; present: MaybeStale (may be served from the projection cache). */
  'reports.create': [args: { readonly projection: string; readonly maxStaleMs?: number }, result: ReportCreatedDto];
  /** Verify a stored report by ref, or a report file's JSON, against this node's events. */
  'reports.verify': [args: ReportRefDto | { readonly report: JsonValue }, result: VerifyResultDto];
  'fleet.info': [args: Record<string, never>, result: FleetInfoDto];
  /** On an admin node: admit a node (its id) as a member, or an admin. */
  'fleet.admit': [args: { readonly node: string; readonly admin?: boolean }, result: AppendResultDto];
  /** On an admin node: revoke a node; its feed is kept up to what this node holds of it. */
  'fleet.revoke': [args: { readonly node: string }, result: AppendResultDto];
  /** The fleet's plausibility filters in force (with the defaults and what each does). */
  'fleet.settings': [args: Record<string, never>, result: FleetSettingsDto];
  /** Changes some of them (the rest keep their values); resolves once every truck was judged again. */
  'fleet.settings.set': [args: { readonly settings: Readonly<Record<string, number | boolean | null>> }, result: FleetSettingsDto];
  /** The alerts (geofence, overspeed, stopped, and trucks gone quiet on this node's clock), and the geofences. */
  'alerts.list': [args: { readonly status?: 'open' | 'acknowledged' | 'all' }, result: AlertsDto];
  /** Acknowledges an alert: an event, so it replicates. */
  'alerts.ack': [args: { readonly id: string; readonly note?: string }, result: AppendResultDto];
  /** The ingest view's history: accepted, refused, inbox depth, drain rate, loop delay, per source. */
  'ingest.history': [args: Record<string, never>, result: IngestHistoryDto];
  /** The lifecycle inspector: deliveries found by webhook-id, truck or event id (8+ hex digits), newest first. */
  'trace.find': [args: { readonly query: string }, result: readonly LifecycleDto[]];
  /** Phones reporting by the OsmAnd protocol: registered ones, and those asking to report. */
  'devices.list': [args: Record<string, never>, result: DevicesDto];
  /** Let a device report as a truck (what `mandala device add` does). */
  'devices.add': [args: { readonly device: string; readonly truck: string }, result: DevicesDto];
  'devices.remove': [args: { readonly device: string }, result: DevicesDto];
  /** Trucks' tracks as a GPX, KML or CSV file (what `mandala export` writes): all trucks unless some are named, fixes taken in [fromMs, toMs]. */
  'export.tracks': [
    args: { readonly format: TrackExportFormatDto; readonly trucks?: readonly string[]; readonly fromMs?: number; readonly toMs?: number },
    result: ExportFileDto,
  ];
  /** The conflict timeline as a CSV file. */
  'export.conflicts': [args: Record<string, never>, result: ExportFileDto];
  /** One truck's history over [fromMs, toMs] (all of it when absent) for replay: its fixes (sampled down to maxPoints), stops and trips. */
  'replay.track': [args: { readonly truck: string; readonly fromMs?: number; readonly toMs?: number; readonly maxPoints?: number }, result: ReplayTrackDto];
  /** The serial ports a radio might be on (read now), and the radio attached. */
  'radio.status': [args: Record<string, never>, result: RadioStatusDto];
  /** Attach an RNode radio on a port (settings not given keep the defaults); the one attached before is detached. */
  'radio.attach': [args: Partial<RadioSetupDto> & { readonly path: string }, result: RadioStatusDto];
  'radio.detach': [args: Record<string, never>, result: RadioStatusDto];
}

export type ApiName = keyof ApiMap;
export type ApiArgs<K extends ApiName> = ApiMap[K][0];
export type ApiResult<K extends ApiName> = ApiMap[K][1];

/** Updates the node pushes, throttled so a burst cannot flood the console. */
export interface PushMap {
  node: NodeInfoDto;
  fleet: FleetSnapshotDto;
  peers: readonly PeerRowDto[];
  records: readonly RecordDto[];
  /** Something in the conflicts projection changed; the console re-queries with its filters. */
  conflicts: { readonly total: number; readonly open: number };
  reports: { readonly count: number };
  /** The user's map files changed (the desktop app opened one). */
  layers: TileLayersDto;
}

export type PushTopic = keyof PushMap;

/** An error from the node, with a stable code. */
export interface ApiErrorDto {
  readonly code: string;
  readonly message: string;
}

/** What the renderer sees, however it reaches the node (Electron IPC or WebSocket). */
export interface MandalaBridge {
  readonly transport: 'ipc' | 'websocket';
  call<K extends ApiName>(name: K, args: ApiArgs<K>): Promise<ApiResult<K>>;
  subscribe<T extends PushTopic>(topic: T, listener: (data: PushMap[T]) => void): () => void;
}

/** A reply as it crosses a process boundary: errors travel as data, with their code intact. */
export type ApiEnvelope<T> = { readonly ok: true; readonly result: T } | { readonly ok: false; readonly error: ApiErrorDto };

/** What the Electron preload exposes on `window.mandalaIpc`, and nothing more. */
export interface MandalaIpc {
  invoke<K extends ApiName>(name: K, args: ApiArgs<K>): Promise<ApiEnvelope<ApiResult<K>>>;
  onPush(listener: (topic: PushTopic, data: PushMap[PushTopic]) => void): () => void;
}

export const IPC_CALL_CHANNEL = 'mandala:call';
export const IPC_PUSH_CHANNEL = 'mandala:push';

/** The handler map a node implements: one function per request. */
export type ApiHandlers = { readonly [K in ApiName]: (args: ApiArgs<K>) => ApiResult<K> | Promise<ApiResult<K>> };

/** One entry per request of ApiMap, no more, no less (the compiler checks both ways). */
const API_NAME_SET: { readonly [K in ApiName]: true } = {
  'node.info': true,
  'fleet.snapshot': true,
  'peers.list': true,
  'peers.matrix': true,
  'records.list': true,
  'records.create': true,
  'records.setField': true,
  'records.addNote': true,
  'records.attach': true,
  'records.attachment': true,
  'frontier.get': true,
  'authors.names': true,
  'map.overlays': true,
  'map.layers': true,
  'conflicts.list': true,
  'events.get': true,
  'reports.list': true,
  'reports.get': true,
  'reports.create': true,
  'reports.verify': true,
  'fleet.info': true,
  'fleet.admit': true,
  'fleet.revoke': true,
  'fleet.settings': true,
  'fleet.settings.set': true,
  'alerts.list': true,
  'alerts.ack': true,
  'trace.find': true,
  'ingest.history': true,
  'devices.list': true,
  'devices.add': true,
  'devices.remove': true,
  'export.tracks': true,
  'export.conflicts': true,
  'replay.track': true,
  'radio.status': true,
  'radio.attach': true,
  'radio.detach': true,
};

export const API_NAMES = Object.keys(API_NAME_SET) as readonly ApiName[];

/** Whether a name from the wire is a request of the contract. */
export function isApiName(name: unknown): name is ApiName {
  return typeof name === 'string' && Object.hasOwn(API_NAME_SET, name);
}
