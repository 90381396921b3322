#!/usr/bin/env node
// `npm start` / `npm run dev`: launches the Electron desktop app.
//
// Two things must be true first, and this script makes them so or says plainly why it cannot:
//  1. Electron's binary is present. Electron downloads it on first use; without internet that
//     fails, and the console can still run headless (`npx mandala serve --demo`).
//  2. better-sqlite3 is built for Electron's ABI. node_modules keeps the Node build (the CLI and
//     the tests use it), so an Electron build is made once into .electron-native/ (a prebuilt
//     binary when one can be fetched, else compiled against Electron's headers) and handed to
//     the main process through MANDALA_NATIVE_BINDING.
//
// Flags: --dev (electron-vite dev with hot reload), --check (report readiness and exit),
// --no-demo (no simulated fleet).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = new Set(process.argv.slice(2));
const say = (line) => process.stdout.write(`${line}\n`);
const HEADLESS_HINT = 'Run the console headless instead: `npx mandala serve --demo`, then open http://127.0.0.1:7420 in a browser.';

function electronDir() {
  return dirname(require.resolve('electron/package.json'));
}

function electronVersion() {
  return JSON.parse(readFileSync(join(electronDir(), 'package.json'), 'utf8')).version;
}

/** The Electron executable if it is installed, else null (never downloads). */
function installedElectron() {
  const dir = electronDir();
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const exe = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}

function ensureElectron() {
  const found = installedElectron();
  if (found) return found;
  say('Downloading Electron (first start only)...');
  const r = spawnSync(process.execPath, [join(electronDir(), 'install.js')], { stdio: 'inherit' });
  const exe = r.status === 0 ? installedElectron() : null;
  if (!exe) {
    say("\nMandala: Electron's binary could not be downloaded (no internet, or a proxy in the way).");
    say(HEADLESS_HINT);
    process.exit(3);
  }
  return exe;
}

function nativeBindingPath(version) {
  return join(root, '.electron-native', `electron-${version}-${process.platform}-${process.arch}`, 'better_sqlite3.node');
}

function ensureNativeBinding(version) {
  const target = nativeBindingPath(version);
  if (existsSync(target)) return target;
  say(`Building the SQLite module for Electron ${version} (first start only)...`);
  const work = join(root, '.electron-native', `build-${version}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const pkgDir = dirname(require.resolve('better-sqlite3/package.json'));
  const copy = join(work, 'better-sqlite3');
  cpSync(pkgDir, copy, { recursive: true, filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`) });
  const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
  const common = { cwd: copy, stdio: 'inherit', shell: process.platform === 'win32' };
  let r = spawnSync(bin('prebuild-install'), ['--runtime', 'electron', '--target', version, '--arch', process.arch, '--platform', process.platform], common);
  if (r.status !== 0) {
    say('No prebuilt module for this Electron; compiling against its headers...');
    r = spawnSync(bin('node-gyp'), ['rebuild', '--release', '--runtime=electron', `--target=${version}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers'], common);
  }
  const built = join(copy, 'build', 'Release', 'better_sqlite3.node');
  if (r.status !== 0 || !existsSync(built)) {
    say('\nMandala: could not build better-sqlite3 for Electron (this needs internet for headers or a prebuilt binary, and a C++ toolchain).');
    say(HEADLESS_HINT);
    process.exit(3);
  }
  mkdirSync(dirname(target), { recursive: true });
  cpSync(built, target);
  rmSync(work, { recursive: true, force: true });
  return target;
}

function main() {
  if (args.has('--check')) {
    const exe = installedElectron();
    if (!exe) {
      say(`Electron ${electronVersion()}: binary not installed (it downloads on the first \`npm start\` when there is internet).`);
      say(HEADLESS_HINT);
      process.exit(3);
    }
    const binding = nativeBindingPath(electronVersion());
    say(`Electron ${electronVersion()}: ${exe}`);
    say(`SQLite module for Electron: ${existsSync(binding) ? binding : 'not built yet (built on first start)'}`);
    return;
  }
  const exe = ensureElectron();
  const binding = ensureNativeBinding(electronVersion());
  if (!existsSync(join(root, 'out', 'main', 'index.js'))) {
    const b = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
    if (b.status !== 0) process.exit(b.status ?? 1);
  }
  const env = { ...process.env, MANDALA_NATIVE_BINDING: binding, ...(args.has('--no-demo') ? { MANDALA_DEMO: '0' } : {}) };
  const child = args.has('--dev')
    ? spawn(join(root, 'node_modules', '.bin', 'electron-vite'), ['dev'], { cwd: root, env, stdio: 'inherit', shell: process.platform === 'win32' })
    : spawn(exe, [root], { cwd: root, env, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}

main();
