import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { buildEnvelope } from '../shared/identity';
import { headerValue, text } from '../shared/util';
import { webhookOptionsProperty } from '../shared/webhookOptions';
import { checkSharedSecret } from '../shared/webhookSecurity';
import {
	manuallyRegisteredWebhooksCheckedBy,
	refuseDelivery,
	runWebhookPipeline,
	type DeliveryContext,
	type WebhookPipeline,
} from '../shared/webhookTrigger';
import {
	IDIN_ACK_BUDGET_MS,
	IDIN_CREDENTIAL,
	IDIN_DEFAULT_SECRET_HEADER,
	IDIN_EVENTS,
	IDIN_ICON,
	IDIN_WEBHOOK_PATH,
} from './constants';
import { normalizeIdinPerson, personDetails } from './normalize';
import { findPerson } from './transport';
import type { IdinPerson, IdinWebhookEvent } from './types';
import { confirmPersonEvent, isPersonEvent, parseIdinWebhookBody } from './webhook';

interface TriggerOptions {
	confirmPersonEvents?: boolean;
}

type CredentialContext = Pick<IWebhookFunctions, 'getCredentials'>;

/** An HTTP header name (RFC 9110 token); Node hands headers to the node in lower case. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const EVENT_OPTIONS = [
	{ name: 'Group Updated', value: 'group.updated', description: 'A group became completed, declined or expired' },
	{ name: 'Group Deleted', value: 'group.deleted', description: 'CM deleted a group' },
	{ name: 'Person Updated', value: 'person.updated', description: 'A person identified, cancelled, failed or expired' },
	{ name: 'Person Deleted', value: 'person.deleted', description: 'CM deleted a person from a group' },
];

async function secretHeader(ctx: CredentialContext): Promise<{ name: string; value: string }> {
	const credentials = await ctx.getCredentials(IDIN_CREDENTIAL);
	return {
		name: text(credentials.webhookHeaderName) ?? IDIN_DEFAULT_SECRET_HEADER,
		value: String(credentials.webhookSecret ?? ''),
	};
}

function requiresSecretHeader(ctx: Pick<IWebhookFunctions, 'getNodeParameter'>): boolean {
	return ctx.getNodeParameter('requireSecretHeader', true) !== false;
}

/**
 * Runs when the workflow is activated (and when the editor listens for a test event). CM support registers the URL
 * by hand, so there is nothing to look up at CM; what can be checked is that the trigger is able to tell CM's calls
 * from anyone else's. Failing here makes the misconfiguration visible instead of refusing every call unseen.
 */
async function assertReadyToReceive(this: IHookFunctions): Promise<boolean> {
	const events = this.getNodeParameter('events', []) as string[];
	if (events.length === 0) {
		throw new NodeOperationError(this.getNode(), 'No event is selected', {
			description: 'Choose at least one event under "Events".',
		});
	}
	if (!requiresSecretHeader(this)) return true;
	const header = await secretHeader(this);
	if (!HEADER_NAME.test(header.name)) {
		throw new NodeOperationError(this.getNode(), `"${header.name}" is not an HTTP header name`, {
			description: 'In the CM iDIN credential, set "Webhook Header Name" to letters, digits and dashes, e.g. X-Webhook-Secret.',
		});
	}
	if (header.value === '') {
		throw new NodeOperationError(this.getNode(), 'The CM iDIN credential has no Webhook Secret', {
			description: `CM signs no webhook, so this trigger only accepts calls that carry the secret header. Enter a long random value as "Webhook Secret" in the credential and ask CM support to send it in the header "${header.name}". Or turn off "Require Secret Header" (then anyone who knows the URL can start this workflow).`,
		});
	}
	return true;
}

/**
 * The person as CM's API shows it now, asked within the answer budget. A credential CM refuses is the user's to fix,
 * so it fails visibly (n8n records a failed execution); anything else (CM slow or down) refuses the delivery for now,
 * and CM delivers it again later.
 */
async function lookUpPerson(
	ctx: IWebhookFunctions,
	event: IdinWebhookEvent,
	{ budget }: DeliveryContext,
): Promise<IdinPerson | null> {
	try {
		return await findPerson(ctx, event.group, event.person as string, budget.call());
	} catch (error) {
		throw isRefusedCredential(error)
			? error
			: refuseDelivery(ctx.getNode(), 503, 'Not confirmed yet: CM could not be asked in time. Deliver the event again later.');
	}
}

function isRefusedCredential(error: unknown): error is NodeApiError {
	return error instanceof NodeApiError && (error.httpCode === '401' || error.httpCode === '403');
}

