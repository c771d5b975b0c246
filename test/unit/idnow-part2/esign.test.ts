import { createHash } from 'node:crypto';

import { IDNOW_TEST_ACCOUNT, MAX_TAN_TRIES } from '../../sandbox/idnow';
import { samplePdf } from '../../sandbox/idnow/testing';
import { json, startTestServer, storedBinaryFiles, text, type TestServer } from '../../harness';
import { credentialStore, errorOf, firstJson, idnowAnswer, runner, TESTROBOT_DELAY_MS, TEST_MOBILE, useIdnow } from './fixture';

const fixture = useIdnow();
const run = runner(fixture);

function eSignOrder(extra: Record<string, unknown> = {}): string {
	const answer = fixture.idnow.createOrderDirect({
		Product: 15,
		Mobile: TEST_MOBILE,
		eSignPDF: [
			{ Data: samplePdf('Contract A').toString('base64'), Filename: 'a.pdf', SignaturePosX: 100, SignaturePosY: 100 },
			{ Data: samplePdf('Contract B').toString('base64'), Filename: 'b.pdf', SignatureTag: 'Contract B' },
		],
		...extra,
	});
	return String(answer.OrderID);
}

async function signedOrder(extra: Record<string, unknown> = {}): Promise<string> {
	const orderId = eSignOrder({ Autotest: 'POSITIVE', ...extra });
	await fixture.idnow.advanceClock(TESTROBOT_DELAY_MS);
	return orderId;
}

/** A scripted server in place of IDnow, for answers the sandbox never gives (damaged files). */
function useScriptedIdnow() {
	const scripted = {} as { server: TestServer; credentials: ReturnType<typeof credentialStore> };
	beforeEach(async () => {
		scripted.server = await startTestServer();
		scripted.credentials = credentialStore({ ...fixture.plain.data('idnowApi'), baseUrl: scripted.server.url });
	});
	afterEach(() => scripted.server.close());
	return scripted;
}

describe('eSign → Get Signed PDFs', () => {
	const scripted = useScriptedIdnow();

	it('puts each signed PDF in its own binary field, numbered in the order of the documents', async () => {
		const orderId = await signedOrder();
		const result = await run('eSign', 'getSignedPdfs', { orderId });
		const answer = await idnowAnswer(fixture, `getESignPDF/${orderId}`);
		expect(firstJson(result.output)).toEqual({
			OrderID: orderId,
			documents: [
				{ binaryProperty: 'signed_0', fileName: `${orderId}_signed_1.pdf`, bytes: expect.any(Number) },
				{ binaryProperty: 'signed_1', fileName: `${orderId}_signed_2.pdf`, bytes: expect.any(Number) },
			],
			decrypted: false,
		});
		for (const [index, pdf] of (answer.PDFs as Array<{ Base64Data: string }>).entries()) {
			const stored = await result.binary(0, `signed_${index}`);
			expect(stored.mimeType).toBe('application/pdf');
			expect(stored.data.toString('base64')).toBe(pdf.Base64Data);
		}
		expect((await result.binary(0, 'signed_1')).data.toString('latin1')).toContain('Contract B');
	});

	it('decrypts /crypt and uses the field prefix asked for', async () => {
		const orderId = await signedOrder();
		const result = await run('eSign', 'getSignedPdfs', { orderId, options: { fieldPrefix: 'contract_' } }, { credentials: fixture.crypt });
		expect(firstJson(result.output)).toMatchObject({ decrypted: true, documents: [{ binaryProperty: 'contract_0' }, { binaryProperty: 'contract_1' }] });
		const plaintext = JSON.parse(Buffer.from(fixture.idnow.cryptLog()[0].plaintextBase64!, 'base64').toString());
		expect((await result.binary(0, 'contract_0')).data.toString('base64')).toBe(plaintext.PDFs[0].Base64Data);
	});

	it('stores nothing of a tampered /crypt answer', async () => {
		const orderId = await signedOrder();
		fixture.idnow.tamperCrypt({ part: 'ciphertext' });
		const before = await storedBinaryFiles();
		const error = await errorOf(run('eSign', 'getSignedPdfs', { orderId }, { credentials: fixture.crypt }));
		expect(error.message).toBe('AES-256-GCM decryption failed: the authentication tag does not match');
		expect(await storedBinaryFiles()).toEqual(before);
	});

	it("explains IDnow's 400 for an order not signed yet or without documents", async () => {
		const open = eSignOrder();
		const notSigned = await errorOf(run('eSign', 'getSignedPdfs', { orderId: open }));
		expect(notSigned).toMatchObject({
			httpCode: '400',
			message: 'IDnow: The order has not been signed (final status 84 required)',
			description:
				"IDnow has no signed documents for this order: it needs eSign documents (eSignPDF in Create) and final status 84 (signed); IDnow's message says which is missing.",
		});
		const hashOnly = fixture.idnow.createOrderDirect({ Product: 15, Autotest: 'POSITIVE', eSignHash: [{ Hash: 'aGFzaA==', Filename: 'h.pdf' }] });
		const noDocuments = await errorOf(run('eSign', 'getSignedPdfs', { orderId: String(hashOnly.OrderID) }));
		expect(noDocuments.message).toBe('IDnow: No eSign documents: eSignPDF was not set in putOrder');
	});

	it('refuses a PDF larger than Max File Size and stores none', async () => {
		const orderId = await signedOrder();
		const before = await storedBinaryFiles();
		const error = await errorOf(run('eSign', 'getSignedPdfs', { orderId, options: { maxFileSizeMb: 0.0001 } }));
		expect(error.message).toMatch(/^The file "PDFs\[0\]\.Base64Data" is \d+ bytes, more than the allowed 104 bytes$/);
		expect(await storedBinaryFiles()).toEqual(before);
	});

	it('refuses a document that is not a PDF, and stores none of the others', async () => {
		scripted.server.respond(
			json(200, { PDFs: [{ Base64Data: samplePdf().toString('base64') }, { Base64Data: Buffer.from('<html>').toString('base64') }] }),
		);
		const before = await storedBinaryFiles();
		const error = await errorOf(run('eSign', 'getSignedPdfs', { orderId: '99900000000001' }, { credentials: scripted.credentials }));
		expect(error.message).toBe('The file in "PDFs[1].Base64Data" is not a PDF: it does not start with "%PDF-"');
		expect(await storedBinaryFiles()).toEqual(before);
	});
});

