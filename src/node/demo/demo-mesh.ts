// The demo: a few simulated peer nodes on an in-memory mesh that partitions and heals, writing
// truck positions and records, so a new user sees the map and the frontier table come alive with
// no radio. The demo peers are real nodes (createNode over their own SQLite files in
// DATA/demo/<name>); only the network between them is simulated.
import { join } from 'node:path';
import { every, type Scheduler, type TimerHandle } from '../../core/clock/scheduler';
import { KINDS } from '../../core/events/kinds';
import { SeededRandom } from '../../core/util/random';
import { openNode, type OpenedNode } from '../open-node';
import { createNode, portsOf, type MandalaNode } from '../create-node';
import { MemoryNetwork, type MemoryTransport } from '../transports/memory';
import { DEMO_ROUTES } from './routes';
import { simulateFix, type SimTruck } from './truck-sim';
import { contestedEdit, DeadZone, glitchFix, inDeadZone } from './demo-incidents';

export const LOCAL = 'local';

interface PeerPlan {
  readonly name: string;
  readonly trucks: readonly SimTruck[];
  readonly writesRecords: boolean;
}

const route = (name: string) => DEMO_ROUTES.find((r) => r.name.startsWith(name))!;

function truck(id: string, routeName: string, offsetKm: number, kmh: number): SimTruck {
  return { id, route: route(routeName), offsetM: offsetKm * 1000, baseKmh: kmh };
}

const PLANS: readonly PeerPlan[] = [
  {
    name: 'hq-nairobi',
    writesRecords: true,
    trucks: [truck('KBZ 114A', 'A104', 0, 62), truck('KCA 802T', 'A104', 180, 58), truck('KBT 377M', 'A3', 40, 64), truck('KCD 519F', 'A3', 420, 55)],
  },
  {
    name: 'camp-marsabit',
    writesRecords: true,
    trucks: [truck('KBY 260C', 'A2', 120, 60), truck('KCB 943K', 'A2', 520, 57), truck('KBW 031P', 'A2', 900, 63), truck('KCE 675H', 'Isiolo', 90, 52)],
  },
  {
    name: 'camp-lodwar',
    writesRecords: true,
    trucks: [truck('KBV 488L', 'A1', 60, 56), truck('KCC 207S', 'A1', 330, 61), truck('KBU 750D', 'A1', 610, 54), truck('KCF 112J', 'Isiolo', 300, 59)],
  },
  { name: 'relay-isiolo', writesRecords: false, trucks: [] },
];

const WIRES: readonly [string, string][] = [
  [LOCAL, 'hq-nairobi'],
  [LOCAL, 'relay-isiolo'],
  ['relay-isiolo', 'camp-marsabit'],
  ['relay-isiolo', 'hq-nairobi'],
  ['hq-nairobi', 'camp-lodwar'],
];

/** Every 40 s the mesh moves to the next phase: whole, a camp cut off, a relay cut off. */
const PHASES: readonly (string[][] | null)[] = [
  null,
  [[LOCAL, 'hq-nairobi', 'relay-isiolo', 'camp-marsabit'], ['camp-lodwar']],
  null,
  [[LOCAL, 'hq-nairobi', 'camp-lodwar'], ['relay-isiolo', 'camp-marsabit']],
];

const RECORD_FORMS = ['delivery', 'site_assessment', 'fuel_stop'];
const STATUSES = ['planned', 'loading', 'en_route', 'delayed', 'delivered'];

export interface DemoMeshOptions {
  readonly baseDir: string;
  readonly scheduler: Scheduler;
  readonly version: string;
  readonly fixEveryMs?: number;
  readonly phaseEveryMs?: number;
}

export class DemoMesh {
  readonly network: MemoryNetwork;
  readonly localTransport: MemoryTransport;
  private readonly peers: { plan: PeerPlan; folder: OpenedNode; node: MandalaNode }[] = [];
  private readonly timers: TimerHandle[] = [];
  private readonly rng = new SeededRandom(42);
  private readonly deadZone = new DeadZone('KCE 675H');
  private phase = 0;
  private startedAtMs = 0;
  private stopped = false;

