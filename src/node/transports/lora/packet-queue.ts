// A bounded queue of messages already cut into packets, as the LoRa transmitter serves them: the
// owner's send() is refused when it is full, and the owner hears `drain` once there is room again.

export class PacketQueue {
  readonly queue: Uint8Array[][] = [];
  private wantsDrain = false;

  constructor(
    private readonly limit: number,
    private readonly onDrain: () => void,
  ) {}

  get writable(): boolean {
    return this.queue.length < this.limit;
  }

  /** Queues the packets `make` cuts, or refuses (and remembers to announce the drain). */
  offer(make: () => Uint8Array[] | null): boolean {
    if (!this.writable) {
      this.wantsDrain = true;
      return false;
    }
    const packets = make();
    if (!packets) return false;
    this.queue.push(packets);
    return true;
  }

  /** The transmitter took a whole message: let a refused sender continue. */
  dequeued(): void {
    if (this.wantsDrain && this.writable) {
      this.wantsDrain = false;
      this.onDrain();
    }
  }

  clear(): void {
    this.queue.length = 0;
  }
}
