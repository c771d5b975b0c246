import { DEFAULT_PERSON, IDNOW_SECOND_ACCOUNT, IDNOW_TEST_ACCOUNT } from './index';
import { apiClient, expectValidPdf, TESTROBOT_DELAY_MS, useSimulator, type Credentials } from './testing';

const context = useSimulator();
const api = apiClient(context);
const DAY = 24 * 60 * 60 * 1000;

async function identified(
	body: Record<string, unknown> = {},
	credentials: Credentials = IDNOW_TEST_ACCOUNT,
): Promise<string> {
	const answer = await api('PUT', 'putOrder', { body: { Product: 12, Autotest: 'POSITIVE', ...body }, credentials });
	expect(answer.status).toBe(202);
	await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
	return answer.body.OrderID;
}

describe('getIdentData', () => {
	it('serves the checked data as an array without images (the default account setting)', async () => {
		const orderId = await identified();
		const answer = await api('GET', `getIdentData/${orderId}`);
		expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
		expect(answer.body).toEqual({
			Identitfied: '2025-03-01T10:30:20+01:00',
			IdentData: [
				{
					Type: 1,
					...DEFAULT_PERSON,
					Birthname: null,
					IDCard: { ...DEFAULT_PERSON.IDCard, extDocumentType: 1 },
				},
			],
		});
	});

	it('serves an object with Images when the account includes images', async () => {
		const orderId = await identified({}, IDNOW_SECOND_ACCOUNT);
		const answer = await api('GET', `getIdentData/${orderId}/IncludeInitialData`, {
			credentials: IDNOW_SECOND_ACCOUNT,
		});
		expect(Object.keys(answer.body.IdentData)).toEqual(['0', '1', 'Images']);
		expect(answer.body.IdentData.Images).toHaveLength(3);
	});

	it("adds the initial data with the example's quirks: an IDCard that is always there, nulls and 1970-01-01", async () => {
		const orderId = await identified({
			IdentData: { Firstname: 'Hans', Additional: { tier: { Type: 1, Label: 'Tier', Value: 'gold' } } },
		});
		const answer = await api('GET', `getIdentData/${orderId}/IncludeInitialData`);
		expect(answer.body.IdentData[1]).toEqual({
			Type: 2,
			Firstname: 'Hans',
			Additional: { tier: { Type: 1, Label: 'Tier', Value: 'gold' } },
			IDCard: { CardNo: null, PlaceOfIssue: null, ValidUntil: '1970-01-01' },
		});
		expect(answer.body.IdentData[0]).toMatchObject({
			Firstname: 'Hans',
			Surname: 'Mustermann',
			Additional: { tier: 'gold' },
		});
	});

	it('adds IdentifyMethod, Identifier and UserIp when asked or configured', async () => {
		context.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, { collectUserIp: true });
		const orderId = await identified();
		const answer = await api('GET', `getIdentData/${orderId}/IncludeIdentifier/IncludeIdentifyMethod`);
		expect(answer.body).toMatchObject({ IdentifyMethod: 'Video', Identifier: 1872, UserIp: '203.0.113.7' });
		expect(Object.keys(answer.body)).toEqual(['Identitfied', 'IdentifyMethod', 'Identifier', 'UserIp', 'IdentData']);
	});

	it('answers 400 before the order is final, for unknown variants and for Signed with Include variants', async () => {
		const open = (await api('PUT', 'putOrder', { body: { Product: 12 } })).body.OrderID;
		expect(await api('GET', `getIdentData/${open}`)).toMatchObject({
			status: 400,
			body: { Error: 'Order has not been finally processed yet' },
		});
		const orderId = await identified();
		expect((await api('GET', `getIdentData/${orderId}/IncludeImages`)).status).toBe(400);
		expect((await api('GET', `getIdentData/${orderId}/Signed/IncludeInitialData`)).body.Error).toBe(
			'Variant Signed cannot be combined with IncludeInitialData',
		);
		expect((await api('GET', 'getIdentData/99900000000000')).status).toBe(404);
	});

	it('answers 400 for final orders nobody was identified in (cancelled)', async () => {
		const orderId = (await api('PUT', 'putOrder', { body: { Product: 12 } })).body.OrderID;
		await api('POST', `cancelOrder/${orderId}`);
		expect((await api('GET', `getIdentData/${orderId}`)).body.Error).toContain('No identification data');
		expect((await api('GET', `getImages/${orderId}`)).body).toEqual({});
	});
});

