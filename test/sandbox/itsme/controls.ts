/**
 * The itsme part of the control surface (`/__sandbox/itsme/…`): what a process without the simulator object,
 * such as the end-to-end suite driving n8n, needs to play the person and to look at transactions.
 * Errors: unknown transaction 404, transaction not open 409, bad input 400.
 */
import { HttpError, jsonResponse, type SandboxRequest } from '../framework';
import type { ItsmeSettings, ItsmeSimulator } from './index';
import { isRecord } from './model';

export function registerItsmeControls(itsme: ItsmeSimulator): void {
	registerTransactionControls(itsme);
	registerIdentityControls(itsme);
	itsme.control('GET', '/itsme/settings', () => jsonResponse(200, itsme.settings()));
	itsme.control('PUT', '/itsme/settings', (request) => {
		const { unknownTokenStatus, transactionLifetimeMs } = controlBody(request);
		return jsonResponse(200, itsme.configure({ unknownTokenStatus, transactionLifetimeMs } as Partial<ItsmeSettings>));
	});
}

function registerTransactionControls(itsme: ItsmeSimulator): void {
	itsme.control('GET', '/itsme/transactions', () => jsonResponse(200, { transactions: itsme.transactions() }));
	itsme.control('GET', '/itsme/transactions/:reference', (request) =>
		jsonResponse(200, itsme.transaction(request.params.reference)),
	);
	itsme.control('POST', '/itsme/transactions/:reference/approve', (request) => {
		const { identity } = controlBody(request);
		if (identity !== undefined && typeof identity !== 'string') {
			throw new HttpError(400, '"identity" must be a string');
		}
		return jsonResponse(200, itsme.approve(request.params.reference, identity));
	});
	itsme.control('POST', '/itsme/transactions/:reference/cancel', (request) =>
		jsonResponse(200, itsme.cancel(request.params.reference)),
	);
	itsme.control('POST', '/itsme/transactions/:reference/fail', (request) =>
		jsonResponse(200, itsme.fail(request.params.reference)),
	);
	itsme.control('POST', '/itsme/transactions/:reference/expire', (request) =>
		jsonResponse(200, itsme.expire(request.params.reference)),
	);
}

function registerIdentityControls(itsme: ItsmeSimulator): void {
	const identityState = () => ({ identity: itsme.identity, identities: itsme.identities() });
	itsme.control('GET', '/itsme/identities', () => jsonResponse(200, identityState()));
	itsme.control('PUT', '/itsme/identity', (request) => {
		const { identity } = controlBody(request);
		if (typeof identity !== 'string') throw new HttpError(400, 'body needs "identity": an identity id');
		itsme.setIdentity(identity);
		return jsonResponse(200, identityState());
	});
}

function controlBody(request: SandboxRequest): Record<string, unknown> {
	if (request.body.length === 0) return {};
	const body = request.json();
	if (!isRecord(body)) throw new HttpError(400, 'control body must be a JSON object');
	return body;
}
