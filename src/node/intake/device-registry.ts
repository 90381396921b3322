// Phones and trackers allowed to report (the OsmAnd protocol): device id -> truck, kept in the data
// folder (devices.json, replaced atomically) so `mandala device add` and a running node share it.
// Devices that asked to report and are not registered are remembered in memory for the console.
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MandalaError } from '../errors';

export const DEVICES_FILE = 'devices.json';
const DEVICE_ID = /^[A-Za-z0-9._:-]{1,48}$/;

export interface DeviceEntry {
  readonly device: string;
  readonly truck: string;
  readonly addedMs: number;
}

export interface AskingDevice {
  readonly device: string;
  readonly firstMs: number;
  readonly lastMs: number;
  readonly reports: number;
  readonly lastPosition: { readonly lat: number; readonly lon: number } | null;
}

interface FileShape {
  readonly format: 1;
  readonly devices: Record<string, { truck: string; addedMs: number }>;
}

const MAX_ASKING = 200;

export function checkDeviceId(id: string): string {
  if (!DEVICE_ID.test(id)) throw new MandalaError('bad_device_id', `"${id}" is not a device id: 1 to 48 letters, digits, dot, dash, colon or underscore (the identifier set in the phone's tracker app)`);
  return id;
}

export class DeviceRegistry {
  private entries = new Map<string, DeviceEntry>();
  private readMtimeMs = -1;
  private checkedAtMs = Number.NEGATIVE_INFINITY;
  private readonly asking = new Map<string, AskingDevice>();

  constructor(
    private readonly dir: string,
    private readonly nowMs: () => number,
  ) {
    this.reload();
  }

  private get path(): string {
    return join(this.dir, DEVICES_FILE);
  }

  /** Picks up changes another process (a CLI verb) made, at most once a second. */
  private refresh(): void {
    const now = this.nowMs();
    if (now - this.checkedAtMs < 1000) return;
    this.checkedAtMs = now;
    const mtime = existsSync(this.path) ? statSync(this.path).mtimeMs : 0;
    if (mtime !== this.readMtimeMs) this.reload();
  }

  private reload(): void {
    this.entries = new Map();
    this.readMtimeMs = existsSync(this.path) ? statSync(this.path).mtimeMs : 0;
    if (!this.readMtimeMs) return;
    let shape: FileShape;
    try {
      shape = JSON.parse(readFileSync(this.path, 'utf8')) as FileShape;
    } catch (e) {
      throw new MandalaError('devices_unreadable', `${this.path} cannot be read (${(e as Error).message}); fix or remove it, then add the devices again with \`mandala device add\``);
    }
    for (const [device, v] of Object.entries(shape.devices ?? {})) this.entries.set(device, { device, truck: v.truck, addedMs: v.addedMs });
  }

  private save(): void {
    const shape: FileShape = { format: 1, devices: Object.fromEntries([...this.entries.values()].sort((a, b) => (a.device < b.device ? -1 : 1)).map((e) => [e.device, { truck: e.truck, addedMs: e.addedMs }])) };
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(shape, null, 2) + '\n', { mode: 0o600 });
    renameSync(tmp, this.path);
    this.readMtimeMs = statSync(this.path).mtimeMs;
  }

  truckOf(device: string): string | null {
    this.refresh();
    return this.entries.get(device)?.truck ?? null;
  }

  list(): DeviceEntry[] {
    this.refresh();
    return [...this.entries.values()].sort((a, b) => (a.device < b.device ? -1 : 1));
  }

  add(device: string, truck: string): DeviceEntry {
    this.reload();
    const entry = { device: checkDeviceId(device), truck, addedMs: this.nowMs() };
    this.entries.set(device, entry);
    this.save();
    this.asking.delete(device);
    return entry;
  }

  remove(device: string): boolean {
    this.reload();
    const had = this.entries.delete(device);
    if (had) this.save();
    return had;
  }

  /** A report from a device that is not registered: kept for the dispatcher to admit. */
  noteAsking(device: string, position: { lat: number; lon: number } | null): void {
    const now = this.nowMs();
    const prev = this.asking.get(device);
    if (!prev && this.asking.size >= MAX_ASKING) return;
    this.asking.set(device, { device, firstMs: prev?.firstMs ?? now, lastMs: now, reports: (prev?.reports ?? 0) + 1, lastPosition: position ?? prev?.lastPosition ?? null });
  }

  askingList(): AskingDevice[] {
    return [...this.asking.values()].sort((a, b) => b.lastMs - a.lastMs);
  }
}
