import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const DATE = '\u0000d';
const BUF = '\u0000b';
const BIG = '\u0000n';

/** JSON with Date, Buffer and BigInt preserved (tagged with keys that cannot come from SQL column names). */
export function encodeJson(payload: unknown): string {
  return JSON.stringify(payload, function (this: any, key: string, value: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return { [DATE]: raw.getTime() };
    if (Buffer.isBuffer(raw)) return { [BUF]: raw.toString('base64') };
    if (typeof raw === 'bigint') return { [BIG]: raw.toString() };
    return value;
  });
}

/** Inverse of {@link encodeJson}. */
export function decodeJson(text: string): unknown {
  return JSON.parse(text, (_key, value) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      if (DATE in value) return new Date(value[DATE]);
      if (BUF in value) return Buffer.from(value[BUF], 'base64');
      if (BIG in value) return BigInt(value[BIG]);
    }
    return value;
  });
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** AES-256-GCM: `iv(12) | tag(16) | ciphertext`, authenticated together with `aad` (the cache key). */
export function encrypt(key: Buffer, plain: Buffer, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad));
  const body = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]);
}

/** Inverse of {@link encrypt}; throws when the value was tampered with or moved to another key. */
export function decrypt(key: Buffer, sealed: Buffer, aad: string): Buffer {
  const iv = sealed.subarray(0, IV_BYTES);
  const tag = sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
  const d = createDecipheriv('aes-256-gcm', key, iv);
  d.setAAD(Buffer.from(aad));
  d.setAuthTag(tag);
  return Buffer.concat([d.update(sealed.subarray(IV_BYTES + TAG_BYTES)), d.final()]);
}
