import { AUTH_FAILED, IDNOW_SECOND_ACCOUNT, IDNOW_TEST_ACCOUNT } from './index';
import { apiClient, DOC_TESTROBOT_ORDER, START, useSimulator, type Answer, type Credentials } from './testing';

const context = useSimulator();
const api = apiClient(context);
const DAY = 24 * 60 * 60 * 1000;

async function putOrder(body: Record<string, unknown>, credentials: Credentials = IDNOW_TEST_ACCOUNT): Promise<Answer> {
	return api('PUT', 'putOrder', { body, credentials });
}

async function createdOrderId(body: Record<string, unknown> = { Product: 12 }): Promise<string> {
	const answer = await putOrder(body);
	expect(answer.status).toBe(202);
	return answer.body.OrderID;
}

describe('authentication', () => {
	it.each([
		['no Authorization header', null],
		['a wrong password', { user: IDNOW_TEST_ACCOUNT.user, password: 'nope' }],
		['an unknown user', { user: 'someone', password: IDNOW_TEST_ACCOUNT.password }],
	])('refuses %s with the documented 401', async (_case, credentials) => {
		const answer = await api('GET', 'systemStatus', { credentials });
		expect(answer.status).toBe(401);
		expect(answer.body).toEqual({ Error: AUTH_FAILED });
		expect(answer.headers.get('www-authenticate')).toBe('Basic realm="identity.TM"');
	});

	it('refuses a Bearer scheme and a header without a colon', async () => {
		for (const authorization of ['Bearer abc', `Basic ${Buffer.from('no-colon').toString('base64')}`]) {
			const answer = await api('GET', 'systemStatus', { credentials: null, headers: { authorization } });
			expect(answer.status).toBe(401);
		}
	});

	it('keeps each account to its own orders: another account gets 404 everywhere', async () => {
		const orderId = await createdOrderId();
		const other = { credentials: IDNOW_SECOND_ACCOUNT };
		for (const path of [`getStatus/${orderId}`, `getIdentData/${orderId}`, `getImages/${orderId}`]) {
			expect(await api('GET', path, other)).toMatchObject({ status: 404, body: { Error: 'Order not found' } });
		}
		expect((await api('POST', `cancelOrder/${orderId}`, other)).status).toBe(404);
	});
});