describe('re-using an identification to sign (chapter 7)', () => {
	it('hands out an opaque signed text that a later eSign putOrder accepts, then signs without identifying', async () => {
		const orderId = await identified();
		const signed = await api('GET', `getIdentData/${orderId}/Signed`);
		expect(signed.headers.get('content-type')).toBe('text/plain; charset=utf-8');
		expect(signed.body).toMatch(/^[A-Za-z0-9+/]+=*$/);
		const reuse = await api('PUT', 'putOrder', {
			body: { Product: 15, Autotest: 'POSITIVE', Mobile: '+491701234567', IdentDataSigned: signed.body },
		});
		expect(reuse.body.SignedDataAccepted).toBe(true);
		await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
		const order = context.idnow.order(reuse.body.OrderID);
		expect(order.statuses.map((entry) => entry.subKind ?? entry.kind).slice(0, 3)).toEqual([25, 19, 20]);
		expect(order.statuses.at(-2)?.kind).toBe(84);
		expect(order.result?.checked).toEqual(context.idnow.order(orderId).result?.checked);
	});

	it('refuses tampered data, data of another account and expired documents (SignedDataAccepted false)', async () => {
		const orderId = await identified();
		const signed: string = (await api('GET', `getIdentData/${orderId}/Signed`)).body;
		const tampered = `${signed.slice(0, 20)}${signed[20] === 'A' ? 'B' : 'A'}${signed.slice(21)}`;
		for (const token of [tampered, 'not even base64']) {
			const answer = await api('PUT', 'putOrder', { body: { Product: 15, IdentDataSigned: token } });
			expect(answer.body.SignedDataAccepted).toBe(false);
		}
		const other = await api('PUT', 'putOrder', {
			body: { Product: 15, IdentDataSigned: signed },
			credentials: IDNOW_SECOND_ACCOUNT,
		});
		expect(other.body.SignedDataAccepted).toBe(false);
		context.idnow.clock.set(Date.UTC(2031, 10, 1));
		const late = await api('PUT', 'putOrder', { body: { Product: 15, IdentDataSigned: signed } });
		expect(late.body.SignedDataAccepted).toBe(false);
	});
});

describe('getIdentDataPDF and getImages', () => {
	it('serves a PDF of the result and the recorded images', async () => {
		const orderId = await identified({ Ref: 'pdf-1' });
		const pdf = await api('GET', `getIdentDataPDF/${orderId}`);
		expect(pdf.status).toBe(200);
		expect(pdf.headers.get('content-type')).toBe('application/pdf');
		expectValidPdf(pdf.raw);
		expect(pdf.raw.toString('latin1')).toContain('(Nachname: - / Mustermann) Tj');
		const images = await api('GET', `getImages/${orderId}`);
		expect(images.body.Images.map((image: { Filename: string }) => image.Filename.split('_')[0])).toEqual([
			'front',
			'back',
			'face',
		]);
		const jpeg = Buffer.from(images.body.Images[0].Image, 'base64');
		expect(jpeg.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
		expect(jpeg.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
	});
});

describe('delIdentdata and retention', () => {
	it('deletes the data of a final order (202); reads then answer 404, getStatus still works', async () => {
		const orderId = await identified();
		expect(await api('DELETE', `delIdentdata/${orderId}`)).toMatchObject({ status: 202, body: {} });
		for (const path of [
			`getIdentData/${orderId}`,
			`getIdentDataPDF/${orderId}`,
			`getImages/${orderId}`,
			`getVoiceFiles/${orderId}`,
		]) {
			expect(await api('GET', path)).toMatchObject({
				status: 404,
				body: { Error: 'Order not found or already deleted' },
			});
		}
		expect(await api('DELETE', `delIdentdata/${orderId}`)).toMatchObject({
			status: 404,
			body: { Error: 'Order not found or already deleted' },
		});
		expect((await api('GET', `getStatus/${orderId}`)).status).toBe(200);
	});

	it('answers 406 for an order that is not final and 404 for an unknown one', async () => {
		const open = (await api('PUT', 'putOrder', { body: { Product: 12 } })).body.OrderID;
		expect((await api('DELETE', `delIdentdata/${open}`)).status).toBe(406);
		expect((await api('DELETE', 'delIdentdata/99900000000000')).status).toBe(404);
	});

	it('deletes result data by itself 7 days after the order became final', async () => {
		const orderId = await identified();
		await context.idnow.advanceClock(7 * DAY - 1);
		expect((await api('GET', `getIdentData/${orderId}`)).status).toBe(200);
		await context.idnow.advanceClock(1);
		expect((await api('GET', `getIdentData/${orderId}`)).status).toBe(404);
		expect(context.idnow.order(orderId).dataDeletedAt).toBe('2025-03-08T10:30:20+01:00');
	});
});
