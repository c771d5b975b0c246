/**
 * The `/crypt` variants (3.3.3, 3.4.3, 3.5.3, 3.10.3, 3.11.2): AES-256/GCM/NoPadding with the key agreed with IDnow,
 * the answer being a 23-byte IV, the ciphertext and the 16-byte tag. The key lives in the credential; whenever it is
 * set, results are requested encrypted and decrypted here, so nodes downstream only ever see plaintext.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { createGcmDecryptStream, decryptGcmBuffer, parseAes256Key, type ByteTransform, type GcmOptions } from '../shared/binary';
import { InputError } from '../shared/errors';
import { parseJson } from '../shared/util';
import { IDNOW_CRYPT_IV_BYTES, IDNOW_CRYPT_TAG_BYTES } from './constants';

const GCM: GcmOptions = { ivLength: IDNOW_CRYPT_IV_BYTES, tagLength: IDNOW_CRYPT_TAG_BYTES };

/** The credential's AES key, or undefined when none is set (results then come unencrypted). */
export function cryptKeyOf(credentials: ICredentialDataDecryptedObject): Buffer | undefined {
	const text = typeof credentials.aesSecretKey === 'string' ? credentials.aesSecretKey.trim() : '';
	return text === '' ? undefined : parseAes256Key(text);
}

/** The path suffix of a call: `/crypt` when the credential holds a key. */
export function cryptSuffix(key: Buffer | undefined): string {
	return key ? '/crypt' : '';
}

/** A whole encrypted answer (identification data, voice files, signed PDFs): plaintext only once the tag verifies. */
export function decryptBody(key: Buffer, body: Buffer): Buffer {
	return decryptGcmBuffer(key, body, GCM);
}

/** An encrypted JSON answer as its value; `what` names the answer in the error when the plaintext is no JSON. */
export function decryptJson<T>(key: Buffer, body: Buffer, what: string): T {
	const parsed = parseJson(decryptBody(key, body).toString('utf8'));
	if (parsed === undefined) {
		throw new InputError(
			`The decrypted ${what} is not JSON`,
			'The tag verified, so IDnow sent exactly this: check that the account answers this call with JSON, or ask IDnow.',
		);
	}
	return parsed as T;
}

/**
 * A decipher for downloads (PDFs, videos): the file streams through it and is never held whole; the last 16 bytes
 * are held back as the tag, and a tag that does not verify fails the stream, so nothing unauthenticated is kept.
 */
export function decryptStream(key: Buffer): ByteTransform {
	return createGcmDecryptStream(key, GCM);
}
