/**
 * Chapters 3.5 to 3.7 and 5: the signed documents and hashes, the AES audit log, and customer-side signing
 * (requestSign, confirmSign with the SMS TAN, requestResendSignTan) with its documented refusals.
 */
import { bytesResponse, HttpError, jsonResponse } from '../../framework';
import type { StoredAccount } from '../accounts';
import { auditLogPdf, signedHash, signedPdf, signeeName } from '../documents';
import { describeCode, type Engine } from '../engine';
import { ADD, type StoredOrder } from '../types';
import { answer, apiRoute, emptyAnswer, JSON_TYPE, tanOf, variantsOf, type ApiContext } from './common';

export const SIGN_TAN_LENGTH = 6;
/** The wrong TAN that cancels the order (the document says "too many tries" without a number). */
export const MAX_TAN_TRIES = 3;
const NOT_ENABLED = 'Customer-side eSign processing is not enabled for this account';
const DEFAULT_SIGN_SMS = 'Your TAN for signing with IDnow: [TAN]';

export function registerESignRoutes(context: ApiContext): void {
	registerSignedResults(context);
	registerSigning(context);
}

function registerSignedResults(context: ApiContext): void {
	const { engine } = context;

	apiRoute(context, 'GET', 'getESignPDF/:orderId/*', (request, account) => {
		const variants = variantsOf(request, 'getESignPDF', ['crypt']);
		const order = engine.store.withData(account.user, request.params.orderId);
		if (order.documents.length === 0) throw new HttpError(400, 'No eSign documents: eSignPDF was not set in putOrder');
		const signedAt = requireSigned(order);
		const signee = signeeName(order);
		const PDFs = order.documents.map((document) => ({
			Base64Data: signedPdf(document.data, signee, order.id, signedAt).toString('base64'),
		}));
		return answer(context, request, account, variants.has('crypt'), JSON_TYPE, Buffer.from(JSON.stringify({ PDFs })));
	});

	apiRoute(context, 'GET', 'getESignHash/:orderId', (request, account) => {
		const order = engine.store.withData(account.user, request.params.orderId);
		if (order.hashes.length === 0) throw new HttpError(400, 'No eSign hashes: eSignHash was not set in putOrder');
		requireSigned(order);
		const signee = signeeName(order);
		return jsonResponse(200, {
			Hashes: order.hashes.map((entry) => ({ [entry.filename]: signedHash(entry.hash, signee, order.id) })),
		});
	});

	apiRoute(context, 'GET', 'getESignAuditLogPDF/:orderId', (request, account) => {
		const order = engine.store.withData(account.user, request.params.orderId);
		if ((order.add & ADD.aes) === 0) {
			throw new HttpError(400, 'The audit log is only available for AES orders (Add 128)');
		}
		requireSigned(order);
		return bytesResponse(200, auditLogPdf(order, describeCode).toBuffer(), 'application/pdf');
	});
}

function requireSigned(order: StoredOrder): number {
	if (order.signedAt === null) throw new HttpError(400, 'The order has not been signed (final status 84 required)');
	return order.signedAt;
}

function registerSigning(context: ApiContext): void {
	const { engine } = context;

	apiRoute(context, 'POST', 'requestSign/:orderId', (request, account) => {
		const order = signingOrder(engine, account, request.params.orderId);
		if (!order.eSign || !order.statuses.some((entry) => entry.kind === 6)) {
			throw new HttpError(406, 'Invalid order state: the signee has not been identified for an eSign order');
		}
		if (order.mobile === null) {
			throw new HttpError(406, 'Invalid order state: the order has no mobile number for the TAN');
		}
		engine.setStatus(order, { kind: 83 });
		order.signing = { tan: sendSignTan(engine, order), wrongTries: order.signing?.wrongTries ?? 0 };
		return emptyAnswer(202);
	});

	apiRoute(context, 'POST', 'confirmSign/:orderId', (request, account) => {
		const tan = tanOf(request.json());
		const order = signingOrder(engine, account, request.params.orderId);
		const signing = startedSigning(order);
		if (tan !== signing.tan) {
			signing.wrongTries++;
			if (signing.wrongTries < MAX_TAN_TRIES) throw new HttpError(409, 'Wrong TAN given');
			engine.stopFlow(order);
			engine.setStatus(order, { kind: 17, subKind: 61 });
			throw new HttpError(429, 'Too many tries with a wrong TAN, order cancelled');
		}
		engine.setStatus(order, { kind: 84, sign: true });
		engine.setStatus(order, { kind: 80 });
		return emptyAnswer(202);
	});

	apiRoute(context, 'POST', 'requestResendSignTan/:orderId', (request, account) => {
		const order = signingOrder(engine, account, request.params.orderId);
		startedSigning(order).tan = sendSignTan(engine, order);
		return emptyAnswer(202);
	});
}

/** The order of a chapter 5 call: the function enabled, the order known, its data kept, not yet final (410). */
function signingOrder(engine: Engine, account: StoredAccount, orderId: string): StoredOrder {
	if (!account.settings.customerSideSigning) throw new HttpError(400, NOT_ENABLED);
	const order = engine.store.withData(account.user, orderId);
	if (engine.store.isFinal(order)) throw new HttpError(410, 'Order has already been processed');
	return order;
}

function startedSigning(order: StoredOrder): NonNullable<StoredOrder['signing']> {
	if (order.signing === null) throw new HttpError(412, 'Signing process has not been started, call requestSign first');
	return order.signing;
}

/** A new TAN replaces the previous one. */
function sendSignTan(engine: Engine, order: StoredOrder): string {
	return engine.sendTan({
		order,
		account: order.account,
		to: order.mobile ?? '',
		purpose: 'eSign',
		template: order.body.eSignTanSmsText,
		fallback: DEFAULT_SIGN_SMS,
		length: SIGN_TAN_LENGTH,
	});
}
