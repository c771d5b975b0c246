import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { buildEnvelope } from '../shared/identity';
import { callerIpOptions, isCallerAllowed, type CallerIpSettings } from '../shared/webhookOptions';
import { isDuplicateDelivery } from '../shared/webhookSecurity';
import { eeIdStatus, normalizeEeIdRequest } from './normalize';
import { downloadProofAsBinary, EEID_CREDENTIAL, getIdentificationRequest } from './transport';
import type { EeIdWebhookBody } from './types';
import { EEID_SIGNATURE_HEADER, EEID_WEBHOOK_PATH, isEeIdSignatureValid, parseEeIdWebhookBody } from './webhook';

interface TriggerOptions extends CallerIpSettings {
	resolveRequest?: boolean;
	attachProof?: boolean;
	binaryPropertyName?: string;
}

function reject(ctx: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	ctx.getResponseObject().status(status).send(message).end();
	return { noWebhookResponse: true };
}

async function rawBodyOf(ctx: IWebhookFunctions): Promise<Buffer> {
	const req = ctx.getRequestObject();
	if (!req.rawBody) await req.readRawBody();
	return req.rawBody ?? Buffer.alloc(0);
}

async function buildItem(ctx: IWebhookFunctions, body: EeIdWebhookBody, options: TriggerOptions): Promise<INodeExecutionData> {
	const request =
		options.resolveRequest === false ? null : await getIdentificationRequest(ctx, body.identification_request_id);
	const item: INodeExecutionData = {
		json: buildEnvelope({
			provider: 'eeid',
			event: 'identification_request.completed',
			transactionId: body.identification_request_id,
			reference: body.reference ?? request?.reference ?? null,
			// eeID calls only when a request completes; the fetched request, when there is one, has the last word.
			status: request ? eeIdStatus(request.status) : 'verified',
			signatureVerified: true,
			identity: request ? normalizeEeIdRequest(request) : null,
			raw: body,
		}) as unknown as IDataObject,
	};
	if (options.attachProof) {
		const property = options.binaryPropertyName || 'data';
		item.binary = { [property]: await downloadProofAsBinary(ctx, body.identification_request_id) };
	}
	return item;
}

export class EeIdTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'eeID Trigger',
		name: 'eeIdTrigger',
		icon: { light: 'file:../../icons/eeid.svg', dark: 'file:../../icons/eeid.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '=Identification request completed',
		description: 'Starts the workflow when eeID reports a completed identification request (signed webhook)',
		defaults: { name: 'eeID Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'eeIdApi', required: true }],
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
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					...callerIpOptions,
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
							'Whether to fetch the identification request from the eeID API so that the item carries the normalized identity',
					},
				],
			},
		],
	};

	webhookMethods = {
		default: {
			// The webhook URL is entered by hand in the eeID manager: there is nothing to register.
			async checkExists(): Promise<boolean> {
				return true;
			},
			async create(): Promise<boolean> {
				return true;
			},
			async delete(): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		if (!isCallerAllowed(this, options)) return reject(this, 403, 'Forbidden');
		const credentials = await this.getCredentials(EEID_CREDENTIAL);
		const rawBody = await rawBodyOf(this);
		const signature = this.getHeaderData()[EEID_SIGNATURE_HEADER] as string | undefined;
		if (!isEeIdSignatureValid(rawBody, signature, String(credentials.clientSecret))) {
			return reject(this, 401, 'Unauthorized');
		}
		const parsed = parseEeIdWebhookBody(rawBody);
		if ('problem' in parsed) return reject(this, 400, parsed.problem);
		const { body } = parsed;
		// Signed with this secret but announced for another eeID service: not ours to act on.
		if (body.client_id !== credentials.clientId) return reject(this, 401, 'Unauthorized');

		const item = await buildItem(this, body, options);
		// Recorded only once the item could be built, so that a delivery that failed here is accepted on retry.
		const staticData = this.getWorkflowStaticData('node');
		const scope = `${this.getWorkflow().id}:${this.getNode().id}`;
		if (isDuplicateDelivery(staticData, `${body.client_id}:${body.identification_request_id}`, { scope })) {
			this.getResponseObject().status(200).json({ received: true, duplicate: true });
			return { noWebhookResponse: true };
		}
		return { workflowData: [[item]] };
	}
}
