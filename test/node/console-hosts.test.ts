// PROVES: the names a console answers to follow what it is bound to, and the start-up lines say
//         what is exposed: nothing beyond this machine on loopback; beyond it, the token file and
//         who may sync (anyone for an open node, only admitted members for a fleet node).
// CATCHES: an operator told "only the fleet" on an open node, or a console answering to every name.
import { describe, expect, it } from 'vitest';
import { consoleHosts, exposureLines } from '../../src/node/api/console-hosts';

describe('console names and exposure', () => {
  it('answers_to_loopback_names_plus_the_bound_address_and_allowed_names', () => {
    expect(consoleHosts('127.0.0.1').sort()).toEqual(['127.0.0.1', '::1', 'localhost']);
    expect(consoleHosts('10.1.2.3', ['camp.example']).sort()).toEqual(['10.1.2.3', '127.0.0.1', '::1', 'camp.example', 'localhost']);
  });

  it('says_who_may_sync_by_whether_the_node_is_in_a_fleet', () => {
    expect(exposureLines('127.0.0.1', 7420, { fleet: null, tokenFile: 'T' })).toEqual([expect.stringMatching(/this machine only/)]);
    const open = exposureLines('10.1.2.3', 7420, { fleet: null, tokenFile: 'DIR/console-token' }).join('\n');
    expect(open).toMatch(/port 7420 on 10\.1\.2\.3 is reachable/);
    expect(open).toContain('also in DIR/console-token');
    expect(open).toMatch(/this node is open, so any machine can sync/);
    const fleet = exposureLines('10.1.2.3', 7420, { fleet: { id: 'ab'.repeat(32), name: 'Relief North' }, tokenFile: 'T' }).join('\n');
    expect(fleet).toMatch(/only nodes of fleet Relief North that an admin admitted/);
    expect(fleet).not.toMatch(/open/);
  });
});
