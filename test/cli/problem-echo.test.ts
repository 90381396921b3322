// PROVES: `serve` prints each problem on the terminal when it first appears and when its sentence
//         changes, at most once a minute per code, and again after it cleared and came back.
// CATCHES: an unattended node whose GPS or radio trouble shows only in a console nobody opened,
//          or a terminal flooded by thousands of bad lines.
import { expect, it } from 'vitest';
import { VirtualScheduler } from '../../src/core/clock/scheduler';
import { ProblemLog } from '../../src/node/problems/problem-log';
import { echoProblems } from '../../src/cli/problem-echo';

it('problems_reach_the_terminal_once_per_change_and_at_most_once_a_minute', () => {
  const clock = new VirtualScheduler(1_000_000);
  const problems = new ProblemLog(clock);
  problems.warn('store_damaged', 'already there at start');
  const lines: string[] = [];
  echoProblems(problems, (l) => lines.push(l));
  expect(lines).toEqual(['warning: already there at start [store_damaged]']);
  for (let i = 1; i <= 500; i++) problems.warn('gps_garbled', `a line is not NMEA (${i} bad lines so far)`);
  expect(lines.filter((l) => l.includes('gps_garbled')), 'a flood is one line').toEqual(['warning: a line is not NMEA (1 bad lines so far) [gps_garbled]']);
  clock.advance(61_000);
  problems.warn('gps_garbled', 'a line is not NMEA (501 bad lines so far)');
  expect(lines.filter((l) => l.includes('gps_garbled')).length, 'a minute later, the new count').toBe(2);
  problems.clear('gps_garbled');
  problems.warn('gps_garbled', 'a line is not NMEA (1 bad lines so far)');
  expect(lines.filter((l) => l.includes('gps_garbled')).length, 'back after it cleared').toBe(3);
  expect(lines.filter((l) => l.includes('store_damaged')).length, 'an unchanged problem is not repeated').toBe(1);
});
