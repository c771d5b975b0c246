import { IDNOW_TEST_ACCOUNT, PLACEHOLDER_VIDEO_BYTES } from '../../sandbox/idnow';
import { IdnowTrigger } from '../../../nodes/Idnow/IdnowTrigger.node';
import { json, runWebhook, startTestServer, storedBinaryFiles, type TestServer } from '../../harness';
import {
	credentialStore,
	errorOf,
	finishedOrder,
	firstJson,
	idnowAnswer,
	runner,
	sha256,
	useIdnow,
	WEBHOOK_TOKEN,
} from './fixture';

const fixture = useIdnow();
const run = runner(fixture);
const TRIGGER_URL = 'http://127.0.0.1:9/webhook/4f1c2a/idnow';
const PROVISIONING_DELAY_MS = 60_000;

/** What the IDnow Trigger emits for a Video Ready call (the fields Get Video reads). */
function videoReadyEvent(orderId: string) {
	return {
		json: { provider: 'idnow', event: 'VideoReady', transactionId: orderId, kind: 'VideoReady', OrderID: orderId, Ref: 'part2-test' },
	};
}

async function provisioned(body: Record<string, unknown> = {}): Promise<string> {
	const orderId = await finishedOrder(fixture, body);
	fixture.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, { videoProvisioningDelayMs: 0 });
	await run('recording', 'requestVideoProvisioning', { orderId, triggerUrl: TRIGGER_URL });
	await fixture.idnow.settle();
	return orderId;
}

describe('Recording → Request Video Provisioning', () => {
	it("has IDnow call the IDnow Trigger's Video Ready URL, with the Webhook Token and the OrderID filled in", async () => {
		const orderId = await finishedOrder(fixture);
		const { output } = await run('recording', 'requestVideoProvisioning', { orderId, triggerUrl: `${TRIGGER_URL}/` });
		expect(output[0].map((item) => item.json)).toEqual([{ OrderID: orderId, videoProvisioningRequested: true }]);
		expect(JSON.stringify(output)).not.toContain(WEBHOOK_TOKEN);

		expect(await fixture.idnow.advanceClock(PROVISIONING_DELAY_MS - 1)).toEqual([]);
		const [callback] = await fixture.idnow.advanceClock(1);
		expect(callback).toMatchObject({ webhook: 'VideoReady', method: 'GET', orderId });
		expect(callback.url).toBe(`${TRIGGER_URL}?kind=VideoReady&orderId=${orderId}&ref=part2-test&token=${WEBHOOK_TOKEN}`);
	});

	it('sends a custom callback URL with [OrderID] replaced', async () => {
		const orderId = await finishedOrder(fixture);
		await run('recording', 'requestVideoProvisioning', {
			orderId,
			callbackTarget: 'custom',
			callbackUrl: 'https://crm.example.com/video-ready?order=[OrderID]',
		});
		const sent = JSON.parse(fixture.idnow.requests({ method: 'POST' }).at(-1)!.body.toString());
		expect(sent).toEqual({ callbackUrl: `https://crm.example.com/video-ready?order=${orderId}` });
	});

	it.each([
		// Empty values through expressions: n8n itself refuses a required parameter left empty.
		[{ triggerUrl: '={{ "" }}' }, 'The IDnow Trigger URL is empty'],
		[
			{ triggerUrl: 'https://n8n.example.com/webhook/4f1c2a/other' },
			'The IDnow Trigger URL "https://n8n.example.com/webhook/4f1c2a/other" does not end in /idnow, as IDnow Trigger URLs do',
		],
		[{ callbackTarget: 'custom', callbackUrl: '={{ "" }}' }, 'The Callback URL is empty'],
		[{ callbackTarget: 'custom', callbackUrl: 'crm.example.com/video' }, 'The Callback URL "crm.example.com/video" is not an absolute URL'],
		[{ callbackTarget: 'custom', callbackUrl: 'ftp://crm.example.com/video' }, 'The Callback URL must start with https:// or http://, not ftp://'],
		[{ orderId: 'not an id', triggerUrl: TRIGGER_URL }, '"not an id" is not an IDnow OrderID'],
	])('refuses %j before calling IDnow', async (parameters, message) => {
		const error = await errorOf(run('recording', 'requestVideoProvisioning', { orderId: '99900000000001', ...parameters }));
		expect(error.message).toBe(message);
		expect(fixture.idnow.requests({ method: 'POST' })).toEqual([]);
	});

	it('refuses to build the trigger URL without a Webhook Token in the credential', async () => {
		const orderId = await finishedOrder(fixture);
		const credentials = credentialStore({ ...fixture.plain.data('idnowApi'), webhookToken: '' });
		const error = await errorOf(run('recording', 'requestVideoProvisioning', { orderId, triggerUrl: TRIGGER_URL }, { credentials }));
		expect(error.message).toBe('The IDnow credential has no Webhook Token');
	});

	it("explains IDnow's 400 (no recording, order not final) and 404", async () => {
		const open = String(fixture.idnow.createOrderDirect({ Product: 12 }).OrderID);
		const notFinal = await errorOf(run('recording', 'requestVideoProvisioning', { orderId: open, triggerUrl: TRIGGER_URL }));
		expect(notFinal).toMatchObject({ httpCode: '400', message: 'IDnow: Order has not been finally processed yet' });
		expect(notFinal.description).toContain('IDnow has no recording for this order (yet)');
		const eid = await finishedOrder(fixture, { Product: 13 });
		const noVideo = await errorOf(run('recording', 'requestVideoProvisioning', { orderId: eid, triggerUrl: TRIGGER_URL }));
		expect(noVideo.message).toContain('No video recording for this order');
		const unknown = await errorOf(run('recording', 'requestVideoProvisioning', { orderId: '99900000000000', triggerUrl: TRIGGER_URL }));
		expect(unknown.httpCode).toBe('404');
		expect(unknown.description).toContain('IDnow knows no order with this OrderID');
	});
});

