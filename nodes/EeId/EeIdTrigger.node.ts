import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { buildEnvelope, type NormalizedIdentity } from '../shared/identity';
import { headerText, messageOf } from '../shared/util';
import { webhookOptionsProperty } from '../shared/webhookOptions';
import {
	manuallyRegisteredWebhooks,
	runWebhookPipeline,
	type DeliveryContext,
	type WebhookPipeline,
} from '../shared/webhookTrigger';
import { checkClaims } from './claims';
import {
	EEID_ACK_BUDGET_MS,
	EEID_CREDENTIAL,
	EEID_ICON,
	EEID_SIGNATURE_HEADER,
	EEID_WEBHOOK_PATH,
} from './constants';
import { normalizeEeIdRequest } from './normalize';
import { downloadProofOfIdentity, getIdentificationRequest } from './transport';
import type { EeIdIdentificationRequest, EeIdWebhookBody } from './types';
import { eeIdDeliveryId, isEeIdSignatureValid, parseEeIdWebhookBody } from './webhook';

interface TriggerOptions {
	resolveRequest?: boolean;
	attachProof?: boolean;
	binaryPropertyName?: string;
}

/**
 * Resolving the request (and fetching the proof) must fit in the time eeID waits for the answer. When it does not,
 * or eeID fails, the event is still emitted, with no identity and the reason: a lost event cannot be fetched later,
 * a missing identity can (an eeID "Get" node after the trigger).
 */
async function resolve(
	ctx: IWebhookFunctions,
	event: EeIdWebhookBody,
	{ budget }: DeliveryContext,
	options: TriggerOptions,
): Promise<{ request: EeIdIdentificationRequest | null; item: INodeExecutionData['binary']; reason: string | null }> {
	let request: EeIdIdentificationRequest | null = null;
	try {
		request = await getIdentificationRequest(ctx, event.identification_request_id, budget.call());
		if (!options.attachProof || request.status !== 'completed') return { request, item: undefined, reason: null };
		const proof = await downloadProofOfIdentity(ctx, event.identification_request_id, budget.call());
		return { request, item: { [options.binaryPropertyName || 'data']: proof }, reason: null };
	} catch (error) {
		const step = request ? 'download the proof of identity' : 'resolve the identification request';
		return { request, item: undefined, reason: `Could not ${step} before answering eeID: ${messageOf(error)}` };
	}
}

async function buildItems(
	ctx: IWebhookFunctions,
	event: EeIdWebhookBody,
	delivery: DeliveryContext,
): Promise<INodeExecutionData[]> {
	const options = ctx.getNodeParameter('options', {}) as TriggerOptions;
	const resolved =
		options.resolveRequest === false ? { request: null, item: undefined, reason: null } : await resolve(ctx, event, delivery, options);
	const identity: NormalizedIdentity | null = resolved.request ? normalizeEeIdRequest(resolved.request) : null;
	const envelope = buildEnvelope({
		provider: 'eeid',
		event: 'identification_request.completed',
		deliveryId: delivery.deliveryId,
		transactionId: event.identification_request_id,
		reference: event.reference ?? resolved.request?.reference ?? null,
		// Only the fetched request says what happened; the delivery alone claims nothing.
		status: identity?.status ?? null,
		signatureVerified: true,
		identity,
		reason: resolved.reason,
		raw: event,
	}) as unknown as IDataObject;
	if (resolved.request) envelope.claimsCheck = checkClaims(resolved.request) as unknown as IDataObject;
	return [{ json: envelope, ...(resolved.item && { binary: resolved.item }) }];
}

const pipeline: WebhookPipeline<EeIdWebhookBody> = {
	ackBudgetMs: EEID_ACK_BUDGET_MS,
	async isAuthentic(ctx, rawBody) {
		const credentials = await ctx.getCredentials(EEID_CREDENTIAL);
		const signature = headerText(ctx.getHeaderData(), EEID_SIGNATURE_HEADER);
		if (!isEeIdSignatureValid(rawBody, signature, String(credentials.clientSecret))) return false;
		// Signed with this secret but announced for another eeID service: not ours to act on.
		const parsed = parseEeIdWebhookBody(rawBody);
		return 'problem' in parsed || parsed.event.client_id === credentials.clientId;
	},
	parse: (_ctx, rawBody) => parseEeIdWebhookBody(rawBody),
	deliveryId: (event) => eeIdDeliveryId(event.client_id, event.identification_request_id),
	buildItems,
};

export class EeIdTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'eeID Trigger',
		name: 'eeIdTrigger',
		icon: EEID_ICON,
		group: ['trigger'],
		version: 1,
		subtitle: '=Identification request completed',
		description: 'Starts the workflow when eeID reports a completed identification request (signed webhook)',
		defaults: { name: 'eeID Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: EEID_CREDENTIAL, required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: EEID_WEBHOOK_PATH,
			},
		],
		properties: [
			{
				displayName:
					'In the eeID manager, paste the Production URL above as the webhook URL of the identification service whose Client ID and Secret the credential holds. Its path already ends in eeid/webhooks/identification_requests, as eeID requires.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			webhookOptionsProperty([
				{
					displayName: 'Attach Proof of Identity',
					name: 'attachProof',
					type: 'boolean',
					default: false,
					description: 'Whether to download the proof-of-identity PDF and attach it as binary data',
				},
				{
					displayName: 'Put Proof in Field',
					name: 'binaryPropertyName',
					type: 'string',
					default: 'data',
					description: 'The name of the binary field that receives the PDF',
				},
				{
					displayName: 'Resolve Identification Request',
					name: 'resolveRequest',
					type: 'boolean',
					default: true,
					description:
						'Whether to fetch the identification request from the eeID API so that the item carries the normalized identity and whether the person matched. Without it, status and verified are null.',
				},
			]),
		],
	};

	webhookMethods = manuallyRegisteredWebhooks;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await runWebhookPipeline(this, pipeline);
	}
}
