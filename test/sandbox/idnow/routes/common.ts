/**
 * What every API route shares: Basic authentication and catching up with the sandbox clock before anything
 * else, the variant segments after the OrderID, JSON bodies, the order-state preconditions and their answers.
 */
import {
	bytesResponse,
	HttpError,
	jsonResponse,
	type SandboxRequest,
	type SandboxResponse,
	type SandboxServer,
} from '../../framework';
import type { StoredAccount } from '../accounts';
import type { Engine } from '../engine';
import { isRecord } from '../format';
import { IDNOW_API_PREFIX, type StoredOrder } from '../types';

export type ApiHandler = (
	request: SandboxRequest,
	account: StoredAccount,
) => SandboxResponse | Promise<SandboxResponse>;

export interface ApiContext {
	server: SandboxServer;
	engine: Engine;
}

/** Registers `METHOD /api/2.10/<call>`; the handler only runs for an authenticated account. */
export function apiRoute(context: ApiContext, method: string, call: string, handler: ApiHandler): void {
	context.server.route(method, `${IDNOW_API_PREFIX}/${call}`, (request) => {
		context.engine.catchUp();
		return handler(request, context.engine.accounts.authenticate(request));
	});
}

/** Calls without a documented body answer an empty JSON object. */
export function emptyAnswer(status: number): SandboxResponse {
	return jsonResponse(status, {});
}

/**
 * The variant segments after `/<call>/<OrderID>` (e.g. `ExtendedList/IncludeSubKind`, `IncludeInitialData/crypt`):
 * any order, each at most once; anything else is a bad request.
 */
export function variantsOf(request: SandboxRequest, call: string, allowed: readonly string[]): Set<string> {
	const segments = request.path.split('/').filter((segment) => segment !== '');
	const given = segments.slice(segments.indexOf(call) + 2);
	const variants = new Set<string>();
	for (const variant of given) {
		if (!allowed.includes(variant)) {
			throw new HttpError(400, `Unknown variant "${variant}"; known: ${allowed.join(', ')}`);
		}
		if (variants.has(variant)) throw new HttpError(400, `Variant "${variant}" given twice`);
		variants.add(variant);
	}
	return variants;
}

export function jsonObject(request: SandboxRequest): Record<string, unknown> {
	const body = request.body.length === 0 ? {} : request.json();
	if (!isRecord(body)) throw new HttpError(400, 'Request body must be a JSON object');
	return body;
}

export function requireFinal(engine: Engine, order: StoredOrder): void {
	if (!engine.store.isFinal(order)) throw new HttpError(400, 'Order has not been finally processed yet');
}

/** Data exists for positive identifications and suspected frauds only (2.4). */
export function requireResult(order: StoredOrder): void {
	if (order.result === null) {
		throw new HttpError(
			400,
			'No identification data: the order was not identified positively nor flagged as a fraud attempt',
		);
	}
}

export const JSON_TYPE = 'application/json; charset=utf-8';

/** The plain answer, or its /crypt form with the account's key. */
export function answer(
	{ engine }: ApiContext,
	request: SandboxRequest,
	account: StoredAccount,
	crypt: boolean,
	contentType: string,
	plaintext: Buffer,
): SandboxResponse {
	if (!crypt) return bytesResponse(200, plaintext, contentType);
	return engine.crypt.respond(account.settings.aesKey, request.path, engine.now(), contentType, { bytes: plaintext });
}

/** The `{ tan }` body of confirmSign, provePhoneControl and confirmNewPassword. */
export function tanOf(body: unknown): string {
	const tan = (body as Record<string, unknown> | null)?.tan;
	if (typeof tan !== 'string' || tan === '') throw new HttpError(400, 'tan: is required');
	return tan;
}
