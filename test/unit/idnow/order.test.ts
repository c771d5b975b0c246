import { binaryInput } from '../../harness';
import { errorOf, finishedOrder, firstJson, runner, TESTROBOT_DELAY_MS, useIdnow, WEBHOOK_TOKEN } from './fixture';

const TRIGGER_URL = 'https://n8n.example.com/webhook/0f6c2b9e-4d1a-4f7e-9a55-2b8c1d3e4f50/idnow';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nSIGN_HERE\n%%EOF\n');

describe('IDnow Order', () => {
	const fixture = useIdnow();
	const run = runner(fixture);

	describe('Create', () => {
		it('sends every field as putOrder expects and returns the OrderID and link (202)', async () => {
			const { output } = await run('order', 'create', {
				product: 12,
				ref: 'customer-4711',
				email: 'erika@example.com',
				person: {
					Firstname: 'Erika',
					Surname: 'Mustermann',
					Street: 'Heidestr. 17',
					ZipCode: '51147',
					City: 'Köln',
					Country: 'DE',
					Birthdate: '1964-08-12T00:00:00.000Z',
					Gender: 'female',
					Mobile: '+49 170 123-4567',
					IDCard: { card: { CardNo: 'T22000129', CountryOfIssue: 'DE', ValidUntil: '2031-10-31' } },
					Additional: { field: [{ name: 'idCardDateOfIssue', type: 2, label: 'Date of Issue', value: '2010-01-11' }] },
				},
				orderFields: {
					add: [131072, 4096],
					addRaw: 1,
					Autotest: 'POSITIVE',
					Lang: 'DE',
					eidSettings: ['EnableOCR', 'NoVideoFallback'],
					redirectSuccess: 'https://example.com/ok?o=[OrderID]',
					Address: { address: { Firstname: 'Erika', Surname: 'Mustermann', Country: 'DE' } },
					purposeByLanguage: { language: [{ code: 'de', text: 'Kontoeröffnung' }, { code: 'EN', text: 'Account opening' }] },
					EmailNotifications: { notify: { OnPositiveIdent: 'kyc@example.com' } },
					CustomerRouteTag: 'team-a',
					jsonBody: '{"LegitimationDocument": ["Meldebescheinigung"]}',
				},
			});
			const json = firstJson(output);
			expect(json).toMatchObject({ OrderID: expect.stringMatching(/^999/), Ref: 'customer-4711', Product: 12, orderKind: 'identification' });
			expect(json.link).toBe(json.TargetURL);
			const { body } = fixture.idnow.order(json.OrderID);
			expect(body).toEqual({
				Ref: 'customer-4711',
				Product: 12,
				Add: 131072 | 4096 | 1,
				Autotest: 'POSITIVE',
				Lang: 'de',
				eIDSettings: { EnableOCR: true, NoVideoFallback: true },
				getTargetLink: true,
				RedirectURL: { Success: 'https://example.com/ok?o=[OrderID]' },
				Email: 'erika@example.com',
				Address: { Firstname: 'Erika', Surname: 'Mustermann', Country: 'DE' },
				IdentData: {
					Firstname: 'Erika',
					Surname: 'Mustermann',
					Street: 'Heidestr. 17',
					ZipCode: '51147',
					City: 'Köln',
					Country: 'DE',
					Gender: 'female',
					Birthdate: '1964-08-12',
					Mobile: '+491701234567',
					IDCard: { CardNo: 'T22000129', CountryOfIssue: 'DE', ValidUntil: '2031-10-31' },
					Additional: { idCardDateOfIssue: { Type: 2, Label: 'Date of Issue', Value: '2010-01-11' } },
				},
				LegitimationDocument: ['Meldebescheinigung'],
				EmailNotifications: { OnPositiveIdent: 'kyc@example.com' },
				Purpose: { de: 'Kontoeröffnung', en: 'Account opening' },
				CustomerRouteTag: 'team-a',
			});
		});

		it('always sends Add (0: normal behaviour, as the table requires it)', async () => {
			const { output } = await run('order', 'create', { product: 13 });
			expect(fixture.idnow.order(firstJson(output).OrderID).body).toEqual({ Product: 13, Add: 0, getTargetLink: true });
		});

		it('takes a custom product number', async () => {
			const { output } = await run('order', 'create', { product: 'custom', productNumber: 17, getTargetLink: false });
			expect(fixture.idnow.order(firstJson(output).OrderID).body).toEqual({ Product: 17, Add: 0 });
		});

		it("fills the webhook URLs with the trigger's URL, the credential's token and the placeholders", async () => {
			const { output } = await run('order', 'create', {
				product: 12,
				sendToTrigger: true,
				triggerUrl: `${TRIGGER_URL}/`,
				triggerKinds: ['OnFinal', 'OnStatusChange'],
				orderFields: { webhookUrls: { webhook: [{ kind: 'OnError', url: 'https://example.com/error?o=[OrderID]' }] } },
			});
			const json = firstJson(output);
			expect(json.webhookKinds).toEqual(['OnFinal', 'OnStatusChange', 'OnError']);
			expect(JSON.stringify(json)).not.toContain(WEBHOOK_TOKEN);
			expect(fixture.idnow.order(json.OrderID).body.WebhookURL).toEqual({
				OnFinal: `${TRIGGER_URL}?kind=OnFinal&orderId=[OrderID]&ref=[Ref]&token=${WEBHOOK_TOKEN}`,
				OnStatusChange: `${TRIGGER_URL}?kind=OnStatusChange&orderId=[OrderID]&ref=[Ref]&statusCode=[statusCode]&token=${WEBHOOK_TOKEN}`,
				OnError: 'https://example.com/error?o=[OrderID]',
			});
		});

		it('sends eSign documents from binary input fields, placed by tag, and the ID card images', async () => {
			const front = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
			const { output } = await run(
				'order',
				'create',
				{
					product: 15,
					person: { IDCard: { card: { frontImage: 'front' } } },
					orderFields: {
						eSignDocuments: {
							document: [
								{ binaryProperty: 'contract', placement: 'tag', SignatureTag: 'SIGN_HERE', page: 1, SignatureOffsetPosX: 10, SignatureOffsetPosY: 0 },
								{ binaryProperty: 'terms', filename: 'terms.pdf', placement: 'position', page: 2, SignaturePosX: 100, SignaturePosY: 120, SignatureWidth: 0, SignatureHeight: 60 },
							],
						},
					},
				},
				{
					items: [
						{
							json: {},
							binary: {
								contract: await binaryInput(PDF, 'contract.pdf'),
								terms: await binaryInput(PDF, 'x.pdf'),
								front: await binaryInput(front, 'front.jpg'),
							},
						},
					],
				},
			);
			const json = firstJson(output);
			expect(json.orderKind).toBe('eSign');
			const { body, documents } = fixture.idnow.order(json.OrderID);
			expect(documents).toEqual([
				{ filename: 'contract.pdf', bytes: PDF.length },
				{ filename: 'terms.pdf', bytes: PDF.length },
			]);
			expect(body.eSignPDF).toEqual([
				{ Data: PDF.toString('base64'), Filename: 'contract.pdf', SignaturePage: 1, SignatureTag: 'SIGN_HERE', SignatureOffsetPosX: 10 },
				{ Data: PDF.toString('base64'), Filename: 'terms.pdf', SignaturePage: 2, SignaturePosX: 100, SignaturePosY: 120, SignatureHeight: 60 },
			]);
			expect(body.IdentData).toEqual({ IDCard: { Images: { Front: front.toString('base64') } } });
		});

		it.each<[string, Record<string, unknown>, string, string]>([
			[
				'a Ref over 100 characters',
				{ ref: 'r'.repeat(101) },
				'"Ref" (Ref) has 101 characters; IDnow allows at most 100',
				'Shorten it to 100 characters.',
			],
			[
				'an e-mail address over 50 characters',
				{ email: `${'e'.repeat(40)}@example.com` },
				'"Email" (Email) has 52 characters; IDnow allows at most 50',
				'Shorten it to 50 characters.',
			],
			[
				'a malformed e-mail address',
				{ email: 'erika.example.com' },
				'"Email" (Email) "erika.example.com" is not an e-mail address',
				'Enter an e-mail address, e.g. erika.mustermann@example.com.',
			],
			[
				'a ZIP code over 5 characters',
				{ person: { ZipCode: '511470' } },
				'"Person to Check → ZipCode" (IdentData.ZipCode) has 6 characters; IDnow allows at most 5',
				'Shorten it to 5 characters.',
			],
			[
				'an unknown country code',
				{ person: { Country: 'XX' } },
				'"Person to Check → Country" (IdentData.Country) "XX" is not an ISO 3166-1 alpha-2 country code',
				'Enter the two capital letters of the country, e.g. DE, AT or NL.',
			],
			[
				'an alpha-3 country code where two letters are allowed',
				{ person: { Country: 'DEU' } },
				'"Person to Check → Country" (IdentData.Country) has 3 characters; IDnow allows at most 2',
				'Shorten it to 2 characters.',
			],
			[
				'a national phone number',
				{ orderFields: { Mobile: '0170 1234567' } },
				'"Mobile" (Mobile) "01701234567" is not an international phone number (+, country code, number, no spaces)',
				'Enter an international phone number (+, country code, number, no spaces), e.g. +491701234567.',
			],
			[
				'an impossible birth date',
				{ person: { Birthdate: '1964-02-30' } },
				'"Person to Check → Birthdate" (IdentData.Birthdate) "1964-02-30" is not a date YYYY-MM-DD',
				'Enter the date as YYYY-MM-DD, e.g. 1964-08-12.',
			],
			[
				'AfterVideo together with AfterIdent',
				{ sendToTrigger: true, triggerUrl: TRIGGER_URL, triggerKinds: ['AfterVideo', 'AfterIdent'] },
				'"Webhook URLs → AfterVideo" (WebhookURL.AfterVideo) cannot be used together with AfterIdent',
				'Keep one of AfterVideo and AfterIdent: IDnow refuses both.',
			],
			[
				'a relative redirect URL',
				{ orderFields: { redirectSuccess: '/thanks' } },
				'"Redirect URL on Success" (RedirectURL.Success) "/thanks" is not an absolute http(s) URL',
				'Enter the whole URL, starting with https://.',
			],
			[
				'an address without its required country',
				{ orderFields: { Address: { address: { Firstname: 'Erika', Surname: 'Mustermann' } } } },
				'"Address → Country" (Address.Country) is required',
				'Fill in "Address → Country" (Address.Country).',
			],
			[
				'a purpose over 150 characters',
				{ orderFields: { Purpose: 'p'.repeat(151) } },
				'"Purpose" (Purpose) has 151 characters; IDnow allows at most 150',
				'Shorten it to 150 characters.',
			],
			[
				'an eSign element on an identification order',
				{ orderFields: { IdentDataSigned: 'abc' } },
				'"Signed Identification Data" (IdentDataSigned) is for eSign orders only, but the Product is 12',
				'Choose Product 15 (eSign), or remove it.',
			],
			[
				'a Boolean additional field with another value',
				{ person: { Additional: { field: [{ name: 'adult', type: 3, label: 'Adult', value: 'yes' }] } } },
				'"Person to Check → Additional Fields → adult → Value" (IdentData.Additional.adult.Value) "yes" is not "true" or "false"',
				'Enter "true" or "false", e.g. true.',
			],
			[
				'eleven additional fields',
				{
					person: {
						Additional: { field: Array.from({ length: 11 }, (_, index) => ({ name: `f${index}`, type: 1, label: `F${index}` })) },
					},
				},
				'"Person to Check → Additional Fields" (IdentData.Additional) has 11 fields; IDnow allows at most 10 for this product',
				'Remove fields until 10 are left.',
			],
			[
				'an element set both ways',
				{ ref: 'a', orderFields: { jsonBody: '{"Ref": "b"}' } },
				'"Ref" is set both by a field and in Additional Body (JSON)',
				'Remove it from one of the two: the node does not guess which one you meant.',
			],
			[
				'JSON that is no object',
				{ orderFields: { jsonBody: '[1, 2]' } },
				'Additional Body (JSON) is not a JSON object',
				'Write it as {"Element": value, …}, or leave it as {}.',
			],
			[
				'both purpose forms',
				{ orderFields: { Purpose: 'KYC', purposeByLanguage: { language: [{ code: 'de', text: 'KYC' }] } } },
				'Purpose and Purpose per Language are both set',
				'Keep one of them: IDnow takes one text for every language or one per language.',
			],
		])('refuses %s before sending, naming the field', async (_, parameters, message, description) => {
			const error = await errorOf(run('order', 'create', { product: 12, ...parameters }));
			expect(error.message).toBe(message);
			expect(error.description).toBe(description);
			expect(fixture.idnow.orders()).toHaveLength(0);
		});

		it('refuses an eSign document that is no PDF, and a binary field the item lacks', async () => {
			const notPdf = await errorOf(
				run(
					'order',
					'create',
					{ product: 15, orderFields: { eSignDocuments: { document: [{ binaryProperty: 'data', placement: 'default' }] } } },
					{ items: [{ json: {}, binary: { data: await binaryInput(Buffer.from('hello'), 'a.txt') } }] },
				),
			);
			expect(notPdf.message).toBe('eSign Documents → Document 1: the binary field "data" holds no PDF');
			const missing = await errorOf(
				run('order', 'create', { product: 15, orderFields: { eSignDocuments: { document: [{ binaryProperty: 'contract', placement: 'default' }] } } }),
			);
			expect(missing.message).toBe('eSign Documents → Document 1: the input item has no binary field "contract"');
			expect(missing.description).toBe('The input item has no binary data: read the file in an earlier node.');
		});

		it('refuses to send webhooks to the trigger without a Webhook Token or with a URL that is not a trigger URL', async () => {
			const { credentialStore } = await import('./fixture');
			const noToken = credentialStore({ user: 'idnow-sandbox', password: 'sandbox-password-1', baseUrl: fixture.idnow.apiBaseUrl });
			const error = await errorOf(
				run('order', 'create', { product: 12, sendToTrigger: true, triggerUrl: TRIGGER_URL, triggerKinds: ['OnFinal'] }, { credentials: noToken }),
			);
			expect(error.message).toBe('The IDnow credential has no Webhook Token');
			const wrongUrl = await errorOf(
				run('order', 'create', { product: 12, sendToTrigger: true, triggerUrl: 'https://n8n.example.com/webhook/abc?x=1', triggerKinds: ['OnFinal'] }),
			);
			expect(wrongUrl.message).toBe('IDnow Trigger URL "https://n8n.example.com/webhook/abc?x=1" is not an IDnow Trigger URL: it must be http(s) without a query');
		});

		it("passes IDnow's own refusal on with its words and what it means (400)", async () => {
			fixture.idnow.configureAccount('idnow-sandbox', { products: [12] });
			const error = await errorOf(run('order', 'create', { product: 16 }));
			expect(error.message).toBe('IDnow: Product: 16 is not enabled for this account; enabled: 12');
			expect(error.description).toContain("IDnow refused the order; its message names the element.");
			expect(error.httpCode).toBe('400');
		});
	});

	describe('Get Status', () => {
		it('explains each status, lists what the variants would list, and gives final, status and reason', async () => {
			const orderId = await finishedOrder(fixture, { Autotest: 'NEGATIVE' });
			const { output } = await run('order', 'getStatus', { orderId });
			const json = firstJson(output);
			expect(json).toMatchObject({ OrderID: orderId, Ref: 'unit-test', final: true, status: 'failed', verified: false, orderKind: 'identification' });
			expect(json.reason).toBe('Identification negatively conducted (17/48: Identification criteria)');
			expect(json.Status.map((entry: { Kind: number }) => entry.Kind)).toEqual([75, 17]);
			expect(json.Status[1]).toEqual({
				Kind: 17,
				Time: expect.any(String),
				meaning: 'Identification negatively conducted',
				extended: false,
				finalForIdentification: true,
				finalForESign: true,
			});
			expect(json.finalStatus).toMatchObject({ Kind: 17, SubKind: 48, subMeaning: 'Identification criteria' });
		});

		it('lists extended codes and sub-statuses when asked', async () => {
			const orderId = await finishedOrder(fixture);
			const { output } = await run('order', 'getStatus', { orderId, options: { extendedList: true, includeSubKind: true } });
			const json = firstJson(output);
			expect(json.Status.map((entry: { Kind: number }) => entry.Kind)).toEqual([25, 77, 78, 79, 75, 104, 105, 106, 6, 23, 80]);
			expect(json).toMatchObject({ final: true, status: 'verified', verified: true, reason: null });
		});

		it('is pending while the order is open, with the latest status as reason', async () => {
			const { OrderID } = fixture.idnow.createOrderDirect({ Product: 12 });
			const json = firstJson((await run('order', 'getStatus', { orderId: OrderID })).output);
			expect(json).toMatchObject({ final: false, status: 'pending', verified: false, finalStatus: null, reason: 'Order initialized (25)' });
		});

		it('counts an eSign order as verified only at 84, even though 84 is an extended code', async () => {
			const { OrderID } = fixture.idnow.createOrderDirect({ Product: 15, Autotest: 'POSITIVE', eSignPDF: { Data: PDF.toString('base64') } });
			await fixture.idnow.advanceClock(TESTROBOT_DELAY_MS * 0.7);
			const asIdentification = firstJson((await run('order', 'getStatus', { orderId: OrderID })).output);
			expect(asIdentification).toMatchObject({ final: true, status: 'verified' });
			const midway = firstJson((await run('order', 'getStatus', { orderId: OrderID, orderKind: 'eSign' })).output);
			expect(midway).toMatchObject({ final: false, status: 'pending', verified: false });
			await fixture.idnow.advanceClock(TESTROBOT_DELAY_MS);
			const signed = firstJson((await run('order', 'getStatus', { orderId: OrderID, orderKind: 'eSign' })).output);
			expect(signed).toMatchObject({ final: true, status: 'verified', verified: true, finalStatus: { Kind: 84 } });
			expect(signed.Status.map((entry: { Kind: number }) => entry.Kind)).not.toContain(84);
		});

		it.each<[string, () => Promise<string>, string, string]>([
			['a fraud attempt as review', async () => await finishedOrder(fixture, { Autotest: 'FRAUD' }), 'review', 'Possible fraud attempt by customer (89)'],
			['a cancellation as cancelled', async () => {
				const { OrderID } = fixture.idnow.createOrderDirect({ Product: 12 });
				fixture.idnow.completeOrder(String(OrderID), 'cancel', { immediate: true });
				return String(OrderID);
			}, 'cancelled', 'Identification refused by customer (16)'],
			['a time-out as expired', async () => {
				const { OrderID } = fixture.idnow.createOrderDirect({ Product: 12 });
				fixture.idnow.expireOrder(String(OrderID));
				return String(OrderID);
			}, 'expired', 'TimeOut (99)'],
		])('reports %s', async (_, makeOrder, status, reason) => {
			const json = firstJson((await run('order', 'getStatus', { orderId: await makeOrder() })).output);
			expect(json).toMatchObject({ final: true, status, verified: false, reason });
		});

		it('refuses an OrderID IDnow cannot have, and explains an unknown one (404)', async () => {
			const bad = await errorOf(run('order', 'getStatus', { orderId: '9992/../x' }));
			expect(bad.message).toBe('"9992/../x" is not an IDnow OrderID');
			const unknown = await errorOf(run('order', 'getStatus', { orderId: '99900000000000' }));
			expect(unknown.httpCode).toBe('404');
			expect(unknown.description).toBe(
				'IDnow knows no order with this OrderID for this account. Check the OrderID and that the credential belongs to the account that created it.',
			);
		});
	});

	describe('Get Orders by Ref', () => {
		it('gives one item per OrderID, newest first, and none when IDnow finds none', async () => {
			const first = fixture.idnow.createOrderDirect({ Product: 12, Ref: 'case-7' });
			await fixture.idnow.advanceClock(1000);
			const second = fixture.idnow.createOrderDirect({ Product: 12, Ref: 'case-7' });
			const { output } = await run('order', 'getOrdersByRef', { ref: 'case-7' });
			expect(output[0].map((item) => item.json)).toEqual([
				{ OrderID: second.OrderID, Ref: 'case-7' },
				{ OrderID: first.OrderID, Ref: 'case-7' },
			]);
			expect((await run('order', 'getOrdersByRef', { ref: 'nobody' })).output[0]).toEqual([]);
		});

		it('refuses a Ref IDnow cannot search for, naming the character', async () => {
			const error = await errorOf(run('order', 'getOrdersByRef', { ref: 'case 7' }));
			expect(error.message).toBe('The Ref "case 7" contains " ", which IDnow cannot search for');
			expect(error.description).toBe(
				'IDnow finds orders only by Refs made of a-z A-Z 0-9 - . + (document 3.13). Give new orders such Refs if you need to find them.',
			);
		});
	});

	describe('Cancel', () => {
		it('cancels an open order (63) and explains why a final one cannot be (406)', async () => {
			const { OrderID } = fixture.idnow.createOrderDirect({ Product: 12 });
			const json = firstJson((await run('order', 'cancel', { orderId: OrderID })).output);
			expect(json).toEqual({ OrderID, cancelled: true });
			expect(fixture.idnow.order(String(OrderID)).statuses.at(-1)?.kind).toBe(63);
			const error = await errorOf(run('order', 'cancel', { orderId: OrderID }));
			expect(error.httpCode).toBe('406');
			expect(error.description).toBe(
				'The order is final already and cannot be cancelled. To remove its result data, use Identification → Delete Data.',
			);
		});
	});

	describe('Wait for Final Status', () => {
		it('checks until the order is final and outputs it like Get Status', async () => {
			const { OrderID } = fixture.idnow.createOrderDirect({ Product: 12, Autotest: 'POSITIVE' });
			const statusCalls = () => fixture.idnow.requests({ method: 'GET' }).filter((request) => request.path.includes('/getStatus/')).length;
			const waiting = run('order', 'waitForFinalStatus', { orderId: OrderID, options: { pollIntervalSeconds: 0.05, waitTimeoutSeconds: 10 } });
			while (statusCalls() === 0) await new Promise((resolve) => setImmediate(resolve));
			await fixture.idnow.advanceClock(TESTROBOT_DELAY_MS);
			const json = firstJson((await waiting).output);
			expect(json).toMatchObject({ OrderID, final: true, status: 'verified', verified: true });
			expect(statusCalls()).toBeGreaterThanOrEqual(2);
		});

		it('fails on timeout with the last status, or outputs the open order when told to', async () => {
			const { OrderID } = fixture.idnow.createOrderDirect({ Product: 12 });
			const error = await errorOf(run('order', 'waitForFinalStatus', { orderId: OrderID, options: { waitTimeoutSeconds: 0 } }));
			expect(error.message).toBe(`The order ${OrderID} is still open (last status: Order initialized (25))`);
			expect(error.description).toBe(
				'It did not finish within 0 s. Raise "Wait Timeout", choose "On Timeout: Output the Open Order", or use the IDnow Trigger (OnFinal) or a scheduled IDnow Get Status.',
			);
			const { output } = await run('order', 'waitForFinalStatus', { orderId: OrderID, options: { waitTimeoutSeconds: 0, onTimeout: 'output' } });
			expect(firstJson(output)).toMatchObject({ final: false, status: 'pending' });
		});
	});
});
