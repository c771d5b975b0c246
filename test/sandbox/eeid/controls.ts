/**
 * eeID's control endpoints under `/__sandbox/eeid/…`: the HTTP form of the simulator's methods, for a process
 * that does not hold the simulator object (the end-to-end suite, a person trying the demo).
 */
import { HttpError, jsonResponse } from '../framework';
import type { EeIdSimulator } from './simulator';
import { checkedPersonChoice, controlBody, isRecord } from './validation';
import type { EeIdWebhookOptions } from './webhooks';

export function registerControls(simulator: EeIdSimulator): void {
	simulator.control('GET', '/eeid/clients', () => jsonResponse(200, { clients: simulator.clientList() }));
	simulator.control('PUT', '/eeid/clients/:clientId/webhook', (request) => {
		const url = controlBody(request).url;
		if (url !== null && typeof url !== 'string') throw new HttpError(400, 'body needs "url": a string or null');
		simulator.setWebhookUrl(request.params.clientId, url);
		return jsonResponse(200, simulator.clientList().find((client) => client.clientId === request.params.clientId));
	});

	simulator.control('GET', '/eeid/requests', () => jsonResponse(200, { items: simulator.identificationRequests() }));
	simulator.control('POST', '/eeid/requests', (request) => {
		const { clientId, ...body } = controlBody(request);
		if (clientId !== undefined && typeof clientId !== 'string') {
			throw new HttpError(400, '"clientId" must be a string');
		}
		return jsonResponse(201, simulator.createRequestDirect(body, clientId));
	});
	simulator.control('POST', '/eeid/requests/:id/complete', async (request) => {
		const { result, as } = controlBody(request);
		if (result !== undefined && as !== undefined) throw new HttpError(400, 'give "result" or "as", not both');
		if (result !== undefined && !isRecord(result)) throw new HttpError(400, '"result" must be an object');
		const completion =
			as === undefined
				? await simulator.completeRequest(request.params.id, result)
				: await simulator.completeRequestAs(request.params.id, checkedPersonChoice(as));
		return jsonResponse(200, completion);
	});
	simulator.control('POST', '/eeid/requests/:id/expire', (request) =>
		jsonResponse(200, simulator.expireRequest(request.params.id)),
	);
	simulator.control('POST', '/eeid/requests/:id/webhook', async (request) => {
		const options = controlBody(request) as EeIdWebhookOptions;
		return jsonResponse(200, { webhooks: await simulator.deliverWebhook(request.params.id, options) });
	});

	// Automatic deliveries. Reading them waits for deliveries in flight, so it can follow a clock advance.
	simulator.control('GET', '/eeid/webhooks', async () => {
		await simulator.settleWebhooks();
		return jsonResponse(200, { pending: simulator.pendingWebhooks(), attempts: simulator.webhookAttempts() });
	});
	simulator.control('POST', '/eeid/webhooks/send-due', async () =>
		jsonResponse(200, { attempts: await simulator.sendDueWebhooks(), pending: simulator.pendingWebhooks() }),
	);
	simulator.control('POST', '/eeid/webhooks/flush', async () =>
		jsonResponse(200, { attempts: await simulator.flushWebhooks(), pending: simulator.pendingWebhooks() }),
	);

	simulator.control('GET', '/eeid/settings', () => jsonResponse(200, simulator.settingsSnapshot()));
	simulator.control('PUT', '/eeid/settings', (request) =>
		jsonResponse(200, simulator.configure(controlBody(request))),
	);
}
