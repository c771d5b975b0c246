/** Every call on an order explains IDnow's 404 (unknown order, or its data deleted) in the same words. */
import { IDNOW_TEST_ACCOUNT } from '../../sandbox/idnow';
import { errorOf, finishedOrder, runner, useIdnow } from './fixture';

const fixture = useIdnow();
const run = runner(fixture);
const UNKNOWN = '99900000000000';

const DATA_NOT_FOUND =
	'IDnow knows no order with this OrderID for this account, or its result data was deleted already (by Delete Data, or by IDnow 7 days after the order became final).';
const ORDER_NOT_FOUND = 'IDnow knows no order with this OrderID for this account, or its data was deleted already. Check the OrderID.';

const READS: Array<[string, string, Record<string, unknown>]> = [
	['recording', 'getVideo', {}],
	['recording', 'getVoiceFiles', {}],
	['eSign', 'getSignedPdfs', {}],
	['eSign', 'getSigningHashes', {}],
	['eSign', 'getAuditLogPdf', {}],
	['recording', 'requestVideoProvisioning', { callbackTarget: 'custom', callbackUrl: 'https://crm.example.com/ready' }],
];
const TAN_CALLS: Array<[string, string, Record<string, unknown>]> = [
	['eSign', 'requestSign', {}],
	['eSign', 'confirmSign', { tan: '123456' }],
	['eSign', 'resendSignTan', {}],
	['phoneVerification', 'request', {}],
	['phoneVerification', 'proveControl', { tan: '12345' }],
	['phoneVerification', 'resendTan', {}],
];

describe('an unknown or deleted order (404)', () => {
	beforeEach(() => {
		fixture.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, { customerSideSigning: true });
	});

	it.each(READS)('%s → %s explains it', async (resource, operation, parameters) => {
		const error = await errorOf(run(resource, operation, { orderId: UNKNOWN, ...parameters }));
		expect(error).toMatchObject({ httpCode: '404', message: 'IDnow: Order not found', description: DATA_NOT_FOUND });
	});

	it.each(TAN_CALLS)('%s → %s explains it', async (resource, operation, parameters) => {
		const error = await errorOf(run(resource, operation, { orderId: UNKNOWN, ...parameters }));
		expect(error).toMatchObject({ httpCode: '404', description: ORDER_NOT_FOUND });
	});

	it('is what IDnow answers once the data is deleted, for the files too', async () => {
		const orderId = await finishedOrder(fixture);
		fixture.idnow.deleteOrderData(orderId);
		for (const operation of ['getVideo', 'getVoiceFiles']) {
			expect(await errorOf(run('recording', operation, { orderId }))).toMatchObject({ httpCode: '404', description: DATA_NOT_FOUND });
		}
	});
});

describe('an order that is not final yet (400)', () => {
	it('Get Voice Files explains that results exist once the order is final', async () => {
		const orderId = String(fixture.idnow.createOrderDirect({ Product: 12 }).OrderID);
		const error = await errorOf(run('recording', 'getVoiceFiles', { orderId }));
		expect(error).toMatchObject({ httpCode: '400', message: 'IDnow: Order has not been finally processed yet' });
		expect(error.description).toMatch(/^IDnow has no result for this order yet or at all: results exist once the order is final .* Voice recordings are set up for the account by IDnow\.$/);
	});
});