describe('putOrder', () => {
	it('answers 202 with OrderID and Ref only, unless links are asked for (PUT, and POST as in the Testrobot example)', async () => {
		const put = await putOrder({ Product: 12, Ref: 'customer-1' });
		expect(put.status).toBe(202);
		expect(put.body).toEqual({ OrderID: expect.stringMatching(/^999[0-9A-F]{11}$/), Ref: 'customer-1' });
		const post = await api('POST', 'putOrder', { body: { Product: 12 } });
		expect(post).toMatchObject({ status: 202, body: { Ref: '' } });
	});

	it("returns TargetURL, DeepLinkURL, AutoIdURL and VideoHashes when asked, in the document's shapes", async () => {
		const answer = await putOrder({
			Product: 12,
			getTargetLink: true,
			getDeepLink: true,
			getAutoIdLink: true,
			getVideoHashes: true,
		});
		expect(answer.body).toEqual({
			OrderID: expect.any(String),
			Ref: '',
			TargetURL: expect.stringMatching(new RegExp(`^${context.base}/status/[0-9A-F]{32}$`)),
			DeepLinkURL: expect.stringMatching(new RegExp(`^${context.base}/ident/[0-9A-F]{32}$`)),
			AutoIdURL: expect.stringMatching(new RegExp(`^${context.base}/autoid/[0-9A-F]{32}$`)),
			VideoHashes: {
				ShortCode: expect.stringMatching(/^[A-Z0-9]{5}$/),
				LongCode: expect.stringMatching(/^[A-Za-z0-9-]{20}$/),
			},
		});
		// Video hashes exist for products 12 and 15 only.
		expect((await putOrder({ Product: 13, getVideoHashes: true })).body.VideoHashes).toBeUndefined();
	});

	it("accepts the document's Testrobot example as it is", async () => {
		const answer = await api('POST', 'putOrder', { body: DOC_TESTROBOT_ORDER });
		expect(answer).toMatchObject({ status: 202, body: { Ref: 'Test order' } });
	});

	it('sets status 25 at once and mails the invitation when an e-mail address is known', async () => {
		const orderId = await createdOrderId({ Product: 12, Email: 'erika@example.com' });
		const order = context.idnow.order(orderId);
		expect(order.statuses.map((entry) => [entry.kind, entry.subKind])).toEqual([
			[25, undefined],
			[7, 12],
		]);
		expect(context.idnow.emails()).toEqual([
			expect.objectContaining({
				to: 'erika@example.com',
				kind: 'invitation',
				orderId,
				text: expect.stringContaining(order.landingUrl),
			}),
		]);
	});

	const tooLong = (length: number) => 'x'.repeat(length + 1);
	it.each([
		['a body that is not an object', [], 'Request body must be a JSON object'],
		['no Product', {}, 'Product: is required'],
		['a Product that is not a number', { Product: '12' }, 'Product: must be a number'],
		['an unknown Product', { Product: 14 }, 'Product: 14 is an unknown product'],
		['a negative Add', { Product: 12, Add: -1 }, 'Add: must be at least 0'],
		['a Ref over 100 characters', { Product: 12, Ref: tooLong(100) }, 'Ref: at most 100 characters'],
		[
			'an Email over 50 characters',
			{ Product: 12, Email: `${tooLong(45)}@example.com` },
			'Email: at most 50 characters',
		],
		['an Email without @', { Product: 12, Email: 'erika' }, 'Email: must be an e-mail address'],
		['a Mobile with blanks', { Product: 12, Mobile: '+49 170 1234567' }, 'Mobile: must be an international number'],
		['a Phone without +', { Product: 12, Phone: '01701234567' }, 'Phone: must be an international number'],
		['a Lang of three letters', { Product: 12, Lang: 'deu' }, 'Lang: at most 2 characters'],
		[
			'AfterVideo together with AfterIdent',
			{ Product: 12, WebhookURL: { AfterVideo: 'https://a.example/v', AfterIdent: 'https://a.example/i' } },
			'WebhookURL.AfterVideo: cannot be used together with AfterIdent',
		],
		[
			'an unknown webhook kind',
			{ Product: 12, WebhookURL: { OnFinish: 'https://a.example/' } },
			'WebhookURL: unknown element OnFinish',
		],
		[
			'a webhook URL over 250 characters',
			{ Product: 12, WebhookURL: { OnFinal: `https://a.example/${tooLong(240)}` } },
			'WebhookURL.OnFinal: at most 250 characters',
		],
		[
			'a webhook that is no URL',
			{ Product: 12, WebhookURL: { OnFinal: 'webhook' } },
			'WebhookURL.OnFinal: must be an absolute http(s) URL',
		],
		[
			'a RedirectURL.Success over 150 characters',
			{ Product: 12, RedirectURL: { Success: `https://a.example/${tooLong(140)}` } },
			'RedirectURL.Success: at most 150 characters',
		],
		[
			'an Address without Surname',
			{ Product: 12, Address: { Firstname: 'Erika', Country: 'DE' } },
			'Address.Surname: is required',
		],
		[
			'an Address ZipCode of 6 characters',
			{ Product: 12, Address: { Firstname: 'E', Surname: 'M', Country: 'DE', ZipCode: '123456' } },
			'Address.ZipCode: at most 5 characters',
		],
		[
			'an Address Country not ISO 3166',
			{ Product: 12, Address: { Firstname: 'E', Surname: 'M', Country: 'XX' } },
			'Address.Country: must be an ISO 3166 country code',
		],
		['Shop without Address', { Product: 11 }, 'Address: is required'],
		[
			'an IdentData ZipCode of 6 characters',
			{ Product: 12, IdentData: { ZipCode: '123456' } },
			'IdentData.ZipCode: at most 5 characters',
		],
		[
			'an IdentData Birthdate that is no date',
			{ Product: 12, IdentData: { Birthdate: '1964-02-30' } },
			'IdentData.Birthdate: must be a date YYYY-MM-DD',
		],
		[
			'an unknown Gender',
			{ Product: 12, IdentData: { Gender: 'other' } },
			'IdentData.Gender: must be female, male or diverse',
		],
		[
			'an IDCard CardNo over 50 characters',
			{ Product: 12, IdentData: { IDCard: { CardNo: tooLong(50) } } },
			'IdentData.IDCard.CardNo: at most 50 characters',
		],
		[
			'IDCard images that are not Base64',
			{ Product: 12, IdentData: { IDCard: { Images: { Front: 'not base64!' } } } },
			'IdentData.IDCard.Images.Front: must be Base64',
		],
		[
			'an Additional field without Label',
			{ Product: 12, IdentData: { Additional: { x: { Type: 1 } } } },
			'IdentData.Additional.x.Label: is required',
		],
		[
			'an Additional date that is no date',
			{ Product: 12, IdentData: { Additional: { x: { Type: 2, Label: 'L', Value: 'soon' } } } },
			'IdentData.Additional.x.Value: must be a date',
		],
		[
			'three Additional fields for Shop',
			{
				Product: 11,
				Address: { Firstname: 'E', Surname: 'M', Country: 'DE' },
				IdentData: {
					Additional: { a: { Type: 1, Label: 'a' }, b: { Type: 1, Label: 'b' }, c: { Type: 1, Label: 'c' } },
				},
			},
			'IdentData.Additional: at most 2 items',
		],
		[
			'a CollectedBy over 255 characters',
			{ Product: 12, IdentData: { CollectedBy: tooLong(255) } },
			'IdentData.CollectedBy: at most 255 characters',
		],
		['an unknown Autotest value', { Product: 12, Autotest: 'MAYBE' }, 'Autotest: must be POSITIVE, NEGATIVE or FRAUD'],
		[
			'a Purpose key that is no language code',
			{ Product: 12, Purpose: { german: 'x' } },
			'Purpose.german: the key must be a two-letter language code',
		],
		[
			'eSignPDF without eSign product',
			{ Product: 12, eSignPDF: { Data: Buffer.from('%PDF-1.4').toString('base64') } },
			'eSignPDF: requires Product 15',
		],
		[
			'an eSignPDF that is not a PDF',
			{ Product: 15, eSignPDF: { Data: Buffer.from('hello').toString('base64') } },
			'eSignPDF.Data: is not a PDF',
		],
		[
			'an encrypted eSignPDF',
			{ Product: 15, eSignPDF: { Data: Buffer.from('%PDF-1.4 /Encrypt').toString('base64') } },
			'eSignPDF.Data: the PDF must be unprotected',
		],
		[
			'signature position with field name',
			{
				Product: 15,
				eSignPDF: [{ Data: Buffer.from('%PDF-1.4').toString('base64'), SignaturePosX: 1, SignatureFieldName: 'f' }],
			},
			'eSignPDF[0].SignatureFieldName: position and field name cannot be used at the same time',
		],
		[
			'a tag found twice',
			{ Product: 15, eSignPDF: { Data: Buffer.from('%PDF-1.4 SIGN SIGN').toString('base64'), SignatureTag: 'SIGN' } },
			'eSignPDF.SignatureTag: the tag appears more than once',
		],
		['an eSignHash without Filename', { Product: 15, eSignHash: { Hash: 'AAAA' } }, 'eSignHash.Filename: is required'],
		[
			'an unknown FirstOrderID',
			{ Product: 15, MultiSignOptions: { FirstOrderID: '99900000000000' } },
			'MultiSignOptions.FirstOrderID: no eSign order',
		],
		[
			'EmailNotifications to no address',
			{ Product: 12, EmailNotifications: { OnPositiveIdent: 'nobody' } },
			'EmailNotifications.OnPositiveIdent: must be an e-mail address',
		],
	])('refuses %s with 400 naming the element', async (_case, body, message) => {
		const answer = await putOrder(body as Record<string, unknown>);
		expect(answer.status).toBe(400);
		expect(answer.body.Error).toContain(message);
	});

	it('answers malformed JSON with 400', async () => {
		expect(await api('PUT', 'putOrder', { body: '{"Product":' })).toMatchObject({
			status: 400,
			body: { Error: 'Malformed JSON body' },
		});
	});

	it("enforces Email and Add only with strictRequired (the document's own examples omit them)", async () => {
		expect((await putOrder({ Product: 12 })).status).toBe(202);
		context.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, { strictRequired: true });
		expect((await putOrder({ Product: 12, Add: 0 })).body.Error).toBe('Email: is required');
		expect((await putOrder({ Product: 12, Email: 'e@example.com' })).body.Error).toBe('Add: is required');
		// The account has Shop enabled, so strictly read the Address is mandatory too.
		expect((await putOrder({ Product: 12, Add: 0, Email: 'e@example.com' })).body.Error).toBe('Address: is required');
	});

	it('refuses products the account does not have and Autotest outside integration accounts', async () => {
		context.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, { products: [12], integration: false });
		expect((await putOrder({ Product: 13 })).body.Error).toBe(
			'Product: 13 is not enabled for this account; enabled: 12',
		);
		expect((await putOrder({ Product: 12, Autotest: 'POSITIVE' })).body.Error).toContain('integration accounts only');
		// The deprecated Ref trigger is then just a Ref.
		const orderId = await createdOrderId({ Product: 12, Ref: 'X-AUTOTEST-POSITIVE' });
		expect(context.idnow.order(orderId).autotest).toBeNull();
	});
});