  constructor(private readonly opts: DemoMeshOptions) {
    this.network = new MemoryNetwork({ scheduler: opts.scheduler, seed: 7, latencyMs: [40, 400], loss: 0.01 });
    this.localTransport = this.network.transport(LOCAL);
  }

  get routes() {
    return DEMO_ROUTES;
  }

  async start(): Promise<void> {
    this.startedAtMs = this.opts.scheduler.nowMs();
    for (const plan of PLANS) {
      const folder = openNode(join(this.opts.baseDir, 'demo', plan.name), { create: true, name: plan.name });
      const node = createNode({
        ...portsOf(folder),
        name: plan.name,
        scheduler: this.opts.scheduler,
        transports: [this.network.transport(plan.name)],
        version: this.opts.version,
        gossipEveryMs: 3000,
        pollExternalMs: 60_000,
      });
      await node.start();
      this.peers.push({ plan, folder, node });
    }
    for (const [a, b] of WIRES) this.network.connect(a, b);
    this.every(this.opts.fixEveryMs ?? 4000, () => this.emitFixes());
    this.every(9000, () => this.editRecords());
    this.every(this.opts.phaseEveryMs ?? 40_000, () => this.nextPhase());
    this.emitFixes();
  }

  /** A demo peer's node, by its name (hq-nairobi, camp-marsabit, camp-lodwar, relay-isiolo). */
  peer(name: string): MandalaNode | null {
    return this.peers.find((p) => p.plan.name === name)?.node ?? null;
  }

  private every(ms: number, fn: () => void): void {
    this.timers.push(every(this.opts.scheduler, ms, fn));
  }

  private emitFixes(): void {
    const now = this.opts.scheduler.nowMs();
    // Now and then one kit reports a fix far off the road (the fleet projection flags it).
    const glitching = this.rng.chance(0.03) ? this.rng.pick(this.peers.flatMap((p) => p.plan.trucks)).id : null;
    for (const { plan, node } of this.peers) {
      if (plan.trucks.length === 0) continue;
      const fixes = plan.trucks.flatMap((t) => {
        if (t.id === glitching) return [glitchFix(t, now, this.rng)];
        const fix = simulateFix(t, now);
        return t.id === this.deadZone.truckId ? this.deadZone.next(fix, inDeadZone(now - this.startedAtMs)) : [fix];
      });
      if (fixes.length) node.writer.append(fixes.map((f) => ({ kind: KINDS.truckPosition, payload: { ...f } })));
    }
  }

  private editRecords(): void {
    const writers = this.peers.filter((p) => p.plan.writesRecords);
    const { node, plan } = this.rng.pick(writers);
    const n = this.rng.int(1, 6);
    const rid = `${plan.name === 'hq-nairobi' ? 'DL' : 'SA'}-${100 + n}`;
    const drafts = [];
    // A camp creates a record before it first edits it (another camp's edit may still arrive first).
    const records = node.api.projections.records;
    if (records.formOf(rid) === null) drafts.push({ kind: KINDS.recordCreate, payload: { record_id: rid, form: this.rng.pick(RECORD_FORMS) } });
    drafts.push(records.draftSet(rid, 'status', this.rng.pick(STATUSES)));
    if (this.rng.chance(0.3)) drafts.push({ kind: KINDS.noteAdd, payload: { record_id: rid, text: `update from ${plan.name}` } });
    node.writer.append(drafts);
  }

  private nextPhase(): void {
    this.phase = (this.phase + 1) % PHASES.length;
    const groups = PHASES[this.phase]!;
    if (groups) {
      this.network.partition(groups);
      // A writer on each side re-plans the same convoy without seeing the other.
      const sides = groups.map((g) => this.peers.find((p) => p.plan.writesRecords && g.includes(p.plan.name))).filter((p) => p !== undefined);
      if (sides.length === 2) this.later(5000, () => contestedEdit(sides.map((p) => ({ name: p.plan.name, node: p.node.api })), this.rng));
    } else {
      // The convoy's conflict, once both plans meet, stays open for a person to settle.
      this.network.heal();
    }
  }

  private later(ms: number, fn: () => void): void {
    this.timers.push(
      this.opts.scheduler.after(ms, () => {
        if (!this.stopped) fn();
      }),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) t.cancel();
    for (const p of this.peers) {
      await p.node.stop();
      p.folder.store.close();
    }
  }
}
