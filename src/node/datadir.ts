// The data folder: where a node keeps its identity key, its event database and its settings.
//   mandala.json   marker + settings ({"app":"mandala","format":1,"name":...,"fleet":...}); "fleet"
//                  is the fleet's key, or {"key": KEY?, "filters": {...}} once the fleet's
//                  plausibility filters were set (core/projections/fleet-settings.ts)
//   identity.pem   Ed25519 secret key, owner-only
//   mandala.db     the SQLite feed store (+ -wal, -shm)
//   own-heads.json the heads this node signed of its own feeds (writing/own-heads.ts)
//   peers.json     the peers it has heard from, for the peers view (replication/peer-book.ts)
// A folder that holds other things and no marker is foreign and is never written to.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { NodeIdentity, IDENTITY_FILE } from './crypto/identity';
import { OwnHeadFile } from './writing/own-heads';
import { MandalaError } from './errors';
import type { Value } from '../core/encoding/canonical';
import { settingsFromValue, settingsToValue, type FleetSettings } from '../core/projections/fleet-settings';

export const MARKER_FILE = 'mandala.json';
export const DB_FILE = 'mandala.db';
/** The lifecycle traces (the inspector's history), bounded; never the event log. */
export const SPANS_FILE = 'spans.db';
const FORMAT = 1;

export interface DataFolderConfig {
  readonly app: 'mandala';
  readonly format: number;
  readonly name: string;
  /** The fleet this node belongs to (the fleet's key, 64 hex digits); absent for an open node. */
  readonly fleet?: string;
  /** The fleet's plausibility filters, when they were set (absent: a new node's defaults). */
  readonly fleetSettings?: FleetSettings;
}

/** The per-user default: $MANDALA_DATA, else the platform's application-data folder. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env['MANDALA_DATA']) return env['MANDALA_DATA'];
  if (platform === 'win32') return join(env['APPDATA'] || join(homedir(), 'AppData', 'Roaming'), 'Mandala');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Mandala');
  // XDG base directories: an unset, empty or relative XDG_DATA_HOME is ignored (else an empty
  // one would put the node in whatever folder the command ran from).
  const xdg = env['XDG_DATA_HOME'];
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.local', 'share'), 'mandala');
}

export type FolderState = 'missing' | 'empty' | 'mandala' | 'foreign';

export function folderState(dir: string): FolderState {
  if (!existsSync(dir)) return 'missing';
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // A file where the folder should be is a wrong path, not a permissions problem.
    if (code === 'ENOTDIR') throw new MandalaError('data_not_a_folder', `${dir} is a file, not a folder; give --data (or MANDALA_DATA) the path of a folder: a new one is created, an existing node is opened`);
    throw new MandalaError('data_unreadable', `cannot read the data folder ${dir} (${code}); check its permissions`);
  }
  if (entries.includes(MARKER_FILE)) return 'mandala';
  return entries.filter((e) => !e.startsWith('.')).length === 0 ? 'empty' : 'foreign';
}

export function readConfig(dir: string): DataFolderConfig {
  const path = join(dir, MARKER_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new MandalaError('data_unreadable', `cannot read ${path} (${(e as NodeJS.ErrnoException).code}); check that you own the data folder ${dir} and may read it`);
  }
  let parsed: Partial<DataFolderConfig>;
  try {
    parsed = JSON.parse(text) as Partial<DataFolderConfig>;
  } catch (e) {
    throw new MandalaError('data_corrupt', `${path} is damaged (${(e as Error).message}); restore it from a backup. Your events in ${DB_FILE} are untouched.`);
  }
  if (parsed.app !== 'mandala') throw new MandalaError('data_foreign', `${path} does not belong to Mandala`);
  if ((parsed.format ?? 0) > FORMAT) throw new MandalaError('data_too_new', `${dir} was written by a newer Mandala (format ${parsed.format}); upgrade Mandala`);
  const section: unknown = parsed.fleet;
  const sectionMap = typeof section === 'object' && section !== null && !Array.isArray(section) ? (section as Record<string, unknown>) : null;
  const key = sectionMap ? sectionMap['key'] : section;
  const fleet = typeof key === 'string' && /^[0-9a-f]{64}$/.test(key) ? key : undefined;
  if (key !== undefined && fleet === undefined) throw new MandalaError('data_corrupt', `${path} names a fleet that is not a fleet id (64 hex digits); fix or restore it`);
  let fleetSettings: FleetSettings | undefined;
  if (sectionMap && sectionMap['filters'] !== undefined) {
    try {
      fleetSettings = settingsFromValue(sectionMap['filters'] as Value);
    } catch (e) {
      throw new MandalaError('data_corrupt', `${path}: ${(e as Error).message}; fix it, or reset the filters with \`mandala fleet-config --reset\``);
    }
  }
  return { app: 'mandala', format: parsed.format ?? FORMAT, name: typeof parsed.name === 'string' && parsed.name ? parsed.name : hostname(), ...(fleet ? { fleet } : {}), ...(fleetSettings ? { fleetSettings } : {}) };
}

export function writeConfig(dir: string, config: DataFolderConfig): void {
  const { fleetSettings, fleet, ...rest } = config;
  const section = fleetSettings ? { ...(fleet ? { key: fleet } : {}), filters: settingsToValue(fleetSettings) } : fleet;
  writeFileSync(join(dir, MARKER_FILE), JSON.stringify({ ...rest, ...(section === undefined ? {} : { fleet: section }) }, null, 2) + '\n');
}

/**
 * A new node's name when none is given: the machine's name and the first four hex digits of the
 * node's key (e.g. "camp-laptop-3fa2"), so two nodes on one machine, or two machines cloned from
 * one image, are told apart in every peer list.
 */
export function defaultNodeName(author: string): string {
  const host = hostname().split('.')[0]!.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 24) || 'node';
  return `${host}-${author.slice(0, 4)}`;
}

/** Creates a node in `dir` (missing or empty). Refuses a folder that holds anything else. */
export function initDataFolder(dir: string, name?: string, fleet?: string): { created: boolean; config: DataFolderConfig } {
  const state = folderState(dir);
  if (state === 'mandala') {
    const config = readConfig(dir);
    if (name && name !== config.name) writeConfig(dir, { ...config, name });
    return { created: false, config: name ? { ...config, name } : config };
  }
  if (state === 'foreign') {
    throw new MandalaError(
      'data_foreign',
      `${dir} already holds files that are not a Mandala node, so Mandala will not write there. Choose an empty folder with --data (or MANDALA_DATA).`,
    );
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(dir, 0o700);
  const identity = NodeIdentity.generate();
  identity.save(join(dir, IDENTITY_FILE));
  OwnHeadFile.create(dir);
  const config: DataFolderConfig = { app: 'mandala', format: FORMAT, name: name || defaultNodeName(identity.author), ...(fleet ? { fleet } : {}) };
  writeConfig(dir, config);
  return { created: true, config };
}

export function assertMandalaFolder(dir: string): void {
  const state = folderState(dir);
  if (state === 'missing' || state === 'empty') {
    throw new MandalaError('data_missing', `there is no Mandala node in ${dir}; create one with \`mandala init --data ${dir}\``);
  }
  if (state === 'foreign') {
    throw new MandalaError('data_foreign', `${dir} is not a Mandala data folder (it holds other files and no ${MARKER_FILE}); point --data at a Mandala folder or an empty one`);
  }
}