describe('getStatus', () => {
	async function finishedOrder(): Promise<string> {
		const orderId = await createdOrderId({ Product: 12, Autotest: 'NEGATIVE' });
		await context.idnow.advanceClock(20_000);
		return orderId;
	}

	it("lists normal codes by default, in the document's shape with German times", async () => {
		const orderId = await finishedOrder();
		const answer = await api('GET', `getStatus/${orderId}`);
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({
			OrderID: orderId,
			Ref: '',
			Executed: '2025-03-01T10:30:20+01:00',
			Status: [
				{ Kind: 75, Time: '2025-03-01T10:30:14+01:00' },
				{ Kind: 17, Time: '2025-03-01T10:30:20+01:00' },
			],
		});
	});

	it('adds extended codes with ExtendedList and sub-status codes with IncludeSubKind, in either order', async () => {
		const orderId = await finishedOrder();
		const extended = await api('GET', `getStatus/${orderId}/ExtendedList`);
		expect(extended.body.Status.map((entry: { Kind: number }) => entry.Kind)).toEqual([
			25, 77, 78, 79, 75, 104, 105, 108, 17,
		]);
		expect(extended.body.Status.some((entry: object) => 'SubKind' in entry)).toBe(false);
		const both = await api('GET', `getStatus/${orderId}/ExtendedList/IncludeSubKind`);
		expect(both.body.Status.at(-1)).toEqual({ Kind: 17, SubKind: 48, Time: '2025-03-01T10:30:20+01:00' });
		const reversed = await api('GET', `getStatus/${orderId}/IncludeSubKind/ExtendedList`);
		expect(reversed.body.Status).toEqual(both.body.Status);
		const normalWithSub = await api('GET', `getStatus/${orderId}/IncludeSubKind`);
		expect(normalWithSub.body.Status).toEqual([
			{ Kind: 75, Time: '2025-03-01T10:30:14+01:00' },
			{ Kind: 17, SubKind: 48, Time: '2025-03-01T10:30:20+01:00' },
		]);
	});

	it('answers 400 for unknown or repeated variants and 404 for unknown orders', async () => {
		const orderId = await createdOrderId();
		expect((await api('GET', `getStatus/${orderId}/Extended`)).body.Error).toContain('Unknown variant "Extended"');
		expect((await api('GET', `getStatus/${orderId}/ExtendedList/ExtendedList`)).status).toBe(400);
		expect(await api('GET', 'getStatus/99900000000000')).toMatchObject({
			status: 404,
			body: { Error: 'Order not found' },
		});
	});

	it('shows times with the summer offset in summer', async () => {
		context.idnow.clock.set(Date.UTC(2025, 6, 1, 10, 0, 0));
		const orderId = await createdOrderId();
		const answer = await api('GET', `getStatus/${orderId}/ExtendedList`);
		expect(answer.body.Status[0].Time).toBe('2025-07-01T12:00:00+02:00');
	});
});

