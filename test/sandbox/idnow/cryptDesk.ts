/**
 * Answers of the `/crypt` variants: the plaintext answer encrypted with the account's key, a log of every
 * encrypted answer with its plaintext (so a test can compare what the client decrypted), and a FIFO of tampering
 * orders that each spoil one upcoming encrypted answer.
 */
import { createHash, randomBytes } from 'node:crypto';

import { bytesResponse, HttpError, streamResponse, type SandboxResponse } from '../framework';
import {
	CRYPT_IV_BYTES,
	CRYPT_TAG_BYTES,
	CRYPT_TAMPER_PARTS,
	encryptIdnowCrypt,
	encryptStream,
	flipBitInBuffer,
	flipBitInStream,
	tamperOffset,
	type CryptTamperPart,
} from './crypt';
import type { GeneratedFile } from './media';

export const CRYPT_NOT_SET_UP = 'Content encryption (/crypt) is not set up for this account';

export interface IdnowCryptEntry {
	path: string;
	at: number;
	contentType: string;
	/** Plaintext and body length in bytes. */
	plaintextLength: number;
	bodyLength: number;
	ivHex: string;
	/** The plaintext, for answers built in memory; null for streamed files (see `videoInfo` for those). */
	plaintextBase64: string | null;
	plaintextSha256: string | null;
	tampered: CryptTamperPart | null;
}

export interface CryptTamper {
	part: CryptTamperPart;
	/** How many upcoming encrypted answers to spoil (default 1). */
	times?: number;
}

export type CryptPlaintext = { bytes: Buffer } | { file: GeneratedFile };

export class CryptDesk {
	private log: IdnowCryptEntry[] = [];
	private tampers: Array<{ part: CryptTamperPart; remaining: number }> = [];

	reset(): void {
		this.log = [];
		this.tampers = [];
	}

	entries(): IdnowCryptEntry[] {
		return this.log.map((entry) => ({ ...entry }));
	}

	pendingTampers(): CryptTamper[] {
		return this.tampers.map(({ part, remaining }) => ({ part, times: remaining }));
	}

	queueTamper(tamper: CryptTamper): void {
		if (!CRYPT_TAMPER_PARTS.includes(tamper.part)) {
			throw new HttpError(400, `part must be one of ${CRYPT_TAMPER_PARTS.join(', ')}`);
		}
		const times = tamper.times ?? 1;
		if (!Number.isInteger(times) || times < 1) throw new HttpError(400, 'times must be a positive integer');
		this.tampers.push({ part: tamper.part, remaining: times });
	}

	/** The 200 answer of a /crypt variant; "the content type header will remain unaltered". */
	respond(
		keyHex: string | null,
		path: string,
		at: number,
		contentType: string,
		plaintext: CryptPlaintext,
	): SandboxResponse {
		if (keyHex === null) throw new HttpError(400, CRYPT_NOT_SET_UP);
		const iv = randomBytes(CRYPT_IV_BYTES);
		const tampered = this.takeTamper();
		const plaintextLength = 'bytes' in plaintext ? plaintext.bytes.length : plaintext.file.length;
		const bodyLength = CRYPT_IV_BYTES + plaintextLength + CRYPT_TAG_BYTES;
		this.log.push({
			path,
			at,
			contentType,
			plaintextLength,
			bodyLength,
			ivHex: iv.toString('hex'),
			plaintextBase64: 'bytes' in plaintext ? plaintext.bytes.toString('base64') : null,
			plaintextSha256: 'bytes' in plaintext ? createHash('sha256').update(plaintext.bytes).digest('hex') : null,
			tampered,
		});
		if ('bytes' in plaintext) {
			const body = encryptIdnowCrypt(plaintext.bytes, keyHex, iv);
			return bytesResponse(
				200,
				tampered === null ? body : flipBitInBuffer(body, tamperOffset(tampered, body.length)),
				contentType,
			);
		}
		const encrypted = encryptStream(plaintext.file.stream(), keyHex, iv);
		const body = tampered === null ? encrypted : flipBitInStream(encrypted, tamperOffset(tampered, bodyLength));
		return streamResponse(200, body, contentType, { 'content-length': String(bodyLength) });
	}

	private takeTamper(): CryptTamperPart | null {
		const next = this.tampers[0];
		if (next === undefined) return null;
		next.remaining -= 1;
		if (next.remaining === 0) this.tampers.shift();
		return next.part;
	}
}
