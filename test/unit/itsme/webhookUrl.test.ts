import type { IWebhookFunctions } from 'n8n-workflow';

import { onServedEndpoint, ownWebhookUrl } from '../../../nodes/CmItsme/signIn';

const ID = '00000000-0000-4000-8000-000000000001';
const PRODUCTION = (name: string) => `http://localhost:5678/webhook/${ID}/itsme/${name === 'setup' ? 'return' : 'start'}`;

/** A webhook context of n8n 1.x: no `getWebhookResourceUrl`, and `getNodeWebhookUrl` always production. */
function n8n1Context(mode: string, webhookName: string, originalUrl: string): IWebhookFunctions {
	return {
		getNodeWebhookUrl: (name: string) => PRODUCTION(name),
		getMode: () => mode,
		getWebhookName: () => webhookName,
		getRequestObject: () => ({ originalUrl, url: originalUrl }),
	} as unknown as IWebhookFunctions;
}

describe('CM itsme Trigger: its own webhook URLs on every n8n release', () => {
	it('n8n 2.x: the URL of the endpoint being served, as n8n gives it', () => {
		const ctx = {
			getWebhookResourceUrl: (name: string) => `http://localhost:5678/webhook-test/${ID}/${name}`,
			getNodeWebhookUrl: () => 'wrong',
		} as unknown as IWebhookFunctions;
		expect(ownWebhookUrl(ctx, 'setup')).toBe(`http://localhost:5678/webhook-test/${ID}/setup`);
	});

	it('n8n 1.x, production: the production URL', () => {
		const ctx = n8n1Context('webhook', 'default', `/webhook/${ID}/itsme/start?reference=r`);
		expect(ownWebhookUrl(ctx, 'setup')).toBe(PRODUCTION('setup'));
		expect(ownWebhookUrl(ctx, 'default')).toBe(PRODUCTION('default'));
	});

	it('n8n 1.x, test run: the test endpoint the request arrived on', () => {
		const ctx = n8n1Context('manual', 'default', `/webhook-test/${ID}/itsme/start?reference=r`);
		expect(ownWebhookUrl(ctx, 'setup')).toBe(`http://localhost:5678/webhook-test/${ID}/itsme/return`);
		expect(ownWebhookUrl(ctx, 'default')).toBe(`http://localhost:5678/webhook-test/${ID}/itsme/start`);
	});

	it('keeps the URL when the request path does not end like the served webhook', () => {
		expect(onServedEndpoint(PRODUCTION('setup'), PRODUCTION('default'), '/elsewhere')).toBe(PRODUCTION('setup'));
	});
});
