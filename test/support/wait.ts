// Waiting for a condition in real time, for tests that drive real sockets, processes and
// browsers. It polls; it never sleeps a fixed time and hopes.
export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000, everyMs = 20): Promise<void> {
  const deadline = performanceNow() + timeoutMs;
  while (!(await cond())) {
    if (performanceNow() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function performanceNow(): number {
  return process.hrtime.bigint() === 0n ? 0 : Number(process.hrtime.bigint() / 1_000_000n);
}
