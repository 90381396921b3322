// The node identity: an Ed25519 key pair kept in the data folder, readable only by its owner.
// The secret key stays inside this module's Signer; nothing else ever sees it.
import { createPrivateKey, createPublicKey, generateKeyPairSync, hkdfSync, sign as edSign, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { Signer } from '../../core/crypto/ports';
import { toHex } from '../../core/encoding/bytes';
import { MandalaError } from '../errors';
import { isImportedAuthor } from '../../core/import/imported-author';

export const IDENTITY_FILE = 'identity.pem';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export class NodeIdentity implements Signer {
  readonly publicKey: Uint8Array;
  readonly author: string;

  private constructor(private readonly secret: KeyObject) {
    const der = createPublicKey(secret).export({ format: 'der', type: 'spki' });
    this.publicKey = new Uint8Array(der.subarray(der.length - 32));
    this.author = toHex(this.publicKey);
  }

  sign(message: Uint8Array): Uint8Array {
    return new Uint8Array(edSign(null, message, this.secret));
  }

  static generate(): NodeIdentity {
    // Keys starting 0x0000 are reserved for imported (unsigned) feeds; about 1 in 65,536 is rerolled.
    for (;;) {
      const id = new NodeIdentity(generateKeyPairSync('ed25519').privateKey);
      if (!isImportedAuthor(id.author)) return id;
    }
  }

  /** A deterministic identity from a 32-byte seed: for golden vectors, tests and demo peers. */
  static fromSeed(seed: Uint8Array): NodeIdentity {
    if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
    const der = Buffer.concat([PKCS8_ED25519_PREFIX, seed]);
    return new NodeIdentity(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
  }

  /**
   * A second identity derived from this one (HKDF-SHA256 over the secret seed), for a feed this
   * node keeps apart from its own, such as its evidence reports. Deterministic: the same node
   * always derives the same key, so nothing more needs backing up.
   */
  deriveSubIdentity(label: string): NodeIdentity {
    const der = this.secret.export({ format: 'der', type: 'pkcs8' });
    const seed = der.subarray(der.length - 32);
    for (let round = 0; ; round++) {
      const sub = NodeIdentity.fromSeed(new Uint8Array(hkdfSync('sha256', seed, 'mandala', `mandala/sub-identity/${label}/${round}`, 32)));
      if (!isImportedAuthor(sub.author)) return sub;
    }
  }

  /**
   * The identity as the static keys of the LAN handshake (Noise over Ed25519, libsodium's layout:
   * the 32-byte seed then the public key). Only the handshake library receives it.
   */
  handshakeKeyPair(): { publicKey: Buffer; secretKey: Buffer } {
    const der = this.secret.export({ format: 'der', type: 'pkcs8' });
    const publicKey = Buffer.from(this.publicKey);
    return { publicKey, secretKey: Buffer.concat([der.subarray(der.length - 32), publicKey]) };
  }

  /** Writes the secret key with owner-only permissions. */
  save(path: string): void {
    const pem = this.secret.export({ format: 'pem', type: 'pkcs8' }) as string;
    writeFileSync(path, pem, { mode: 0o600, flag: 'wx' });
  }

  /**
   * Loads a key file. A file others can read is tightened to owner-only (and reported through
   * `onWarning`), as ssh would insist.
   */
  static load(path: string, onWarning: (msg: string) => void = () => {}): NodeIdentity {
    if (!existsSync(path)) {
      throw new MandalaError('identity_missing', `no node identity at ${path}; run \`mandala init\` for this data folder`);
    }
    if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
      chmodSync(path, 0o600);
      onWarning(`identity key ${path} was readable by other users; its permissions are now owner-only (0600)`);
    }
    let key: KeyObject;
    try {
      key = createPrivateKey(readFileSync(path));
    } catch (e) {
      throw new MandalaError('identity_corrupt', `the identity key ${path} cannot be read (${(e as Error).message}); restore it from a backup`);
    }
    if (key.asymmetricKeyType !== 'ed25519') {
      throw new MandalaError('identity_corrupt', `the identity key ${path} is not an Ed25519 key`);
    }
    const id = new NodeIdentity(key);
    if (isImportedAuthor(id.author)) {
      throw new MandalaError('identity_reserved', `the identity key ${path} starts with 0000, which marks imported feeds; peers would not accept its signatures. Create a new node folder with \`mandala init\``);
    }
    return id;
  }
}