describe('eSign → Get Signing Hashes', () => {
	it('lists the signed hashes by the file names given in Create', async () => {
		const hash = createHash('sha256').update('prepared').digest('base64');
		const answer = fixture.idnow.createOrderDirect({ Product: 15, Autotest: 'POSITIVE', eSignHash: [{ Hash: hash, Filename: 'prepared.pdf' }] });
		const orderId = String(answer.OrderID);
		await fixture.idnow.advanceClock(TESTROBOT_DELAY_MS);
		const { output } = await run('eSign', 'getSigningHashes', { orderId });
		const direct = await idnowAnswer(fixture, `getESignHash/${orderId}`);
		expect(output[0][0].json).toEqual({ OrderID: orderId, hashes: [{ fileName: 'prepared.pdf', hash: direct.Hashes[0]['prepared.pdf'] }] });
	});

	it("explains IDnow's 400 for an order without hashes", async () => {
		const orderId = await signedOrder();
		const error = await errorOf(run('eSign', 'getSigningHashes', { orderId }));
		expect(error).toMatchObject({
			httpCode: '400',
			message: 'IDnow: No eSign hashes: eSignHash was not set in putOrder',
			description:
				"IDnow has no signed hashes for this order: it needs eSign hashes (eSignHash in Create) and final status 84 (signed); IDnow's message says which is missing.",
		});
	});
});

