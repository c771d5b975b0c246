import { createDecipheriv, createHash, type DecipherGCM } from 'node:crypto';
import { Readable } from 'node:stream';

import { IDNOW_API_PREFIX, IDNOW_TEST_ACCOUNT, IDNOW_TEST_AES_KEY, PLACEHOLDER_VIDEO_BYTES } from './index';
import { apiClient, basic, TESTROBOT_DELAY_MS, useReceiver, useSimulator } from './testing';

const context = useSimulator();
const receiver = useReceiver();
const api = apiClient(context);

async function identified(body: Record<string, unknown> = {}): Promise<string> {
	const answer = await api('PUT', 'putOrder', { body: { Product: 12, Autotest: 'POSITIVE', Ref: 'video-1', ...body } });
	await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
	return answer.body.OrderID;
}

/** Streams a download through sha256 without keeping it, as a client writing to disk would. */
async function download(
	path: string,
	decryptWith?: string,
): Promise<{ status: number; type: string | null; length: number; sha256: string }> {
	const response = await fetch(`${context.base}${IDNOW_API_PREFIX}/${path}`, {
		headers: { authorization: basic(IDNOW_TEST_ACCOUNT) },
	});
	const hash = createHash('sha256');
	let length = 0;
	let held = Buffer.alloc(0);
	let decipher: DecipherGCM | undefined;
	for await (const raw of Readable.fromWeb(response.body as never)) {
		const chunk = raw as Buffer;
		if (decryptWith === undefined) {
			hash.update(chunk);
			length += chunk.length;
			continue;
		}
		held = Buffer.concat([held, chunk]);
		if (decipher === undefined && held.length >= 23) {
			decipher = createDecipheriv('aes-256-gcm', Buffer.from(decryptWith, 'hex'), held.subarray(0, 23));
			held = held.subarray(23);
		}
		if (decipher !== undefined && held.length > 16) {
			const plain = decipher.update(held.subarray(0, held.length - 16));
			hash.update(plain);
			length += plain.length;
			held = held.subarray(held.length - 16);
		}
	}
	if (decipher !== undefined) {
		decipher.setAuthTag(held);
		decipher.final();
	}
	return { status: response.status, type: response.headers.get('content-type'), length, sha256: hash.digest('hex') };
}

describe('video recordings (3.9, 3.10)', () => {
	it('serves a placeholder before provisioning, calls back by GET after the delay, then serves the recording', async () => {
		const orderId = await identified();
		const placeholder = await download(`getVideoFileBinary/${orderId}`);
		expect(placeholder).toMatchObject({ status: 200, type: 'video/mp4', length: PLACEHOLDER_VIDEO_BYTES });

		const callbackUrl = `${receiver.origin}/hook/video?order=[OrderID]&ref=[Ref]`;
		expect(await api('POST', `getVideoFileBinaryAsync/${orderId}`, { body: { callbackUrl } })).toMatchObject({
			status: 200,
			body: {},
		});
		await context.idnow.advanceClock(59_999);
		expect(receiver.received()).toEqual([]);
		await context.idnow.advanceClock(1);
		expect(receiver.received()).toEqual([
			{ method: 'GET', path: '/hook/video', query: { order: orderId, ref: 'video-1' }, body: '' },
		]);

		const info = await context.idnow.videoInfo(orderId);
		expect(info).toMatchObject({ mime: 'video/mp4', length: 2 * 1024 * 1024, provisioned: true });
		const video = await download(`getVideoFileBinary/${orderId}`);
		expect(video).toEqual({ status: 200, type: 'video/mp4', length: info.length, sha256: info.sha256 });
		expect(video.sha256).not.toBe(placeholder.sha256);
	});

	it('streams a large video of the configured size and format, decrypted on the fly from /crypt', async () => {
		context.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, {
			videoSizeBytes: 48 * 1024 * 1024 + 7,
			videoFormat: 'webm',
			videoProvisioningDelayMs: 0,
		});
		const orderId = await identified();
		await api('POST', `getVideoFileBinaryAsync/${orderId}`, { body: { callbackUrl: `${receiver.origin}/hook/v` } });
		await context.idnow.settle();
		const info = await context.idnow.videoInfo(orderId);
		expect(info).toMatchObject({ mime: 'video/webm', length: 48 * 1024 * 1024 + 7 });
		const crypt = await download(`getVideoFileBinary/${orderId}/crypt`, IDNOW_TEST_AES_KEY);
		expect(crypt).toEqual({ status: 200, type: 'video/webm', length: info.length, sha256: info.sha256 });
		expect(context.idnow.cryptLog()[0]).toMatchObject({
			plaintextLength: info.length,
			bodyLength: info.length + 39,
			plaintextBase64: null,
		});
	});

	it('answers 400 for orders without a recording or not final, and for a missing callbackUrl', async () => {
		const eid = await identified({ Product: 13 });
		expect((await api('GET', `getVideoFileBinary/${eid}`)).body.Error).toContain('No video recording');
		const open = (await api('PUT', 'putOrder', { body: { Product: 12 } })).body.OrderID;
		expect(
			(await api('POST', `getVideoFileBinaryAsync/${open}`, { body: { callbackUrl: 'https://x.example/' } })).body
				.Error,
		).toBe('Order has not been finally processed yet');
		const video = await identified();
		expect((await api('POST', `getVideoFileBinaryAsync/${video}`, { body: {} })).status).toBe(400);
		expect(
			(await api('POST', 'getVideoFileBinaryAsync/99900000000000', { body: { callbackUrl: 'https://x.example/' } }))
				.status,
		).toBe(404);
	});

	it('records video only when the account or the order (Add 131072) says so', async () => {
		context.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, { recordVideo: false });
		const without = await identified();
		const withAdd = await identified({ Add: 131072 });
		expect((await api('GET', `getVideoFileBinary/${without}`)).status).toBe(400);
		expect((await api('GET', `getVideoFileBinary/${withAdd}`)).status).toBe(200);
	});

	it("calls every waiting callback once the video is ready, and a later request's at once", async () => {
		const orderId = await identified();
		await api('POST', `getVideoFileBinaryAsync/${orderId}`, { body: { callbackUrl: `${receiver.origin}/hook/a` } });
		await api('POST', `getVideoFileBinaryAsync/${orderId}`, { body: { callbackUrl: `${receiver.origin}/hook/b` } });
		await context.idnow.advanceClock(60_000);
		await api('POST', `getVideoFileBinaryAsync/${orderId}`, { body: { callbackUrl: `${receiver.origin}/hook/c` } });
		await context.idnow.settle();
		expect(receiver.received().map((call) => call.path)).toEqual(['/hook/a', '/hook/b', '/hook/c']);
	});
});

describe('voice files (3.11)', () => {
	it("serves the recording as Base64 MP3 in the document's shape", async () => {
		const orderId = await identified();
		const answer = await api('GET', `getVoiceFiles/${orderId}`);
		expect(answer.body).toEqual({
			Voicefiles: [
				{ Filename: expect.stringMatching(/^sound_\d{1,4}\.mp3$/), Base64Data: expect.stringMatching(/^\/\/uQBAAA/) },
			],
		});
	});

	it('has none when the account keeps no voice recordings', async () => {
		context.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, { recordVoice: false });
		const orderId = await identified();
		expect((await api('GET', `getVoiceFiles/${orderId}`)).body).toEqual({ Voicefiles: [] });
	});
});
