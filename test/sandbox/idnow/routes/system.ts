/**
 * Chapters 8 and 9.1: serverStatus (liveness, no body documented, no authentication), systemStatus, and
 * checkSignmeUser against the sandbox's sign-me accounts.
 */
import { HttpError, jsonResponse } from '../../framework';
import { SIGNATURE_TYPES, type SignatureType } from '../messages';
import { IDNOW_API_PREFIX, PRODUCT } from '../types';
import { apiRoute, emptyAnswer, jsonObject, type ApiContext } from './common';

export function registerSystemRoutes(context: ApiContext): void {
	const { engine } = context;

	// Liveness "without side effects": the only call without Basic authentication (it documents no 401).
	context.server.route('GET', `${IDNOW_API_PREFIX}/serverStatus`, () => {
		if (!engine.health.serverAlive) throw new HttpError(500, 'Service not available');
		return emptyAnswer(200);
	});

	apiRoute(context, 'GET', 'systemStatus', (_request, account) => {
		const health = engine.health;
		if (!health.serverAlive) throw new HttpError(500, 'Services not available at all');
		const products = account.settings.products;
		return jsonResponse(200, {
			serverAlive: health.serverAlive,
			apiAvailable: health.apiAvailable,
			videoAvailable: health.videoAvailable,
			mailingAvailable: health.mailingAvailable,
			smsTanAvailable: health.smsTanAvailable,
			...(products.includes(PRODUCT.autoId) ? { autoIdentAvailable: health.autoIdentAvailable } : {}),
			...(products.includes(PRODUCT.eSign) ? { eSign: { ...health.eSign } } : {}),
		});
	});

	apiRoute(context, 'POST', 'checkSignmeUser', (request, account) => {
		const body = jsonObject(request);
		if (typeof body.Email !== 'string' || body.Email === '') throw new HttpError(400, 'Email: is required');
		const type = body.signatureType;
		if (type !== undefined && !SIGNATURE_TYPES.includes(type as SignatureType)) {
			throw new HttpError(400, `signatureType: must be one of ${SIGNATURE_TYPES.join(', ')}`);
		}
		if (!account.settings.products.includes(PRODUCT.eSign)) {
			throw new HttpError(400, 'sign-me is not configured for this account');
		}
		return jsonResponse(200, engine.signme.check(body.Email, type as SignatureType | undefined));
	});
}