describe('eSign → Get Audit Log PDF', () => {
	const scripted = useScriptedIdnow();

	it('streams the audit log of an AES order into the field asked for', async () => {
		const orderId = await signedOrder({ Add: 128 });
		const result = await run('eSign', 'getAuditLogPdf', { orderId, binaryPropertyName: 'auditLog' });
		const stored = await result.binary(0, 'auditLog');
		expect(firstJson(result.output)).toEqual({ OrderID: orderId, fileName: `${orderId}_audit_log.pdf`, bytes: stored.data.length });
		expect(stored.mimeType).toBe('application/pdf');
		expect(stored.data.toString('latin1')).toMatch(/^%PDF-1\.4\n[\s\S]*84 {2}Document signed/);
	});

	it("explains IDnow's 400 for an order that is not AES", async () => {
		const orderId = await signedOrder();
		const error = await errorOf(run('eSign', 'getAuditLogPdf', { orderId }));
		expect(error).toMatchObject({
			httpCode: '400',
			description: 'IDnow has no audit log for this order: it exists only for AES orders (Add 128) once signed (status 84).',
		});
	});

	it('refuses a log larger than Max File Size and stores nothing', async () => {
		const orderId = await signedOrder({ Add: 128 });
		const before = await storedBinaryFiles();
		const error = await errorOf(run('eSign', 'getAuditLogPdf', { orderId, options: { maxFileSizeMb: 0.0001 } }));
		expect(error.message).toMatch(new RegExp(`^The file "${orderId}_audit_log.pdf" is \\d+ bytes, more than the allowed 104 bytes$`));
		expect(await storedBinaryFiles()).toEqual(before);
	});

	it('refuses an answer that is not a PDF and stores nothing', async () => {
		scripted.server.respond(text(200, 'Maintenance until 10:00', { 'content-type': 'application/pdf' }));
		const before = await storedBinaryFiles();
		const error = await errorOf(run('eSign', 'getAuditLogPdf', { orderId: '99900000000001' }, { credentials: scripted.credentials }));
		expect(error.message).toBe('The file "99900000000001_audit_log.pdf" is damaged: it does not start with "%PDF-"');
		expect(await storedBinaryFiles()).toEqual(before);
	});
});

