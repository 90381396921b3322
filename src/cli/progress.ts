// A long verb's progress on stderr: one line rewritten in place on a terminal, and in a log (not
// a terminal) a line at each step of `logEvery` units and at 100%.
export interface ProgressPrinter {
  update(pct: number, units: number, text: string): void;
  done(): void;
}

export function progressPrinter(logEvery: number): ProgressPrinter {
  const tty = process.stderr.isTTY;
  let lastLogged = 0;
  let lastLen = 0;
  return {
    update: (pct, units, text) => {
      if (tty) {
        process.stderr.write(`\r${text}${' '.repeat(Math.max(0, lastLen - text.length))}`);
        lastLen = text.length;
      } else if (units - lastLogged >= logEvery || pct === 100) {
        lastLogged = units;
        process.stderr.write(text + '\n');
      }
    },
    done: () => {
      if (tty && lastLen > 0) process.stderr.write('\n');
    },
  };
}
