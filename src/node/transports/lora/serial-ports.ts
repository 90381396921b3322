// Listing serial ports a radio might be on. serialport's list() runs `udevadm` on Linux and fails
// where it is missing (containers, minimal installs), so it is only asked when udevadm exists;
// otherwise the well-known device paths are scanned.
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { SerialPort } from 'serialport';

export interface PortInfo {
  readonly path: string;
  /** A stable name when the OS gives one (/dev/serial/by-id/...). */
  readonly stableName: string | null;
  readonly description: string;
}

function hasUdevadm(): boolean {
  const dirs = [...(process.env['PATH'] ?? '').split(':'), '/sbin', '/usr/sbin', '/bin', '/usr/bin'];
  return dirs.some((d) => d && existsSync(join(d, 'udevadm')));
}

function scanDev(): PortInfo[] {
  const out = new Map<string, PortInfo>();
  const byId = '/dev/serial/by-id';
  if (existsSync(byId)) {
    for (const name of readdirSync(byId)) {
      const link = join(byId, name);
      let path = link;
      try {
        path = realpathSync(link);
      } catch {
        // a dangling link: the device just went away
      }
      out.set(path, { path, stableName: link, description: name });
    }
  }
  if (existsSync('/dev')) {
    for (const name of readdirSync('/dev')) {
      if (/^tty(USB|ACM)\d+$/.test(name) && !out.has(`/dev/${name}`)) out.set(`/dev/${name}`, { path: `/dev/${name}`, stableName: null, description: name.startsWith('ttyACM') ? 'USB CDC device' : 'USB serial adapter' });
    }
  }
  return [...out.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** Extra paths for the console's radio picker (a simulator's pseudo-terminal), separated like PATH. */
export function radioPortsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env['MANDALA_RADIO_PORTS'] ?? '').split(delimiter).filter(Boolean);
}

/**
 * The ports found, then each of `extra` that exists and was not found (a simulator's
 * pseudo-terminal: `MANDALA_RADIO_PORTS`), so the console's picker offers it too.
 */
export async function listSerialPorts(platform: NodeJS.Platform = process.platform, extra: readonly string[] = []): Promise<PortInfo[]> {
  const found = await listSystemPorts(platform);
  const known = new Set(found.map((p) => p.path));
  for (const path of extra) if (!known.has(path) && existsSync(path)) found.push({ path, stableName: null, description: 'named in MANDALA_RADIO_PORTS' });
  return found;
}

async function listSystemPorts(platform: NodeJS.Platform): Promise<PortInfo[]> {
  if (platform === 'linux' && !hasUdevadm()) return scanDev();
  try {
    const ports = await SerialPort.list();
    return ports.map((p) => ({ path: p.path, stableName: p.pnpId ?? null, description: [p.manufacturer, p.serialNumber].filter(Boolean).join(' ') || 'serial port' }));
  } catch {
    return platform === 'linux' ? scanDev() : [];
  }
}
