import { createDecipheriv } from 'node:crypto';

import {
	CRYPT_IV_BYTES,
	CRYPT_TAG_BYTES,
	decryptIdnowCrypt,
	encryptIdnowCrypt,
	IDNOW_SECOND_ACCOUNT,
	IDNOW_TEST_AES_KEY,
} from './index';
import { apiClient, control, TESTROBOT_DELAY_MS, useSimulator } from './testing';

const context = useSimulator();
const api = apiClient(context);

/** What a client does with node:crypto: 23-byte IV, ciphertext, 16-byte GCM tag, the pre-shared key. */
function decrypt(body: Buffer, keyHex = IDNOW_TEST_AES_KEY): Buffer {
	const iv = body.subarray(0, 23);
	const decipher = createDecipheriv('aes-256-gcm', Buffer.from(keyHex, 'hex'), iv);
	decipher.setAuthTag(body.subarray(body.length - 16));
	return Buffer.concat([decipher.update(body.subarray(23, body.length - 16)), decipher.final()]);
}

async function identified(body: Record<string, unknown> = {}): Promise<string> {
	const answer = await api('PUT', 'putOrder', { body: { Product: 12, Autotest: 'POSITIVE', ...body } });
	await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
	return answer.body.OrderID;
}

describe('/crypt (9.4)', () => {
	it('encrypts getIdentData as 23-byte IV ‖ ciphertext ‖ 16-byte tag, content type unaltered', async () => {
		const orderId = await identified();
		const plain = await api('GET', `getIdentData/${orderId}/IncludeInitialData`);
		const crypt = await api('GET', `getIdentData/${orderId}/IncludeInitialData/crypt`);
		expect(crypt.status).toBe(200);
		expect(crypt.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(crypt.raw.length).toBe(CRYPT_IV_BYTES + plain.raw.length + CRYPT_TAG_BYTES);
		expect(decrypt(crypt.raw)).toEqual(plain.raw);
	});

	it('logs each encrypted answer with its plaintext (the control shows it too)', async () => {
		const orderId = await identified();
		const crypt = await api('GET', `getIdentDataPDF/${orderId}/crypt`);
		expect(crypt.headers.get('content-type')).toBe('application/pdf');
		const [entry] = context.idnow.cryptLog();
		expect(entry).toMatchObject({
			path: `/api/2.10/getIdentDataPDF/${orderId}/crypt`,
			contentType: 'application/pdf',
			tampered: null,
		});
		expect(Buffer.from(entry.plaintextBase64 ?? '', 'base64')).toEqual(decrypt(crypt.raw));
		expect(entry.ivHex).toBe(crypt.raw.subarray(0, 23).toString('hex'));
		const viaControl = await control(context, 'GET', '/crypt');
		expect(viaControl.body.entries).toEqual([entry]);
	});

	it('covers the Signed variant, voice files and signed eSign PDFs too', async () => {
		const orderId = await identified();
		const signed = await api('GET', `getIdentData/${orderId}/Signed/crypt`);
		expect(decrypt(signed.raw).toString()).toMatch(/^[A-Za-z0-9+/]+=*$/);
		const voice = await api('GET', `getVoiceFiles/${orderId}/crypt`);
		expect(JSON.parse(decrypt(voice.raw).toString()).Voicefiles).toHaveLength(1);
	});

	it.each(['iv', 'ciphertext', 'tag'] as const)(
		'spoils the next answer when the %s is tampered with: the tag no longer verifies',
		async (part) => {
			const orderId = await identified();
			expect(context.idnow.tamperCrypt({ part })).toEqual([{ part, times: 1 }]);
			const spoiled = await api('GET', `getIdentData/${orderId}/crypt`);
			expect(() => decrypt(spoiled.raw)).toThrow(/unable to authenticate/i);
			expect(context.idnow.cryptLog()[0].tampered).toBe(part);
			const next = await api('GET', `getIdentData/${orderId}/crypt`);
			expect(() => decrypt(next.raw)).not.toThrow();
		},
	);

	it('accepts tampering orders over HTTP and refuses unknown parts', async () => {
		expect((await control(context, 'POST', '/crypt/tamper', { part: 'tag', times: 2 })).body).toEqual({
			pendingTampers: [{ part: 'tag', times: 2 }],
		});
		expect((await control(context, 'POST', '/crypt/tamper', { part: 'header' })).status).toBe(400);
	});

	it('answers 400 for an account without a key', async () => {
		const answer = await api('PUT', 'putOrder', {
			body: { Product: 12, Autotest: 'POSITIVE' },
			credentials: IDNOW_SECOND_ACCOUNT,
		});
		await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
		const crypt = await api('GET', `getIdentData/${answer.body.OrderID}/crypt`, { credentials: IDNOW_SECOND_ACCOUNT });
		expect(crypt).toMatchObject({
			status: 400,
			body: { Error: 'Content encryption (/crypt) is not set up for this account' },
		});
	});

	it('encrypts with the key configured for the account', async () => {
		const key = 'ab'.repeat(32);
		context.idnow.configureAccount('idnow-sandbox', { aesKey: key });
		const orderId = await identified();
		const crypt = await api('GET', `getIdentData/${orderId}/crypt`);
		expect(() => decrypt(crypt.raw)).toThrow();
		expect(JSON.parse(decrypt(crypt.raw, key).toString()).Identitfied).toBeDefined();
	});

	it('exports helpers with the same layout', () => {
		const body = encryptIdnowCrypt(Buffer.from('hello'), IDNOW_TEST_AES_KEY);
		expect(body.length).toBe(23 + 5 + 16);
		expect(decrypt(body).toString()).toBe('hello');
		expect(decryptIdnowCrypt(body, IDNOW_TEST_AES_KEY).toString()).toBe('hello');
	});
});
