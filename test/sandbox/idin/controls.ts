/**
 * The iDIN part of the control surface (`/__sandbox/idin/…`): what the simulator's methods do, for a process that
 * does not hold the simulator object (the end-to-end suite driving real n8n, a browser test).
 */
import { HttpError, jsonResponse, type SandboxRequest } from '../framework';
import { IDIN_TEST_IDENTITIES } from './identities';
import { isRecord } from './model';
import type { IdinOutcome, IdinSimulator } from './simulator';
import type { ForgeOptions, IdinWebhookConfig } from './webhooks';

export function registerIdinControls(idin: IdinSimulator): void {
	registerKeyControls(idin);
	registerDataControls(idin);
	registerWebhookControls(idin);
}

function registerKeyControls(idin: IdinSimulator): void {
	idin.control('GET', '/idin/keys', () =>
		jsonResponse(200, { keys: idin.keyIds().map((keyId) => ({ keyId, webhook: idin.webhookConfig(keyId) })) }),
	);
	idin.control('PUT', '/idin/keys/:keyId/webhook', (request) => {
		const changes = controlBody(request) as Partial<IdinWebhookConfig>;
		return jsonResponse(200, idin.setWebhook(request.params.keyId, changes));
	});
	idin.control('POST', '/idin/token', (request) => {
		const { keyId, lifetimeSeconds } = controlBody(request);
		if (keyId !== undefined && typeof keyId !== 'string') throw new HttpError(400, '"keyId" must be a string');
		if (lifetimeSeconds !== undefined && typeof lifetimeSeconds !== 'number') {
			throw new HttpError(400, '"lifetimeSeconds" must be a number');
		}
		return jsonResponse(200, { token: idin.tokenFor(keyId, lifetimeSeconds) });
	});
	idin.control('GET', '/idin/identities', () => jsonResponse(200, { identities: IDIN_TEST_IDENTITIES }));
}

function registerDataControls(idin: IdinSimulator): void {
	idin.control('GET', '/idin/groups', () => jsonResponse(200, { groups: idin.inspectGroups() }));
	idin.control('POST', '/idin/groups', (request) => {
		const { keyId, ...body } = controlBody(request);
		if (keyId !== undefined && typeof keyId !== 'string') throw new HttpError(400, '"keyId" must be a string');
		return jsonResponse(201, idin.createGroupDirect(body, keyId));
	});
	idin.control('GET', '/idin/groups/:groupId', (request) =>
		jsonResponse(200, idin.inspectGroup(request.params.groupId)),
	);
	idin.control('DELETE', '/idin/groups/:groupId', async (request) =>
		jsonResponse(200, { deliveries: await idin.deleteGroup(request.params.groupId) }),
	);
	idin.control('POST', '/idin/groups/:groupId/persons', (request) =>
		jsonResponse(201, idin.addPersonDirect(request.params.groupId, controlBody(request))),
	);
	idin.control('POST', '/idin/groups/:groupId/persons/:personId/invites', (request) =>
		jsonResponse(201, idin.sendInviteDirect(request.params.groupId, request.params.personId, controlBody(request))),
	);
	idin.control('POST', '/idin/persons/:personId/outcome', async (request) => {
		const outcome = controlBody(request) as unknown as IdinOutcome;
		return jsonResponse(200, await idin.settlePerson(request.params.personId, outcome));
	});
	idin.control('DELETE', '/idin/persons/:personId', async (request) =>
		jsonResponse(200, { deliveries: await idin.deletePerson(request.params.personId) }),
	);
	idin.control('POST', '/idin/expire-due', async () => jsonResponse(200, { deliveries: await idin.expireDue() }));
	idin.control('GET', '/idin/emails', () => jsonResponse(200, { emails: idin.invitationEmails() }));
}

function registerWebhookControls(idin: IdinSimulator): void {
	idin.control('GET', '/idin/webhooks', () =>
		jsonResponse(200, { events: idin.webhookEvents(), deliveries: idin.webhookDeliveries() }),
	);
	idin.control('POST', '/idin/webhooks/forge', async (request) => {
		const options = controlBody(request) as ForgeOptions;
		return jsonResponse(200, { deliveries: await idin.forgeWebhook(options) });
	});
	idin.control('POST', '/idin/webhooks/:eventId/redeliver', async (request) => {
		const { times, url } = controlBody(request);
		if (times !== undefined && typeof times !== 'number') throw new HttpError(400, '"times" must be a number');
		if (url !== undefined && typeof url !== 'string') throw new HttpError(400, '"url" must be a string');
		return jsonResponse(200, { deliveries: await idin.redeliverEvent(request.params.eventId, { times, url }) });
	});
}

function controlBody(request: SandboxRequest): Record<string, unknown> {
	if (request.body.length === 0) return {};
	const body = request.json();
	if (!isRecord(body)) throw new HttpError(400, 'control body must be a JSON object');
	return body;
}
