import { createCipheriv, randomBytes } from 'node:crypto';

import { cryptKeyOf, decryptBody, decryptJson, decryptStream } from '../../../nodes/Idnow/crypt';
import { IDNOW_TEST_AES_KEY, encryptIdnowCrypt } from '../../sandbox/idnow';

const key = Buffer.from(IDNOW_TEST_AES_KEY, 'hex');

async function throughStream(chunks: Buffer[]): Promise<Buffer> {
	const stream = decryptStream(key);
	const output: Buffer[] = [];
	stream.on('data', (chunk: Buffer) => output.push(chunk));
	const done = new Promise<void>((resolve, reject) => {
		stream.on('end', resolve);
		stream.on('error', reject);
	});
	for (const chunk of chunks) stream.write(chunk);
	stream.end();
	await done;
	return Buffer.concat(output);
}

describe('IDnow /crypt', () => {
	it('reads the key from the credential, hex or Base64, and none when empty', () => {
		expect(cryptKeyOf({ aesSecretKey: IDNOW_TEST_AES_KEY })).toEqual(key);
		expect(cryptKeyOf({ aesSecretKey: key.toString('base64') })).toEqual(key);
		expect(cryptKeyOf({ aesSecretKey: ' ' })).toBeUndefined();
		expect(() => cryptKeyOf({ aesSecretKey: 'abc' })).toThrow('The AES key is not a 32-byte key');
	});

	it('decrypts what the sandbox encrypts with a 23-byte IV: whole, as JSON, and as a stream in odd chunks', async () => {
		const plaintext = Buffer.from(JSON.stringify({ Identitfied: '2025-03-01T10:30:00+01:00', IdentData: [] }));
		const body = encryptIdnowCrypt(plaintext, IDNOW_TEST_AES_KEY);
		expect(body.length).toBe(23 + plaintext.length + 16);
		expect(decryptBody(key, body)).toEqual(plaintext);
		expect(decryptJson(key, body, 'identification data')).toEqual(JSON.parse(plaintext.toString()));
		const chunks = [body.subarray(0, 5), body.subarray(5, 30), body.subarray(30, body.length - 3), body.subarray(body.length - 3)];
		expect(await throughStream(chunks)).toEqual(plaintext);
	});

	it('emits nothing from the stream before the tag verifies, and fails on a changed byte', async () => {
		const plaintext = randomBytes(100_000);
		const body = encryptIdnowCrypt(plaintext, IDNOW_TEST_AES_KEY);
		body[5000] ^= 1;
		await expect(throughStream([body])).rejects.toThrow('AES-256-GCM decryption failed: the authentication tag does not match');
		expect(() => decryptBody(key, body)).toThrow('AES-256-GCM decryption failed: the authentication tag does not match');
	});

	it('says so when the decrypted answer is no JSON', () => {
		const iv = randomBytes(23);
		const cipher = createCipheriv('aes-256-gcm', key, iv);
		const body = Buffer.concat([iv, cipher.update('not json'), cipher.final(), cipher.getAuthTag()]);
		expect(() => decryptJson(key, body, 'identification data')).toThrow('The decrypted identification data is not JSON');
	});
});