/** The person as CM confirms the event (null for a confirmed deletion); any other answer refuses the delivery. */
async function confirmedPerson(
	ctx: IWebhookFunctions,
	event: IdinWebhookEvent,
	delivery: DeliveryContext,
): Promise<IdinPerson | null> {
	const person = await lookUpPerson(ctx, event, delivery);
	const confirmation = confirmPersonEvent(event, person);
	if (!confirmation.confirmed) throw refuseDelivery(ctx.getNode(), confirmation.status, confirmation.problem);
	return person;
}

/** Why an event carries no identity; null when it carries one (its own reason then applies). */
function reasonFor(event: IdinWebhookEvent, confirmed: boolean, hasIdentity: boolean): string | null {
	if (hasIdentity) return null;
	if (confirmed) return 'CM deleted the person: there is no identity to read any more';
	return isPersonEvent(event)
		? 'Not confirmed with CM: "Confirm Person Events" is off'
		: 'Group events are not confirmed: CM offers no way to read a group';
}

async function buildItems(
	ctx: IWebhookFunctions,
	event: IdinWebhookEvent,
	delivery: DeliveryContext,
): Promise<INodeExecutionData[]> {
	const options = ctx.getNodeParameter('options', {}) as TriggerOptions;
	const confirm = isPersonEvent(event) && options.confirmPersonEvents !== false;
	const person = confirm ? await confirmedPerson(ctx, event, delivery) : null;
	const identity = person ? normalizeIdinPerson(person) : null;
	const envelope = buildEnvelope({
		provider: 'idin',
		event: event.event,
		deliveryId: delivery.deliveryId,
		transactionId: event.person ?? null,
		status: identity?.status ?? null,
		signatureVerified: requiresSecretHeader(ctx),
		identity,
		reason: reasonFor(event, confirm, identity !== null),
		raw: event,
	}) as unknown as IDataObject;
	const details = person ? personDetails(person, event.group) : { groupId: event.group, personId: event.person ?? null };
	return [{ json: { ...envelope, ...details, confirmed: confirm } }];
}

/** CM support registers the URL by hand: nothing to create or delete at CM, but activation checks the settings. */
const webhookMethods = manuallyRegisteredWebhooksCheckedBy(assertReadyToReceive);

const pipeline: WebhookPipeline<IdinWebhookEvent> = {
	ackBudgetMs: IDIN_ACK_BUDGET_MS,
	async isAuthentic(ctx) {
		if (!requiresSecretHeader(ctx)) return true;
		const header = await secretHeader(ctx);
		// An unset value fails here too: the trigger fails closed.
		return checkSharedSecret({ expected: header.value, provided: headerValue(ctx.getHeaderData(), header.name) });
	},
	parse: (_ctx, rawBody) => parseIdinWebhookBody(rawBody),
	isWanted: (ctx, event) => (ctx.getNodeParameter('events', []) as string[]).includes(event.event),
	// CM's event id is the same on every retry of one event.
	deliveryId: (event) => `idin:${event.id}`,
	buildItems,
};

export class CmIdinTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CM iDIN Trigger',
		name: 'cmIdinTrigger',
		icon: IDIN_ICON,
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).join(", ") }}',
		description: 'Starts the workflow when CM reports an iDIN invites event (a person identified, a group completed…)',
		defaults: { name: 'CM iDIN Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: IDIN_CREDENTIAL, required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: IDIN_WEBHOOK_PATH }],
		properties: [
			{
				displayName:
					'CM sets up the webhook: send CM support the Production URL above, and ask them to add the secret header of your CM iDIN credential (name and value) to it. Then activate the workflow.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: [...IDIN_EVENTS],
				options: EVENT_OPTIONS,
				description: 'The events that start the workflow; others are acknowledged and dropped',
			},
			{
				displayName: 'Require Secret Header',
				name: 'requireSecretHeader',
				type: 'boolean',
				default: true,
				description:
					'Whether to accept only calls that carry the secret header set in the credential (CM signs nothing else). Without the header value set, every call is refused.',
			},
			{
				displayName:
					'Without the secret header anyone who knows this URL can start the workflow. Keep "Confirm Person Events" on so that person events are at least checked with CM.',
				name: 'noSecretNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { requireSecretHeader: [false] } },
			},
			webhookOptionsProperty([
				{
					displayName: 'Confirm Person Events',
					name: 'confirmPersonEvents',
					type: 'boolean',
					default: true,
					description:
						"Whether to read the person from CM's API before starting the workflow: an event about a person CM does not know, or with a status CM does not report, is refused. The output then carries the normalized identity.",
				},
			]),
		],
	};

	webhookMethods = webhookMethods;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await runWebhookPipeline(this, pipeline);
	}
}
