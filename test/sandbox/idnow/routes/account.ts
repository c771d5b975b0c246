/**
 * Chapter 9.2: changing the API password programmatically. The TAN goes by SMS to the mobile number registered
 * for the account; the confirmed new password is in the answer and replaces the old one for Basic auth at once.
 */
import { jsonResponse } from '../../framework';
import { apiRoute, emptyAnswer, jsonObject, tanOf, type ApiContext } from './common';

const PASSWORD_TAN_LENGTH = 6;
const DEFAULT_PASSWORD_SMS = 'Your TAN to change the IDnow API password: [TAN]';

export function registerAccountRoutes(context: ApiContext): void {
	const { engine } = context;

	apiRoute(context, 'POST', 'requestNewPassword', (request, account) => {
		const { mobile } = jsonObject(request);
		engine.accounts.requestPasswordChange(account, mobile, engine.now(), (to) =>
			engine.sendTan({
				order: null,
				account: account.user,
				to,
				purpose: 'password',
				fallback: DEFAULT_PASSWORD_SMS,
				length: PASSWORD_TAN_LENGTH,
			}),
		);
		return emptyAnswer(200);
	});

	apiRoute(context, 'POST', 'confirmNewPassword', (request, account) => {
		const password = engine.accounts.confirmPasswordChange(account, tanOf(request.json()), engine.now());
		return jsonResponse(200, { password });
	});
}
