/**
 * Chapters 3.3, 3.4, 3.8 and 3.12: getIdentData and its variants, getIdentDataPDF, getImages, delIdentdata.
 */
import { HttpError, jsonResponse } from '../../framework';
import { identDataPdf } from '../documents';
import { presentIdentData, sealIdentData } from '../identData';
import { NOT_FOUND_OR_DELETED } from '../store';
import {
	answer,
	apiRoute,
	emptyAnswer,
	JSON_TYPE,
	requireFinal,
	requireResult,
	variantsOf,
	type ApiContext,
} from './common';

const IDENT_DATA_VARIANTS = [
	'IncludeInitialData',
	'IncludeIdentifyMethod',
	'IncludeIdentifier',
	'Signed',
	'IncludeEidJwt',
	'crypt',
] as const;

export function registerResultRoutes(context: ApiContext): void {
	const { engine } = context;

	apiRoute(context, 'GET', 'getIdentData/:orderId/*', (request, account) => {
		const variants = variantsOf(request, 'getIdentData', IDENT_DATA_VARIANTS);
		const order = engine.store.withData(account.user, request.params.orderId);
		requireFinal(engine, order);
		requireResult(order);
		if (variants.has('Signed')) {
			const others = [...variants].filter((variant) => variant !== 'Signed' && variant !== 'crypt');
			if (others.length > 0) throw new HttpError(400, `Variant Signed cannot be combined with ${others.join(', ')}`);
			const sealed = Buffer.from(sealIdentData(order, engine.now()));
			return answer(context, request, account, variants.has('crypt'), 'text/plain; charset=utf-8', sealed);
		}
		const value = presentIdentData(order, {
			includeInitialData: variants.has('IncludeInitialData'),
			includeIdentifyMethod: variants.has('IncludeIdentifyMethod'),
			includeIdentifier: variants.has('IncludeIdentifier'),
			includeEidJwt: variants.has('IncludeEidJwt'),
			format: account.settings.identDataFormat,
			collectUserIp: account.settings.collectUserIp,
		});
		return answer(context, request, account, variants.has('crypt'), JSON_TYPE, Buffer.from(JSON.stringify(value)));
	});

	apiRoute(context, 'GET', 'getIdentDataPDF/:orderId/*', (request, account) => {
		const variants = variantsOf(request, 'getIdentDataPDF', ['crypt']);
		const order = engine.store.withData(account.user, request.params.orderId);
		requireFinal(engine, order);
		requireResult(order);
		return answer(context, request, account, variants.has('crypt'), 'application/pdf', identDataPdf(order).toBuffer());
	});

	apiRoute(context, 'GET', 'getImages/:orderId', (request, account) => {
		const order = engine.store.withData(account.user, request.params.orderId);
		requireFinal(engine, order);
		const images = order.result?.images ?? [];
		return jsonResponse(200, images.length === 0 ? {} : { Images: images });
	});

	apiRoute(context, 'DELETE', 'delIdentdata/:orderId', (request, account) => {
		const order = engine.store.owned(account.user, request.params.orderId);
		if (order.dataDeletedAt !== null) throw new HttpError(404, NOT_FOUND_OR_DELETED);
		if (!engine.store.isFinal(order)) {
			throw new HttpError(406, 'Invalid order state: the order is not final yet (cancel it instead)');
		}
		engine.store.deleteData(order, engine.now());
		return emptyAnswer(202);
	});
}
