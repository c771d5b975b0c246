import { IDNOW_TEST_ACCOUNT, MAX_TAN_TRIES } from '../../sandbox/idnow';
import { errorOf, firstJson, runner, TEST_MOBILE, useIdnow } from './fixture';

const fixture = useIdnow();
const run = runner(fixture);

const HINT_409 =
	'The TAN is wrong (409). Ask the person for the TAN of the latest SMS and confirm again: each wrong TAN counts, and too many cancel the order.';
const HINT_410 =
	'The order has already been processed (410): it is final (signed, verified, cancelled, refused or timed out). Check it with Order → Get Status.';
const HINT_412 = 'Phone verification has not been started for this order (412): run Phone Verification → Request first; it sends the TAN.';

/** An open mobile number verification order (product 17). */
function mobileOrder(body: Record<string, unknown> = { Mobile: TEST_MOBILE }): string {
	return String(fixture.idnow.createOrderDirect({ Product: 17, ...body }).OrderID);
}

describe('Phone Verification', () => {
	it('verifies: Request sends a 5-character TAN, Prove Control with it verifies the number', async () => {
		const orderId = mobileOrder();
		expect(firstJson((await run('phoneVerification', 'request', { orderId })).output)).toEqual({ OrderID: orderId, verificationStarted: true });
		const [sms] = fixture.idnow.smsMessages();
		expect(sms).toMatchObject({ to: TEST_MOBILE, purpose: 'phone', orderId });
		const proven = await run('phoneVerification', 'proveControl', { orderId, tan: sms.tan });
		expect(firstJson(proven.output)).toEqual({ OrderID: orderId, phoneVerified: true });
		expect(fixture.idnow.order(orderId).statuses.map((entry) => entry.kind)).toContain(6);
	});

	it('resends a TAN that replaces the previous one', async () => {
		const orderId = mobileOrder();
		await run('phoneVerification', 'request', { orderId });
		expect(firstJson((await run('phoneVerification', 'resendTan', { orderId })).output)).toEqual({ OrderID: orderId, tanResent: true });
		expect(fixture.idnow.smsMessages()).toHaveLength(2);
		await run('phoneVerification', 'proveControl', { orderId, tan: fixture.idnow.latestTan(orderId) });
		expect(fixture.idnow.order(orderId).final).toBe(true);
	});

	it('explains a wrong TAN (409), the last try (429) and the processed order (410)', async () => {
		const orderId = mobileOrder();
		await run('phoneVerification', 'request', { orderId });
		for (let attempt = 1; attempt < MAX_TAN_TRIES; attempt++) {
			const wrong = await errorOf(run('phoneVerification', 'proveControl', { orderId, tan: '00000' }));
			expect(wrong).toMatchObject({ httpCode: '409', message: 'IDnow: Wrong TAN given', description: HINT_409 });
		}
		const tooMany = await errorOf(run('phoneVerification', 'proveControl', { orderId, tan: '00000' }));
		expect(tooMany).toMatchObject({
			httpCode: '429',
			description: 'Too many wrong TANs (429): IDnow cancelled the order. Create a new order for the person.',
		});
		expect(fixture.idnow.order(orderId).statuses.at(-1)).toMatchObject({ kind: 17, subKind: 61 });
		for (const operation of ['request', 'resendTan'] as const) {
			expect(await errorOf(run('phoneVerification', operation, { orderId }))).toMatchObject({ httpCode: '410', description: HINT_410 });
		}
	});

	it('explains 412 before Request', async () => {
		const orderId = mobileOrder();
		for (const [operation, parameters] of [['proveControl', { tan: '12345' }], ['resendTan', {}]] as const) {
			expect(await errorOf(run('phoneVerification', operation, { orderId, ...parameters }))).toMatchObject({
				httpCode: '412',
				message: 'IDnow: Process has not been started, call requestPhoneVerification first',
				description: HINT_412,
			});
		}
	});

	it('explains 406 for an order without a mobile number, 404 for an unknown one, 400 when not enabled', async () => {
		const withoutMobile = mobileOrder({});
		expect(await errorOf(run('phoneVerification', 'request', { orderId: withoutMobile }))).toMatchObject({
			httpCode: '406',
			description:
				'The order is not ready for this (406, invalid order state): the order must have a mobile number (Mobile in Create). Check it with Order → Get Status.',
		});
		expect((await errorOf(run('phoneVerification', 'request', { orderId: '99900000000000' }))).httpCode).toBe('404');
		fixture.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, { phoneVerification: false });
		expect(await errorOf(run('phoneVerification', 'request', { orderId: mobileOrder() }))).toMatchObject({
			httpCode: '400',
			message: 'IDnow: Mobile phone number verification is not enabled for this account',
			description:
				'IDnow refused the request; its message says why. Phone verification on your side must be enabled for the account by IDnow.',
		});
	});

	it.each([
		['123456', 'The TAN must have exactly 5 characters; "123456" has 6'],
		['1234', 'The TAN must have exactly 5 characters; "1234" has 4'],
		['12 45', 'The TAN contains spaces'],
		['={{ "" }}', 'The TAN is empty'],
	])('refuses the TAN %j before calling IDnow', async (tan, message) => {
		const error = await errorOf(run('phoneVerification', 'proveControl', { orderId: '99900000000001', tan }));
		expect(error).toMatchObject({ message, description: 'Enter the TAN exactly as the SMS shows it: 5 characters, without spaces.' });
		expect(fixture.idnow.requests({ path: '/api/2.10/*' })).toEqual([]);
	});
});