describe('getOrdersByRef', () => {
	it("answers the account's orders with that Ref of the last 90 days, newest first", async () => {
		const old = await createdOrderId({ Product: 12, Ref: 'ref-1.a+b' });
		context.idnow.clock.advance(1000);
		const newer = await createdOrderId({ Product: 12, Ref: 'ref-1.a+b' });
		await createdOrderId({ Product: 12, Ref: 'other' });
		expect(await api('GET', 'getOrdersByRef/ref-1.a+b')).toMatchObject({ status: 200, body: [newer, old] });
		context.idnow.clock.set(START + 90 * DAY + 500);
		expect((await api('GET', 'getOrdersByRef/ref-1.a+b')).body).toEqual([newer]);
		context.idnow.clock.advance(1000);
		expect(await api('GET', 'getOrdersByRef/ref-1.a+b')).toMatchObject({ status: 404 });
	});

	it('refuses Refs outside a-z A-Z 0-9 - . + with 400 and finds none of another account', async () => {
		await createdOrderId({ Product: 12, Ref: 'mine' });
		expect((await api('GET', 'getOrdersByRef/with%20space')).status).toBe(400);
		expect((await api('GET', 'getOrdersByRef/under_score')).status).toBe(400);
		expect((await api('GET', 'getOrdersByRef/mine', { credentials: IDNOW_SECOND_ACCOUNT })).status).toBe(404);
	});
});

describe('cancelOrder', () => {
	it('cancels an open order (63, final) and stops its Testrobot; a final order is 406', async () => {
		const orderId = await createdOrderId({ Product: 12, Autotest: 'POSITIVE' });
		await context.idnow.advanceClock(5_000);
		expect(await api('POST', `cancelOrder/${orderId}`)).toMatchObject({ status: 202, body: {} });
		await context.idnow.advanceClock(30_000);
		const order = context.idnow.order(orderId);
		expect(order.statuses.map((entry) => entry.kind)).toEqual([25, 77, 78, 63]);
		expect(order.final).toBe(true);
		expect(await api('POST', `cancelOrder/${orderId}`)).toMatchObject({
			status: 406,
			body: { Error: 'Order not in a cancellable state' },
		});
		expect((await api('POST', 'cancelOrder/99900000000000')).status).toBe(404);
	});
});

describe('time-out', () => {
	it("times an untouched order out after the account's timeout (99), final", async () => {
		const orderId = await createdOrderId();
		await context.idnow.advanceClock(14 * DAY);
		const order = context.idnow.order(orderId);
		expect(order.statuses.at(-1)).toMatchObject({ kind: 99, final: true });
	});
});