describe('eSign → customer-side signing (Request Sign, Confirm Sign, Resend Sign TAN)', () => {
	const HINT_409 =
		'The TAN is wrong (409). Ask the person for the TAN of the latest SMS and confirm again: each wrong TAN counts, and too many cancel the order.';
	const HINT_410 =
		'The order has already been processed (410): it is final (signed, verified, cancelled, refused or timed out). Check it with Order → Get Status.';
	const HINT_412 = 'Signing has not been started for this order (412): run eSign → Request Sign first; it sends the TAN.';
	const HINT_429 = 'Too many wrong TANs (429): IDnow cancelled the order. Create a new order for the person.';

	beforeEach(() => {
		fixture.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, { customerSideSigning: true });
	});

	it('signs: Request Sign sends a TAN, Confirm Sign with it signs the order (84, final)', async () => {
		const orderId = await signedOrder();
		const requested = await run('eSign', 'requestSign', { orderId });
		expect(firstJson(requested.output)).toEqual({ OrderID: orderId, signingStarted: true });
		const tan = fixture.idnow.latestTan(orderId);
		const confirmed = await run('eSign', 'confirmSign', { orderId, tan });
		expect(firstJson(confirmed.output)).toEqual({ OrderID: orderId, signed: true });
		const order = fixture.idnow.order(orderId);
		expect(order.final).toBe(true);
		expect(order.statuses.map((entry) => entry.kind)).toContain(84);
		expect(JSON.parse(fixture.idnow.requests({ path: '/api/2.10/confirmSign/*' })[0].body.toString())).toEqual({ tan });
	});

	it('explains a wrong TAN (409), then the last try (429, order cancelled), then 410', async () => {
		const orderId = await signedOrder();
		await run('eSign', 'requestSign', { orderId });
		for (let attempt = 1; attempt < MAX_TAN_TRIES; attempt++) {
			const wrong = await errorOf(run('eSign', 'confirmSign', { orderId, tan: '000000' }));
			expect(wrong).toMatchObject({ httpCode: '409', message: 'IDnow: Wrong TAN given', description: HINT_409 });
		}
		const tooMany = await errorOf(run('eSign', 'confirmSign', { orderId, tan: '000000' }));
		expect(tooMany).toMatchObject({
			httpCode: '429',
			message: 'IDnow: Too many tries with a wrong TAN, order cancelled',
			description: HINT_429,
		});
		// A 429 here is an answer, not a rate limit: the TAN is never sent again.
		expect(fixture.idnow.countRequests({ path: '/api/2.10/confirmSign/*' })).toBe(MAX_TAN_TRIES);
		const processed = await errorOf(run('eSign', 'confirmSign', { orderId, tan: fixture.idnow.latestTan(orderId) }));
		expect(processed).toMatchObject({ httpCode: '410', message: 'IDnow: Order has already been processed', description: HINT_410 });
	});

	it('explains 412 before Request Sign, for Confirm Sign and Resend Sign TAN', async () => {
		const orderId = await signedOrder();
		for (const [operation, parameters] of [['confirmSign', { tan: '123456' }], ['resendSignTan', {}]] as const) {
			const error = await errorOf(run('eSign', operation, { orderId, ...parameters }));
			expect(error).toMatchObject({
				httpCode: '412',
				message: 'IDnow: Signing process has not been started, call requestSign first',
				description: HINT_412,
			});
		}
	});

	it('resends a TAN that replaces the previous one', async () => {
		const orderId = await signedOrder();
		await run('eSign', 'requestSign', { orderId });
		const resent = await run('eSign', 'resendSignTan', { orderId });
		expect(firstJson(resent.output)).toEqual({ OrderID: orderId, tanResent: true });
		expect(fixture.idnow.smsMessages().filter((sms) => sms.orderId === orderId)).toHaveLength(2);
		await run('eSign', 'confirmSign', { orderId, tan: fixture.idnow.latestTan(orderId) });
		expect(fixture.idnow.order(orderId).final).toBe(true);
	});

	it('explains 410 for every signing call once the order is final', async () => {
		const orderId = await signedOrder();
		await run('eSign', 'requestSign', { orderId });
		await run('eSign', 'confirmSign', { orderId, tan: fixture.idnow.latestTan(orderId) });
		for (const operation of ['requestSign', 'resendSignTan'] as const) {
			const error = await errorOf(run('eSign', operation, { orderId }));
			expect(error).toMatchObject({ httpCode: '410', description: HINT_410 });
		}
	});

	it('explains 406 for an order whose signee is not identified yet, and 404 for an unknown order', async () => {
		const open = eSignOrder();
		const notReady = await errorOf(run('eSign', 'requestSign', { orderId: open }));
		expect(notReady).toMatchObject({
			httpCode: '406',
			description:
				'The order is not ready for this (406, invalid order state): the signee must be identified (status 6) on an eSign order (Product 15) that has a mobile number for the TAN. Check it with Order → Get Status.',
		});
		const unknown = await errorOf(run('eSign', 'requestSign', { orderId: '99900000000000' }));
		expect(unknown).toMatchObject({
			httpCode: '404',
			description: 'IDnow knows no order with this OrderID for this account, or its data was deleted already. Check the OrderID.',
		});
	});

	it('explains 400 when customer-side signing is not enabled for the account', async () => {
		fixture.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, { customerSideSigning: false });
		const error = await errorOf(run('eSign', 'requestSign', { orderId: eSignOrder() }));
		expect(error).toMatchObject({
			httpCode: '400',
			message: 'IDnow: Customer-side eSign processing is not enabled for this account',
			description: 'IDnow refused the request; its message says why. Signing on your side must be enabled for the account by IDnow.',
		});
	});

	it.each([
		['12345', 'The TAN must have exactly 6 characters; "12345" has 5'],
		['1234567', 'The TAN must have exactly 6 characters; "1234567" has 7'],
		['123 56', 'The TAN contains spaces'],
		['={{ "" }}', 'The TAN is empty'],
	])('refuses the TAN %j before calling IDnow', async (tan, message) => {
		const error = await errorOf(run('eSign', 'confirmSign', { orderId: '99900000000001', tan }));
		expect(error).toMatchObject({ message, description: 'Enter the TAN exactly as the SMS shows it: 6 characters, without spaces.' });
		expect(fixture.idnow.requests({ path: '/api/2.10/*' })).toEqual([]);
	});

	it('never repeats a Confirm Sign, even after a 503', async () => {
		const orderId = await signedOrder();
		await run('eSign', 'requestSign', { orderId });
		fixture.idnow.queueFault({ kind: 'status', status: 503, path: '/api/2.10/confirmSign/*' });
		const error = await errorOf(run('eSign', 'confirmSign', { orderId, tan: fixture.idnow.latestTan(orderId) }));
		expect(error.httpCode).toBe('503');
		expect(fixture.idnow.countRequests({ path: '/api/2.10/confirmSign/*' })).toBe(1);
	});
});
