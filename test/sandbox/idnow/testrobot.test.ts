import { IDNOW_TEST_ACCOUNT } from './index';
import { apiClient, DOC_TESTROBOT_ORDER, TESTROBOT_DELAY_MS, useSimulator } from './testing';

const context = useSimulator();
const api = apiClient(context);

async function create(body: Record<string, unknown>): Promise<string> {
	const answer = await api('PUT', 'putOrder', { body });
	expect(answer.status).toBe(202);
	return answer.body.OrderID;
}

function kinds(orderId: string): Array<number | string> {
	return context.idnow
		.order(orderId)
		.statuses.map((entry) => (entry.subKind === undefined ? entry.kind : `${entry.kind}/${entry.subKind}`));
}

describe('the Testrobot (9.5)', () => {
	it('completes a POSITIVE video order 20 s after creation on the sandbox clock, not earlier', async () => {
		const orderId = await create({ Product: 12, Autotest: 'POSITIVE' });
		await context.idnow.advanceClock(TESTROBOT_DELAY_MS - 1);
		expect(context.idnow.order(orderId).final).toBe(false);
		expect((await api('GET', `getIdentData/${orderId}`)).body.Error).toBe('Order has not been finally processed yet');
		await context.idnow.advanceClock(1);
		expect(kinds(orderId)).toEqual([25, 77, 78, 79, 75, 104, 105, 106, 6, 23, 80]);
		expect(context.idnow.order(orderId).finalAt).toBe('2025-03-01T10:30:20+01:00');
	});

	it("echoes the IdentData given to putOrder, with the sample images (the document's example, IdentData as object)", async () => {
		context.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, { identDataFormat: 'object' });
		const orderId = await create(DOC_TESTROBOT_ORDER);
		await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
		const answer = await api('GET', `getIdentData/${orderId}`);
		expect(answer.status).toBe(200);
		const { CollectedBy: _collectedBy, ...given } = DOC_TESTROBOT_ORDER.IdentData;
		expect(answer.body).toEqual({
			Identitfied: '2025-03-01T10:30:20+01:00',
			OcrStatus: 0,
			eIdUsed: false,
			SecurityCheckFailed: false,
			IdentData: {
				'0': {
					Type: 1,
					Firstname: 'Hans',
					Surname: 'Mustermann',
					Street: 'Musterstr 10',
					ZipCode: '40231',
					City: 'Düssledorf',
					Country: 'DE',
					Birthdate: '1980-01-01',
					Birthplace: 'Düssledorf',
					Birthname: null,
					Nationality: 'DE',
					Gender: 'male',
					Email: 'mustermann@idnow.io',
					IDCard: { ...given.IDCard, extDocumentType: 1 },
				},
				Images: [
					{
						Image: expect.stringMatching(/^\/9j\/4AAQSkZJRgABAQ/),
						Filename: expect.stringMatching(/^front_20250301-103020-\d{9}\.jpg$/),
					},
					{
						Image: expect.stringMatching(/^\/9j\//),
						Filename: expect.stringMatching(/^back_20250301-103020-\d{9}\.jpg$/),
					},
					{
						Image: expect.stringMatching(/^\/9j\//),
						Filename: expect.stringMatching(/^face_20250301-103020-\d{9}\.jpg$/),
					},
				],
			},
		});
	});

	it('ends a NEGATIVE order with 17/48 and no data; a FRAUD order with 89, 17/72 and data flagged FraudAttempt', async () => {
		const negative = await create({ Product: 12, Autotest: 'NEGATIVE' });
		const fraud = await create({ Product: 12, Autotest: 'FRAUD' });
		await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
		expect(kinds(negative)).toEqual([25, 77, 78, 79, 75, 104, 105, 108, '17/48']);
		expect((await api('GET', `getIdentData/${negative}`)).body.Error).toContain('No identification data');
		expect(kinds(fraud)).toEqual([25, 77, 78, 79, 75, 104, 105, 20003, 89, '17/72', 80]);
		const data = await api('GET', `getIdentData/${fraud}`);
		expect(data.body).toMatchObject({ FraudAttempt: true, IdentData: [{ Type: 1, Firstname: 'Erika' }] });
	});

	it('is also triggered by the deprecated Ref values, and Autotest wins over Ref', async () => {
		const byRef = await create({ Product: 12, Ref: 'X-AUTOTEST-FRAUD' });
		const both = await create({ Product: 12, Ref: 'X-AUTOTEST-FRAUD', Autotest: 'POSITIVE' });
		expect(context.idnow.order(byRef).autotest).toBe('fraud');
		expect(context.idnow.order(both).autotest).toBe('positive');
	});

	it('runs eID orders through the eID codes, with the restricted identifier derived from CardNo (random without)', async () => {
		const withCard = await create({
			Product: 13,
			Autotest: 'POSITIVE',
			IdentData: { IDCard: { CardNo: 'T220001293' } },
		});
		const again = await create({ Product: 13, Autotest: 'POSITIVE', IdentData: { IDCard: { CardNo: 'T220001293' } } });
		const without = await create({ Product: 13, Autotest: 'POSITIVE' });
		await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
		expect(kinds(withCard)).toEqual([25, 74, 49, 50, 51, 6, 80]);
		const card = async (orderId: string) =>
			(await api('GET', `getIdentData/${orderId}/IncludeIdentifyMethod/IncludeEidJwt`)).body;
		const first = await card(withCard);
		expect(first.IdentifyMethod).toBe('eID');
		expect(first.eidJwt).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
		const idCard = first.IdentData[0].IDCard;
		expect(idCard.eidRestrictedIdentifier).toMatch(/^[0-9A-F]{64}$/);
		expect(idCard.CardNo).toBeUndefined();
		expect((await card(again)).IdentData[0].IDCard.eidRestrictedIdentifier).toBe(idCard.eidRestrictedIdentifier);
		expect((await card(without)).IdentData[0].IDCard.eidRestrictedIdentifier).not.toBe(idCard.eidRestrictedIdentifier);
		// eID takes no pictures unless asked to.
		expect((await api('GET', `getImages/${withCard}`)).body).toEqual({});
	});

	it('returns only the restricted identifier for eID orders with Add 1', async () => {
		const orderId = await create({ Product: 13, Add: 1, Autotest: 'POSITIVE' });
		await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
		const data = (await api('GET', `getIdentData/${orderId}`)).body;
		expect(data.IdentData).toEqual([{ Type: 1, IDCard: { eidRestrictedIdentifier: expect.any(String) } }]);
	});

	it('runs autoID and mobile number verification orders through their codes', async () => {
		const autoId = await create({ Product: 16, Autotest: 'POSITIVE' });
		const mobile = await create({ Product: 17, Autotest: 'POSITIVE', Mobile: '+491701234567' });
		await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
		expect(kinds(autoId)).toEqual([25, 98, 104, 105, 106, 6, 23, 80]);
		expect(kinds(mobile)).toEqual([25, '71/16', 6, 80]);
		const data = (await api('GET', `getIdentData/${mobile}/IncludeIdentifyMethod`)).body;
		expect(data.IdentData[0].Mobile).toBe('+491701234567');
	});

	it('signs eSign orders: 6 is not final for them, 84 is (and it is an extended code)', async () => {
		const orderId = await create({ Product: 15, Autotest: 'POSITIVE', Mobile: '+491701234567' });
		await context.idnow.advanceClock(12_000);
		expect(kinds(orderId)).toContain(6);
		expect(context.idnow.order(orderId).final).toBe(false);
		await context.idnow.advanceClock(8_000);
		expect(kinds(orderId)).toEqual([25, 77, 78, 79, 75, 104, 105, 106, 6, 23, 101, 102, 83, '71/16', 84, 80]);
		expect(context.idnow.order(orderId).final).toBe(true);
		const normal = (await api('GET', `getStatus/${orderId}`)).body.Status.map((entry: { Kind: number }) => entry.Kind);
		expect(normal).toEqual([75, 6, 80]);
	});

	it('creates and verifies a sign-me account for eSign orders with Add 8', async () => {
		const orderId = await create({ Product: 15, Add: 8, Autotest: 'POSITIVE', Email: 'new.signee@example.com' });
		await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
		expect(kinds(orderId)).toEqual(expect.arrayContaining([94, 95, 84]));
		expect(context.idnow.signmeUsers()).toContainEqual({
			email: 'new.signee@example.com',
			ableToSign: ['QES', 'ADV', 'BAS'],
		});
	});

	it('waits after the preview when the account signs customer-side (chapter 5)', async () => {
		context.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, { customerSideSigning: true });
		const orderId = await create({ Product: 15, Autotest: 'POSITIVE', Mobile: '+491701234567' });
		await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
		expect(kinds(orderId).slice(-3)).toEqual([23, 101, 102]);
		expect(context.idnow.order(orderId).final).toBe(false);
	});

	it("takes the account's configurable delay", async () => {
		context.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, { testrobotDelayMs: 2_000 });
		const orderId = await create({ Product: 12, Autotest: 'POSITIVE' });
		await context.idnow.advanceClock(2_000);
		expect(context.idnow.order(orderId).final).toBe(true);
	});
});
