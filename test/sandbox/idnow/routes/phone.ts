/**
 * Chapter 6: mobile phone number verification on an existing order (request, prove control with the SMS TAN,
 * resend). A proven number appears as IdentData.Mobile ("only if verified with TAN"); for the mobile number
 * verification product (17) it is the identification itself.
 */
import { HttpError } from '../../framework';
import type { StoredAccount } from '../accounts';
import type { Engine } from '../engine';
import { PRODUCT, type StoredOrder } from '../types';
import { MAX_TAN_TRIES } from './esign';
import { apiRoute, emptyAnswer, tanOf, type ApiContext } from './common';

export const PHONE_TAN_LENGTH = 5;
const NOT_ENABLED = 'Mobile phone number verification is not enabled for this account';
const DEFAULT_PHONE_SMS = 'Your IDnow verification TAN: [TAN]';

export function registerPhoneRoutes(context: ApiContext): void {
	const { engine } = context;

	apiRoute(context, 'POST', 'requestPhoneVerification/:orderId', (request, account) => {
		const order = phoneOrder(engine, account, request.params.orderId);
		if (order.mobile === null) throw new HttpError(406, 'Invalid order state: the order has no mobile number');
		order.phone = { tan: sendPhoneTan(engine, order), wrongTries: order.phone?.wrongTries ?? 0, verified: false };
		return emptyAnswer(202);
	});

	apiRoute(context, 'POST', 'provePhoneControl/:orderId', (request, account) => {
		const tan = tanOf(request.json());
		const order = phoneOrder(engine, account, request.params.orderId);
		const phone = startedVerification(order);
		if (tan !== phone.tan) {
			phone.wrongTries++;
			if (phone.wrongTries < MAX_TAN_TRIES) throw new HttpError(409, 'Wrong TAN given');
			engine.stopFlow(order);
			engine.setStatus(order, { kind: 17, subKind: 61 });
			throw new HttpError(429, 'Too many tries with a wrong TAN, order cancelled');
		}
		phone.verified = true;
		if (order.product === PRODUCT.mobile) {
			engine.setStatus(order, { kind: 6, identify: true, verifyPhone: true });
			engine.setStatus(order, { kind: 80 });
		}
		return emptyAnswer(202);
	});

	apiRoute(context, 'POST', 'requestResendPhoneTan/:orderId', (request, account) => {
		const order = phoneOrder(engine, account, request.params.orderId);
		startedVerification(order).tan = sendPhoneTan(engine, order);
		return emptyAnswer(202);
	});
}

/** The order of a chapter 6 call: enabled, known, data kept, not final and not yet verified (410). */
function phoneOrder(engine: Engine, account: StoredAccount, orderId: string): StoredOrder {
	if (!account.settings.phoneVerification) throw new HttpError(400, NOT_ENABLED);
	const order = engine.store.withData(account.user, orderId);
	if (engine.store.isFinal(order) || order.phone?.verified) {
		throw new HttpError(410, 'Order has already been processed');
	}
	return order;
}

function startedVerification(order: StoredOrder): NonNullable<StoredOrder['phone']> {
	if (order.phone === null) {
		throw new HttpError(412, 'Process has not been started, call requestPhoneVerification first');
	}
	return order.phone;
}

function sendPhoneTan(engine: Engine, order: StoredOrder): string {
	return engine.sendTan({
		order,
		account: order.account,
		to: order.mobile ?? '',
		purpose: 'phone',
		template: order.body.verificationSmsText,
		fallback: DEFAULT_PHONE_SMS,
		length: PHONE_TAN_LENGTH,
	});
}