describe('Recording → Get Video', () => {
	it("streams the provisioned video into a binary field: the sandbox's bytes, type and a name from the OrderID", async () => {
		const orderId = await provisioned();
		const info = await fixture.idnow.videoInfo(orderId);
		const result = await run('recording', 'getVideo', { orderId }, { items: [videoReadyEvent(orderId)] });
		expect(firstJson(result.output)).toEqual({
			OrderID: orderId,
			fileName: `${orderId}.mp4`,
			mimeType: 'video/mp4',
			bytes: info.length,
			decrypted: false,
			videoReadyConfirmed: true,
			warning: null,
		});
		const stored = await result.binary(0, 'data');
		expect(stored).toMatchObject({ mimeType: 'video/mp4', fileExtension: 'mp4', storedOnDisk: true });
		expect(sha256(stored.data)).toBe(info.sha256);
	});

	it("counts the IDnow Trigger's own Video Ready event (from IDnow's callback) as the confirmation", async () => {
		const orderId = await finishedOrder(fixture);
		await run('recording', 'requestVideoProvisioning', { orderId, triggerUrl: TRIGGER_URL });
		const [callback] = await fixture.idnow.advanceClock(PROVISIONING_DELAY_MS);
		const delivered = await runWebhook(new IdnowTrigger(), {
			parameters: { events: ['VideoReady'] },
			credentials: fixture.plain,
			// IDnow calls from its published ranges (10.1), which the trigger allows by default.
			request: { method: 'GET', query: Object.fromEntries(new URL(callback.url).searchParams), body: '', ip: '212.211.189.140', headers: {} },
		});
		expect(delivered.ran).toBe(true);
		const result = await run('recording', 'getVideo', { orderId }, { items: delivered.workflowData![0] });
		expect(firstJson(result.output)).toMatchObject({ videoReadyConfirmed: true, warning: null });
		expect(sha256((await result.binary(0)).data)).toBe((await fixture.idnow.videoInfo(orderId)).sha256);
	});

	it('takes WebM from the response and puts the file in the field asked for', async () => {
		fixture.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, { videoFormat: 'webm' });
		const orderId = await provisioned();
		const result = await run('recording', 'getVideo', { orderId, binaryPropertyName: 'recording', options: { videoReady: true } });
		expect(firstJson(result.output)).toMatchObject({ fileName: `${orderId}.webm`, mimeType: 'video/webm', warning: null });
		expect((await result.binary(0, 'recording')).fileExtension).toBe('webm');
	});

	it('decrypts /crypt on the way when the credential holds the AES key', async () => {
		const orderId = await provisioned();
		const info = await fixture.idnow.videoInfo(orderId);
		const result = await run('recording', 'getVideo', { orderId, options: { videoReady: true } }, { credentials: fixture.crypt });
		expect(firstJson(result.output)).toMatchObject({ decrypted: true, bytes: info.length, mimeType: 'video/mp4' });
		expect(sha256((await result.binary(0)).data)).toBe(info.sha256);
		expect(fixture.idnow.cryptLog()).toEqual([
			expect.objectContaining({ path: `/api/2.10/getVideoFileBinary/${orderId}/crypt`, plaintextLength: info.length }),
		]);
	});

	it('warns that the video may be a placeholder when no Video Ready callback came before', async () => {
		const orderId = await finishedOrder(fixture);
		const other = videoReadyEvent('99900000000001');
		const result = await run('recording', 'getVideo', { orderId }, { items: [other] });
		const output = firstJson(result.output);
		expect(output).toMatchObject({ videoReadyConfirmed: false, bytes: PLACEHOLDER_VIDEO_BYTES });
		expect(output.warning).toBe(
			`IDnow had not confirmed that the video of order ${orderId} was ready (no Video Ready callback reached this node), so this may be IDnow's placeholder video. Run Recording → Request Video Provisioning first and fetch the video when the IDnow Trigger's Video Ready event arrives (or turn on the option "Video Is Ready" when you know it is).`,
		);
	});

	it.each(['iv', 'ciphertext', 'tag'] as const)('stores nothing of a /crypt video with a tampered %s', async (part) => {
		const orderId = await provisioned();
		fixture.idnow.tamperCrypt({ part });
		const before = await storedBinaryFiles();
		const error = await errorOf(run('recording', 'getVideo', { orderId }, { credentials: fixture.crypt }));
		expect(error.message).toBe('AES-256-GCM decryption failed: the authentication tag does not match');
		expect(error.description).toContain('Nothing was stored.');
		expect(await storedBinaryFiles()).toEqual(before);
	});

	it('refuses a video larger than Max File Size, before reading it (Content-Length)', async () => {
		const orderId = await provisioned();
		const before = await storedBinaryFiles();
		const error = await errorOf(run('recording', 'getVideo', { orderId, options: { maxFileSizeMb: 1 } }));
		expect(error.message).toBe(`The file "${orderId}.mp4" is 2097152 bytes, more than the allowed 1048576 bytes`);
		expect(await storedBinaryFiles()).toEqual(before);
	});

	it('stores nothing of a download that breaks off', async () => {
		const orderId = await provisioned();
		fixture.idnow.queueFault({ kind: 'truncate', path: '/api/2.10/getVideoFileBinary/*' });
		const before = await storedBinaryFiles();
		const error = await errorOf(run('recording', 'getVideo', { orderId, options: { maxRetries: 0 } }));
		expect(error.message).toMatch(new RegExp(`^The download of "${orderId}.mp4" (is incomplete|broke off)`));
		expect(await storedBinaryFiles()).toEqual(before);
	});

	it.each([
		[{ binaryPropertyName: 'my video' }, '"my video" cannot be the name of a binary field'],
		[{ options: { maxFileSizeMb: 0 } }, 'The option "Max File Size (MB)" must be a positive number (it is 0)'],
	])('refuses %j before calling IDnow', async (parameters, message) => {
		const error = await errorOf(run('recording', 'getVideo', { orderId: '99900000000001', ...parameters }));
		expect(error.message).toBe(message);
		expect(fixture.idnow.requests({ path: '/api/2.10/*' })).toEqual([]);
	});

	it("explains IDnow's 400 when the order has no recording", async () => {
		const orderId = await finishedOrder(fixture, { Product: 13 });
		const error = await errorOf(run('recording', 'getVideo', { orderId }));
		expect(error.httpCode).toBe('400');
		expect(error.description).toContain('a video exists once a video identification ended with 6 or 89');
	});
});

