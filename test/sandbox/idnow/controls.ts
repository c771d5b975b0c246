/**
 * The IDnow part of the control surface (`/__sandbox/idnow/…`): the simulator's methods over HTTP, for a process
 * that does not hold the simulator object (the end-to-end suite driving real n8n, a browser test, a person).
 * Answers that follow deliveries wait for them, so a control call can follow a clock move.
 */
import { HttpError, jsonResponse, type SandboxRequest } from '../framework';
import type { CryptTamper } from './cryptDesk';
import type { FlowOutcome } from './flows';
import { isRecord } from './format';
import type { SignmeUser } from './messages';
import type { IdnowSimulator, IdnowStatusChange } from './simulator';
import { IDNOW_STATUS_CODES, IDNOW_SUB_STATUS_CODES } from './statusCodes';
import { IDNOW_TEST_ACCOUNT, type IdnowAccountSettings } from './types';
import type { ManualWebhook } from './webhooks';

export function registerIdnowControls(idnow: IdnowSimulator): void {
	registerAccountControls(idnow);
	registerOrderControls(idnow);
	registerWebhookControls(idnow);
	registerOtherControls(idnow);
}

function registerAccountControls(idnow: IdnowSimulator): void {
	idnow.control('GET', '/idnow/accounts', () => jsonResponse(200, { accounts: idnow.accountList() }));
	idnow.control('PUT', '/idnow/accounts/:user', (request) =>
		jsonResponse(
			200,
			idnow.configureAccount(request.params.user, controlBody(request) as Partial<IdnowAccountSettings>),
		),
	);
}

function registerOrderControls(idnow: IdnowSimulator): void {
	idnow.control('GET', '/idnow/orders', () => jsonResponse(200, { orders: idnow.orders() }));
	idnow.control('POST', '/idnow/orders', (request) => {
		const { account, ...body } = controlBody(request);
		if (account !== undefined && typeof account !== 'string') throw new HttpError(400, '"account" must be a user name');
		return jsonResponse(201, idnow.createOrderDirect(body, account ?? IDNOW_TEST_ACCOUNT.user));
	});
	idnow.control('GET', '/idnow/orders/:orderId', (request) => jsonResponse(200, idnow.order(request.params.orderId)));
	idnow.control('POST', '/idnow/orders/:orderId/outcome', async (request) => {
		const { outcome, immediate, delayMs } = controlBody(request);
		if (immediate !== undefined && typeof immediate !== 'boolean') {
			throw new HttpError(400, '"immediate" must be a boolean');
		}
		if (delayMs !== undefined && typeof delayMs !== 'number') throw new HttpError(400, '"delayMs" must be a number');
		const view = idnow.completeOrder(request.params.orderId, outcome as FlowOutcome, { immediate, delayMs });
		await idnow.settle();
		return jsonResponse(200, view);
	});
	idnow.control('POST', '/idnow/orders/:orderId/status', async (request) => {
		const view = idnow.setStatus(request.params.orderId, controlBody(request) as unknown as IdnowStatusChange);
		await idnow.settle();
		return jsonResponse(200, view);
	});
	idnow.control('POST', '/idnow/orders/:orderId/expire', async (request) => {
		const view = idnow.expireOrder(request.params.orderId);
		await idnow.settle();
		return jsonResponse(200, view);
	});
	idnow.control('POST', '/idnow/orders/:orderId/delete-data', (request) =>
		jsonResponse(200, idnow.deleteOrderData(request.params.orderId)),
	);
	idnow.control('GET', '/idnow/orders/:orderId/video', async (request) =>
		jsonResponse(200, await idnow.videoInfo(request.params.orderId)),
	);
	idnow.control('GET', '/idnow/messages', () =>
		jsonResponse(200, { sms: idnow.smsMessages(), emails: idnow.emails() }),
	);
}

function registerWebhookControls(idnow: IdnowSimulator): void {
	// Reading the webhooks first sends whatever is due, so it can follow a clock move.
	idnow.control('GET', '/idnow/webhooks', async () => {
		await idnow.settle();
		return jsonResponse(200, {
			pending: idnow.pendingWebhooks(),
			attempts: idnow.webhookAttempts(),
			events: idnow.webhookEvents(),
		});
	});
	idnow.control('POST', '/idnow/webhooks/flush', async () =>
		jsonResponse(200, { attempts: await idnow.flushWebhooks(), pending: idnow.pendingWebhooks() }),
	);
	idnow.control('POST', '/idnow/webhooks/send', async (request) =>
		jsonResponse(200, { attempts: await idnow.sendWebhook(controlBody(request) as unknown as ManualWebhook) }),
	);
	idnow.control('POST', '/idnow/webhooks/:eventId/redeliver', async (request) => {
		const { times, url } = controlBody(request);
		if (times !== undefined && typeof times !== 'number') throw new HttpError(400, '"times" must be a number');
		if (url !== undefined && typeof url !== 'string') throw new HttpError(400, '"url" must be a string');
		return jsonResponse(200, { attempts: await idnow.redeliverWebhook(request.params.eventId, { times, url }) });
	});
}

function registerOtherControls(idnow: IdnowSimulator): void {
	idnow.control('GET', '/idnow/crypt', () =>
		jsonResponse(200, { entries: idnow.cryptLog(), pendingTampers: idnow.pendingCryptTampers() }),
	);
	idnow.control('POST', '/idnow/crypt/tamper', (request) =>
		jsonResponse(200, { pendingTampers: idnow.tamperCrypt(controlBody(request) as unknown as CryptTamper) }),
	);
	idnow.control('GET', '/idnow/system', () => jsonResponse(200, idnow.systemHealth()));
	idnow.control('PUT', '/idnow/system', (request) => jsonResponse(200, idnow.setSystemHealth(controlBody(request))));
	idnow.control('GET', '/idnow/signme-users', () => jsonResponse(200, { users: idnow.signmeUsers() }));
	idnow.control('PUT', '/idnow/signme-users', (request) =>
		jsonResponse(200, idnow.putSignmeUser(controlBody(request) as unknown as SignmeUser)),
	);
	idnow.control('GET', '/idnow/status-codes', () =>
		jsonResponse(200, { statusCodes: IDNOW_STATUS_CODES, subStatusCodes: IDNOW_SUB_STATUS_CODES }),
	);
}

function controlBody(request: SandboxRequest): Record<string, unknown> {
	if (request.body.length === 0) return {};
	const body = request.json();
	if (!isRecord(body)) throw new HttpError(400, 'control body must be a JSON object');
	return body;
}
