/**
 * The optional content encryption of chapter 9.4: AES-256/GCM/NoPadding with the account's pre-shared key, the
 * body being a 23-byte IV, the ciphertext and the 16-byte GCM tag (what Java's AES/GCM/NoPadding appends). Also
 * the sandbox's tampering (one flipped bit in the IV, the ciphertext or the tag) for the client's error paths.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

export const CRYPT_IV_BYTES = 23;
export const CRYPT_TAG_BYTES = 16;

export type CryptTamperPart = 'iv' | 'ciphertext' | 'tag';
export const CRYPT_TAMPER_PARTS: readonly CryptTamperPart[] = ['iv', 'ciphertext', 'tag'];

export function parseAesKey(hex: string): Buffer {
	if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new RangeError('an AES-256 key is 64 hex characters');
	return Buffer.from(hex, 'hex');
}

/** IV ‖ ciphertext ‖ tag of a whole buffer. */
export function encryptIdnowCrypt(plaintext: Buffer, keyHex: string, iv: Buffer = randomBytes(CRYPT_IV_BYTES)): Buffer {
	const cipher = createCipheriv('aes-256-gcm', parseAesKey(keyHex), iv);
	return Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** The inverse, for tests; throws when the tag does not verify. */
export function decryptIdnowCrypt(body: Buffer, keyHex: string): Buffer {
	if (body.length < CRYPT_IV_BYTES + CRYPT_TAG_BYTES) throw new RangeError('crypt body shorter than IV and tag');
	const iv = body.subarray(0, CRYPT_IV_BYTES);
	const tag = body.subarray(body.length - CRYPT_TAG_BYTES);
	const decipher = createDecipheriv('aes-256-gcm', parseAesKey(keyHex), iv);
	decipher.setAuthTag(tag);
	return Buffer.concat([
		decipher.update(body.subarray(CRYPT_IV_BYTES, body.length - CRYPT_TAG_BYTES)),
		decipher.final(),
	]);
}

/** The same layout, encrypted as the plaintext streams by: a large video never sits in memory. */
export function encryptStream(plaintext: Readable, keyHex: string, iv: Buffer = randomBytes(CRYPT_IV_BYTES)): Readable {
	const cipher = createCipheriv('aes-256-gcm', parseAesKey(keyHex), iv);
	async function* encrypted(): AsyncGenerator<Buffer> {
		yield iv;
		for await (const chunk of plaintext) yield cipher.update(chunk as Buffer);
		const rest = cipher.final();
		if (rest.length > 0) yield rest;
		yield cipher.getAuthTag();
	}
	return Readable.from(encrypted(), { objectMode: false });
}

/** Where the flipped bit lands in a crypt body of `length` bytes. */
export function tamperOffset(part: CryptTamperPart, length: number): number {
	if (part === 'iv') return 0;
	if (part === 'tag') return length - 1;
	return CRYPT_IV_BYTES;
}

export function flipBitInBuffer(body: Buffer, offset: number): Buffer {
	const copy = Buffer.from(body);
	copy[offset] ^= 0x01;
	return copy;
}

/** A copy of `source` with the lowest bit of the byte at `offset` flipped, as it streams. */
export function flipBitInStream(source: Readable, offset: number): Readable {
	async function* flipped(): AsyncGenerator<Buffer> {
		let position = 0;
		for await (const raw of source) {
			const chunk = raw as Buffer;
			const end = position + chunk.length;
			yield offset >= position && offset < end ? flipBitInBuffer(chunk, offset - position) : chunk;
			position = end;
		}
	}
	return Readable.from(flipped(), { objectMode: false });
}