describe('Recording → Get Voice Files', () => {
	it('puts each MP3 in its own binary field, named as IDnow names it', async () => {
		const orderId = await finishedOrder(fixture);
		const result = await run('recording', 'getVoiceFiles', { orderId });
		const output = firstJson(result.output);
		expect(output).toEqual({
			OrderID: orderId,
			voiceFiles: [{ binaryProperty: 'voice_0', fileName: expect.stringMatching(/^sound_\d{1,4}\.mp3$/), bytes: expect.any(Number) }],
			decrypted: false,
		});
		const stored = await result.binary(0, 'voice_0');
		expect(stored).toMatchObject({ mimeType: 'audio/mpeg', fileName: output.voiceFiles[0].fileName });
		const answer = await idnowAnswer(fixture, `getVoiceFiles/${orderId}`);
		expect(stored.data.equals(Buffer.from(answer.Voicefiles[0].Base64Data, 'base64'))).toBe(true);
	});

	it('decrypts /crypt and uses the field prefix asked for', async () => {
		const orderId = await finishedOrder(fixture);
		const result = await run('recording', 'getVoiceFiles', { orderId, options: { fieldPrefix: 'audio' } }, { credentials: fixture.crypt });
		expect(firstJson(result.output)).toMatchObject({ decrypted: true, voiceFiles: [{ binaryProperty: 'audio0' }] });
		const [entry] = fixture.idnow.cryptLog();
		const plaintext = JSON.parse(Buffer.from(entry.plaintextBase64!, 'base64').toString()) as { Voicefiles: Array<{ Base64Data: string }> };
		expect((await result.binary(0, 'audio0')).data.toString('base64')).toBe(plaintext.Voicefiles[0].Base64Data);
	});

	it('outputs an empty list and no binary when the account keeps no voice recordings', async () => {
		fixture.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, { recordVoice: false });
		const orderId = await finishedOrder(fixture);
		const { output } = await run('recording', 'getVoiceFiles', { orderId });
		expect(output[0][0]).toMatchObject({ json: { OrderID: orderId, voiceFiles: [] } });
		expect(output[0][0].binary).toBeUndefined();
	});

	it('stores nothing of a tampered /crypt answer', async () => {
		const orderId = await finishedOrder(fixture);
		fixture.idnow.tamperCrypt({ part: 'tag' });
		const before = await storedBinaryFiles();
		const error = await errorOf(run('recording', 'getVoiceFiles', { orderId }, { credentials: fixture.crypt }));
		expect(error.message).toBe('AES-256-GCM decryption failed: the authentication tag does not match');
		expect(await storedBinaryFiles()).toEqual(before);
	});

	it('refuses a voice file larger than Max File Size', async () => {
		const orderId = await finishedOrder(fixture);
		const error = await errorOf(run('recording', 'getVoiceFiles', { orderId, options: { maxFileSizeMb: 0.01 } }));
		expect(error.message).toMatch(/^The file "Voicefiles\[0\]\.Base64Data" is \d+ bytes, more than the allowed 10485 bytes$/);
	});

	it('refuses a Field Prefix that cannot start a field name', async () => {
		const error = await errorOf(run('recording', 'getVoiceFiles', { orderId: '99900000000001', options: { fieldPrefix: '0 voice' } }));
		expect(error.message).toBe('The Field Prefix "0 voice" cannot start a binary field name');
	});

	describe('damaged answers (a scripted server in place of IDnow)', () => {
		let server: TestServer;
		beforeEach(async () => {
			server = await startTestServer();
		});
		afterEach(() => server.close());

		function runAgainst(voicefiles: unknown[]) {
			server.respond(json(200, { Voicefiles: voicefiles }));
			const credentials = credentialStore({ ...fixture.plain.data('idnowApi'), baseUrl: server.url });
			return run('recording', 'getVoiceFiles', { orderId: '99900000000001' }, { credentials });
		}

		it('refuses a file that is not an MP3, and stores none of the others', async () => {
			const mp3 = Buffer.from([0xff, 0xfb, 0x90, 0x04, 0, 0, 0, 0]).toString('base64');
			const before = await storedBinaryFiles();
			const error = await errorOf(
				runAgainst([
					{ Filename: 'a.mp3', Base64Data: mp3 },
					{ Filename: 'b.mp3', Base64Data: Buffer.from('<html>error</html>').toString('base64') },
				]),
			);
			expect(error.message).toBe(
				'The file in "Voicefiles[1].Base64Data" is not an MP3: it does not start with an ID3 tag or an MPEG audio frame header',
			);
			expect(await storedBinaryFiles()).toEqual(before);
		});

		it('refuses Base64 with stray characters', async () => {
			const error = await errorOf(runAgainst([{ Filename: 'a.mp3', Base64Data: '//uQ BA*A' }]));
			expect(error.message).toBe('The field "Voicefiles[0].Base64Data" is not valid Base64: it contains "*" at position 7');
		});

		it('keeps only the last segment of a file name with a path', async () => {
			const mp3 = Buffer.concat([Buffer.from('ID3'), Buffer.alloc(20)]).toString('base64');
			const result = await runAgainst([{ Filename: '../../etc/sound_1.mp3', Base64Data: mp3 }, { Base64Data: mp3 }]);
			expect(firstJson(result.output).voiceFiles.map((file: { fileName: string }) => file.fileName)).toEqual([
				'sound_1.mp3',
				'99900000000001_voice_2.mp3',
			]);
		});
	});
});
