import { IDNOW_TEST_ACCOUNT, MAX_TAN_TRIES, PHONE_TAN_LENGTH } from './index';
import { apiClient, TESTROBOT_DELAY_MS, useSimulator } from './testing';

const context = useSimulator();
const api = apiClient(context);
const MOBILE = '+491701234567';

async function create(body: Record<string, unknown> = {}): Promise<string> {
	const answer = await api('PUT', 'putOrder', { body: { Product: 12, Mobile: MOBILE, ...body } });
	expect(answer.status).toBe(202);
	return answer.body.OrderID;
}

describe('mobile phone number verification (chapter 6)', () => {
	it('verifies with the SMS TAN; the proven number then appears in IdentData', async () => {
		const orderId = await create({ verificationSmsText: 'IDnow code: [TAN]' });
		expect(await api('POST', `requestPhoneVerification/${orderId}`)).toMatchObject({ status: 202, body: {} });
		const [sms] = context.idnow.smsMessages();
		expect(sms).toMatchObject({ to: MOBILE, purpose: 'phone', text: `IDnow code: ${sms.tan}` });
		expect(sms.tan).toHaveLength(PHONE_TAN_LENGTH);
		expect((await api('POST', `provePhoneControl/${orderId}`, { body: { tan: sms.tan } })).status).toBe(202);
		expect((await api('POST', `provePhoneControl/${orderId}`, { body: { tan: sms.tan } })).status).toBe(410);
		expect((await api('POST', `requestPhoneVerification/${orderId}`)).status).toBe(410);
		context.idnow.completeOrder(orderId, 'positive', { immediate: true });
		expect((await api('GET', `getIdentData/${orderId}`)).body.IdentData[0].Mobile).toBe(MOBILE);
	});

	it('identifies a mobile number verification order (product 17) by the proof itself', async () => {
		const orderId = await create({ Product: 17 });
		await api('POST', `requestPhoneVerification/${orderId}`);
		await api('POST', `provePhoneControl/${orderId}`, { body: { tan: context.idnow.latestTan(orderId) } });
		const order = context.idnow.order(orderId);
		expect(order.statuses.map((entry) => entry.kind)).toEqual([25, 71, 6, 80]);
		expect(order.final).toBe(true);
	});

	it('answers 412 before the request, 409 to a wrong TAN, 429 to the last try (order cancelled)', async () => {
		const orderId = await create();
		expect(await api('POST', `provePhoneControl/${orderId}`, { body: { tan: '12345' } })).toMatchObject({
			status: 412,
			body: { Error: 'Process has not been started, call requestPhoneVerification first' },
		});
		expect((await api('POST', `requestResendPhoneTan/${orderId}`)).status).toBe(412);
		await api('POST', `requestPhoneVerification/${orderId}`);
		for (let attempt = 1; attempt < MAX_TAN_TRIES; attempt++) {
			expect((await api('POST', `provePhoneControl/${orderId}`, { body: { tan: 'wrong' } })).status).toBe(409);
		}
		expect((await api('POST', `provePhoneControl/${orderId}`, { body: { tan: 'wrong' } })).status).toBe(429);
		expect(context.idnow.order(orderId).statuses.at(-1)).toMatchObject({ kind: 17, subKind: 61, final: true });
	});

	it('resends a new TAN (status 71 each time)', async () => {
		const orderId = await create();
		await api('POST', `requestPhoneVerification/${orderId}`);
		expect((await api('POST', `requestResendPhoneTan/${orderId}`)).status).toBe(202);
		expect(context.idnow.smsMessages()).toHaveLength(2);
		expect(context.idnow.order(orderId).statuses.filter((entry) => entry.kind === 71)).toHaveLength(2);
		expect(
			(await api('POST', `provePhoneControl/${orderId}`, { body: { tan: context.idnow.latestTan(orderId) } })).status,
		).toBe(202);
	});

	it('answers 406 without a mobile number, 410 for final orders, 404 for deleted data, 400 when not enabled', async () => {
		const withoutMobile = (await api('PUT', 'putOrder', { body: { Product: 12 } })).body.OrderID;
		expect((await api('POST', `requestPhoneVerification/${withoutMobile}`)).status).toBe(406);
		const done = await create({ Autotest: 'POSITIVE' });
		await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
		expect((await api('POST', `requestPhoneVerification/${done}`)).status).toBe(410);
		await api('DELETE', `delIdentdata/${done}`);
		expect((await api('POST', `requestPhoneVerification/${done}`)).status).toBe(404);
		context.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, { phoneVerification: false });
		expect((await api('POST', `requestPhoneVerification/${withoutMobile}`)).body.Error).toBe(
			'Mobile phone number verification is not enabled for this account',
		);
	});
});
