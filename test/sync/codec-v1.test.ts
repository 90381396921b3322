// PROVES: the LAN codec carries a hello's fleet id both ways and leaves it out for an open node;
//         a fleet id that is not a 32-byte key is refused as malformed, not trusted.
// CATCHES: a fleet node that cannot tell an open peer from a member of its own fleet.
import { describe, expect, it } from 'vitest';
import { encodeCanonical } from '../../src/core/encoding/canonical';
import { hexToBytes } from '../../src/core/encoding/bytes';
import { CodecV1 } from '../../src/core/sync/codec-v1';
import { crypto, identity } from '../support/feeds';

describe('codec v1 hello', () => {
  const codec = new CodecV1(crypto);
  const node = identity('codec-node').author;
  const fleet = identity('codec-fleet').author;

  it('round_trips_the_fleet_and_omits_it_for_an_open_node', () => {
    const withFleet = codec.decode(codec.encode({ type: 'hello', node, name: 'hq', protocol: 1, fleet }));
    expect(withFleet).toEqual({ ok: true, message: { type: 'hello', node, name: 'hq', protocol: 1, fleet } });
    const open = codec.decode(codec.encode({ type: 'hello', node, name: 'kit', protocol: 1 }));
    expect(open).toEqual({ ok: true, message: { type: 'hello', node, name: 'kit', protocol: 1 } });
  });

  it('refuses_a_fleet_that_is_not_a_key', () => {
    const bytes = encodeCanonical({ t: 'hello', n: hexToBytes(node), name: 'x', v: 1, fl: new Uint8Array(5) });
    expect(codec.decode(bytes)).toMatchObject({ ok: false, code: 'malformed_message' });
  });
});
