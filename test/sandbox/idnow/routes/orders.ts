/**
 * Chapters 3.1, 3.2, 3.13 and 4: putOrder, getStatus and its variants, getOrdersByRef, cancelOrder.
 */
import { HttpError, jsonResponse } from '../../framework';
import { berlinTime } from '../format';
import { isNormalCode } from '../statusCodes';
import type { StatusEntry } from '../types';
import { apiRoute, emptyAnswer, variantsOf, type ApiContext } from './common';

/** 3.13: "Only allowed/possible for Refs with Characters of: a-z A-Z 0-9 - . +" */
const REF_ALPHABET = /^[A-Za-z0-9.+-]+$/;

export function registerOrderRoutes(context: ApiContext): void {
	const { engine } = context;
	// The document's method is PUT; its Testrobot example uses POST, which IDnow evidently accepts as well.
	for (const method of ['PUT', 'POST']) {
		apiRoute(context, method, 'putOrder', (request, account) =>
			jsonResponse(202, engine.createOrder(account, request.json())),
		);
	}

	apiRoute(context, 'GET', 'getStatus/:orderId/*', (request, account) => {
		const variants = variantsOf(request, 'getStatus', ['ExtendedList', 'IncludeSubKind']);
		const order = engine.store.owned(account.user, request.params.orderId);
		const shown = order.statuses.filter((entry) => variants.has('ExtendedList') || isNormalCode(entry.kind));
		return jsonResponse(200, {
			OrderID: order.id,
			Ref: order.ref,
			Executed: berlinTime(engine.now()),
			Status: shown.map((entry) => presentStatus(entry, variants.has('IncludeSubKind'))),
		});
	});

	apiRoute(context, 'GET', 'getOrdersByRef/:ref', (request, account) => {
		const ref = request.params.ref;
		if (!REF_ALPHABET.test(ref)) throw new HttpError(400, 'Ref may only contain a-z A-Z 0-9 - . +');
		const orders = engine.store.byRef(account.user, ref, engine.now());
		if (orders.length === 0) throw new HttpError(404, `No orders found for Ref ${ref}`);
		return jsonResponse(
			200,
			orders.map((order) => order.id),
		);
	});

	apiRoute(context, 'POST', 'cancelOrder/:orderId', (request, account) => {
		const order = engine.store.owned(account.user, request.params.orderId);
		if (engine.store.isFinal(order)) throw new HttpError(406, 'Order not in a cancellable state');
		engine.stopFlow(order);
		engine.setStatus(order, { kind: 63 });
		return emptyAnswer(202);
	});
}

function presentStatus(entry: StatusEntry, withSubKind: boolean): Record<string, unknown> {
	const shown: Record<string, unknown> = { Kind: entry.kind };
	if (withSubKind && entry.subKind !== undefined) shown.SubKind = entry.subKind;
	shown.Time = berlinTime(entry.at);
	if (entry.text !== undefined) shown.Text = entry.text;
	return shown;
}
