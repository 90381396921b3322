// A map that forgets its oldest keys past a total weight, in constant time per insert (no scan
// over deleted entries): the tracing's bound on what it remembers of deliveries.
export class BoundedMap<K, V> {
  readonly map = new Map<K, V>();
  private order: K[] = [];
  private head = 0;
  private weight = 0;

  constructor(
    private readonly max: number,
    private readonly weigh: (v: V) => number = () => 1,
  ) {}

  set(k: K, v: V): void {
    if (!this.map.has(k)) this.order.push(k);
    else this.weight -= this.weigh(this.map.get(k)!);
    this.map.set(k, v);
    this.weight += this.weigh(v);
    while (this.weight > this.max && this.head < this.order.length) {
      const old = this.order[this.head++]!;
      const gone = this.map.get(old);
      if (gone !== undefined) this.weight -= this.weigh(gone);
      this.map.delete(old);
    }
    if (this.head > 4096 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }

  delete(k: K): void {
    const v = this.map.get(k);
    if (v === undefined) return;
    this.weight -= this.weigh(v);
    this.map.delete(k);
  }
}
