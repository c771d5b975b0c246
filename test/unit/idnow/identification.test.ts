import { createHash } from 'node:crypto';

import { readBinary, storedBinaryFiles } from '../../harness';
import { IDNOW_SECOND_ACCOUNT } from '../../sandbox/idnow';
import { errorOf, finishedOrder, firstJson, runner, useIdnow } from './fixture';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('IDnow Identification', () => {
	const fixture = useIdnow();
	const run = runner(fixture);

	describe('Get Data', () => {
		it('normalizes the checked data, with status and verdict from the order status codes', async () => {
			const orderId = await finishedOrder(fixture, { Ref: 'case-9', IdentData: { Firstname: 'Hans', Surname: 'Muster', Street: 'Musterstr 10', ZipCode: '40231', City: 'Düsseldorf', Country: 'DE', Birthdate: '1980-01-01', Gender: 'male', Email: 'hans@example.com' } });
			const { output } = await run('identification', 'getData', { orderId, options: { IncludeIdentifyMethod: true } });
			const json = firstJson(output);
			expect(json).toMatchObject({
				provider: 'idnow',
				transactionId: orderId,
				reference: 'case-9',
				status: 'verified',
				verified: true,
				reason: null,
				assurance: { level: null, method: 'Video' },
				completedAt: expect.stringMatching(/^2025-03-01T09:30:\d\d\.\d{3}Z$/),
				person: {
					givenName: 'Hans',
					familyName: 'Muster',
					fullName: 'Hans Muster',
					birthDate: '1980-01-01',
					gender: 'male',
					email: 'hans@example.com',
					address: { street: 'Musterstr', houseNumber: '10', postalCode: '40231', city: 'Düsseldorf', country: 'DE' },
					isAdult: true,
				},
				document: { type: 'IDCard', number: 'T22000129', issuingCountry: 'DE', validUntil: '2031-10-31' },
				raw: null,
				finalStatus: { Kind: 6 },
				images: [],
			});
			expect(output[0][0].binary).toBeUndefined();
		});

		it('reads IdentData as an object with images, turns the images into binary fields and keeps raw without Base64', async () => {
			const orderId = await finishedOrder(fixture, {}, IDNOW_SECOND_ACCOUNT.user);
			const result = await run('identification', 'getData', { orderId, output: 'both' }, { credentials: fixture.second });
			const json = firstJson(result.output);
			expect(json.person.givenName).toBe('Erika');
			expect(json.images.map((image: { binaryProperty: string }) => image.binaryProperty)).toEqual(['image_0', 'image_1', 'image_2']);
			expect(json.images[0].fileName).toMatch(/^front/);
			const front = await result.binary(0, 'image_0');
			expect(front.mimeType).toBe('image/jpeg');
			expect(front.data.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
			expect(json.raw.Identitfied).toEqual(expect.any(String));
			expect(json.raw.IdentData.Images).toEqual([
				{ Filename: json.images[0].fileName, binaryProperty: 'image_0' },
				{ Filename: json.images[1].fileName, binaryProperty: 'image_1' },
				{ Filename: json.images[2].fileName, binaryProperty: 'image_2' },
			]);
			expect(JSON.stringify(json)).not.toContain('/9j/');
		});

		it('outputs Raw as IDnow sent it (no status call), with initial data and the other variants', async () => {
			const orderId = await finishedOrder(fixture);
			const before = fixture.idnow.requests().length;
			const { output } = await run('identification', 'getData', {
				orderId,
				output: 'raw',
				options: { IncludeInitialData: true, IncludeIdentifier: true, IncludeIdentifyMethod: true },
			});
			const paths = fixture.idnow.requests().slice(before).map((request) => request.path);
			expect(paths).toEqual([`/api/2.10/getIdentData/${orderId}/IncludeInitialData/IncludeIdentifyMethod/IncludeIdentifier`]);
			const json = firstJson(output);
			expect(json.IdentData.map((entry: { Type: number }) => entry.Type)).toEqual([1, 2]);
			expect(json).toMatchObject({ IdentifyMethod: 'Video', Identifier: expect.anything(), Identitfied: expect.any(String) });
		});

		it('shows the initial data in the normalized output', async () => {
			const orderId = await finishedOrder(fixture);
			const json = firstJson((await run('identification', 'getData', { orderId, options: { IncludeInitialData: true } })).output);
			expect(json.initialData).toMatchObject({ Type: 2 });
		});

		it('decrypts /crypt transparently: the result equals the plaintext the sandbox encrypted', async () => {
			const orderId = await finishedOrder(fixture);
			const { output } = await run('identification', 'getData', { orderId, output: 'raw' }, { credentials: fixture.crypt });
			const [entry] = fixture.idnow.cryptLog();
			expect(entry.path).toBe(`/api/2.10/getIdentData/${orderId}/crypt`);
			expect(firstJson(output)).toEqual(JSON.parse(Buffer.from(entry.plaintextBase64!, 'base64').toString('utf8')));
		});

		it.each(['iv', 'ciphertext', 'tag'] as const)('fails on a tampered %s and emits nothing', async (part) => {
			const orderId = await finishedOrder(fixture);
			fixture.idnow.tamperCrypt({ part });
			const error = await errorOf(run('identification', 'getData', { orderId }, { credentials: fixture.crypt }));
			expect(error.message).toBe('AES-256-GCM decryption failed: the authentication tag does not match');
			expect(error.description).toBe(
				'Check that the AES key in the credentials is the one agreed with the provider. If it is, the download was damaged or altered: try again.',
			);
		});

		it('returns the signed data for re-use (Signed variant), decrypted', async () => {
			const orderId = await finishedOrder(fixture, { Product: 15, eSignPDF: { Data: Buffer.from('%PDF-1.4\n%%EOF').toString('base64') } });
			await fixture.idnow.advanceClock(20_000);
			const json = firstJson((await run('identification', 'getData', { orderId, options: { Signed: true } }, { credentials: fixture.crypt })).output);
			expect(json).toEqual({ OrderID: orderId, IdentDataSigned: expect.stringMatching(/^[A-Za-z0-9+/=_-]{40,}$/) });
			const accepted = fixture.idnow.createOrderDirect({ Product: 15, IdentDataSigned: json.IdentDataSigned, eSignPDF: { Data: Buffer.from('%PDF-1.4\n%%EOF').toString('base64') } });
			expect(accepted.SignedDataAccepted).toBe(true);
			const error = await errorOf(run('identification', 'getData', { orderId, options: { Signed: true, IncludeInitialData: true } }));
			expect(error.message).toBe('"Signed" returns only the signed data, so it cannot be combined with IncludeInitialData');
		});

		it('keeps fields IDnow adds later, and reads a FraudAttempt flag as review', async () => {
			const orderId = await finishedOrder(fixture, { Autotest: 'FRAUD' });
			const json = firstJson((await run('identification', 'getData', { orderId, output: 'both' })).output);
			expect(json).toMatchObject({ status: 'review', verified: false, reason: 'Possible fraud attempt by customer (89)' });
			expect(json.raw.FraudAttempt).toBe(true);
		});

		it('says what it means when there is no result yet (400) or no longer (404)', async () => {
			const { OrderID } = fixture.idnow.createOrderDirect({ Product: 12 });
			const open = await errorOf(run('identification', 'getData', { orderId: OrderID }));
			expect(open.httpCode).toBe('400');
			expect(open.description).toContain('results exist once the order is final');
			const orderId = await finishedOrder(fixture);
			fixture.idnow.deleteOrderData(orderId);
			const deleted = await errorOf(run('identification', 'getData', { orderId }));
			expect(deleted.httpCode).toBe('404');
			expect(deleted.description).toContain('its result data was deleted already');
		});

		it('names the problem when the credential has a key but the account no /crypt', async () => {
			fixture.idnow.configureAccount('idnow-sandbox', { aesKey: null });
			const orderId = await finishedOrder(fixture);
			const error = await errorOf(run('identification', 'getData', { orderId }, { credentials: fixture.crypt }));
			expect(error.message).toBe('IDnow: Content encryption (/crypt) is not set up for this account');
			expect(error.description).toContain('ask IDnow to set up /crypt for the account or clear the AES-256 Key in the credential');
		});
	});

	describe('Get Data PDF', () => {
		it('streams the PDF into a binary field', async () => {
			const orderId = await finishedOrder(fixture);
			const result = await run('identification', 'getDataPdf', { orderId, binaryPropertyName: 'pdf' });
			const pdf = await result.binary(0, 'pdf');
			expect(pdf.mimeType).toBe('application/pdf');
			expect(pdf.data.subarray(0, 5).toString()).toBe('%PDF-');
			expect(firstJson(result.output)).toMatchObject({ OrderID: orderId, fileName: expect.stringMatching(/\.pdf$/) });
		});

		it('decrypts a /crypt PDF as it streams: the file equals the plaintext the sandbox encrypted', async () => {
			const orderId = await finishedOrder(fixture);
			const result = await run('identification', 'getDataPdf', { orderId, binaryPropertyName: 'data' }, { credentials: fixture.crypt });
			const pdf = await result.binary(0);
			const [entry] = fixture.idnow.cryptLog();
			expect(entry.path).toBe(`/api/2.10/getIdentDataPDF/${orderId}/crypt`);
			expect(sha256(pdf.data)).toBe(entry.plaintextSha256);
		});

		it('stores nothing when the tag does not verify', async () => {
			const orderId = await finishedOrder(fixture);
			const before = await storedBinaryFiles();
			fixture.idnow.tamperCrypt({ part: 'tag' });
			const error = await errorOf(run('identification', 'getDataPdf', { orderId, binaryPropertyName: 'data' }, { credentials: fixture.crypt }));
			expect(error.message).toBe('AES-256-GCM decryption failed: the authentication tag does not match');
			expect(await storedBinaryFiles()).toEqual(before);
		});
	});

	describe('Get Images', () => {
		it('puts every image in its own binary field', async () => {
			const orderId = await finishedOrder(fixture);
			const result = await run('identification', 'getImages', { orderId, options: { fieldPrefix: 'photo' } });
			const json = firstJson(result.output);
			expect(json.images.map((image: { binaryProperty: string }) => image.binaryProperty)).toEqual(['photo0', 'photo1', 'photo2']);
			const face = await readBinary(result.output[0][0].binary!.photo2);
			expect(face.fileName).toMatch(/^face/);
		});
	});

	describe('Delete Data', () => {
		it('deletes the result data (202), then explains the second try (404) and an open order (406)', async () => {
			const orderId = await finishedOrder(fixture);
			expect(firstJson((await run('identification', 'deleteData', { orderId })).output)).toEqual({ OrderID: orderId, deleted: true });
			expect(fixture.idnow.order(orderId).dataDeletedAt).not.toBeNull();
			const again = await errorOf(run('identification', 'deleteData', { orderId }));
			expect(again.httpCode).toBe('404');
			const { OrderID } = fixture.idnow.createOrderDirect({ Product: 12 });
			const open = await errorOf(run('identification', 'deleteData', { orderId: OrderID }));
			expect(open.httpCode).toBe('406');
			expect(open.description).toBe(
				'The order is not final yet, so there is no result data to delete. Cancel an open order with Order → Cancel instead.',
			);
		});
	});
});
