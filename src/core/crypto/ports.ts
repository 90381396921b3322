// The crypto the core needs, as ports. The core never imports a crypto library: the node layer
// supplies node:crypto (and could supply WebCrypto). Keeping secret keys behind `Signer` means
// the core can sign without ever holding key material.

export interface Hasher {
  /** SHA-256 of `data`, 32 bytes. */
  sha256(data: Uint8Array): Uint8Array;
  /** An incremental SHA-256, for hashing large canonical states without one giant buffer. */
  sha256Stream(): HashStream;
}

export interface HashStream {
  update(data: Uint8Array): void;
  digest(): Uint8Array;
}

export interface SignatureVerifier {
  /** True when `signature` is a valid Ed25519 signature of `message` by `publicKey` (32 bytes). */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

export interface CryptoPort extends Hasher, SignatureVerifier {}

/** A node identity that can sign. The secret key never leaves the implementation. */
export interface Signer {
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;
export const SHA256_BYTES = 32;
