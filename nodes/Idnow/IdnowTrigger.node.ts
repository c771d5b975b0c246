import {
	NodeConnectionTypes,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IHookFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { toNodeOperationError } from '../shared/errors';
import { buildEnvelope } from '../shared/identity';
import { optionsCollection } from '../shared/requestOptions';
import { callerIpOptions, isCallerAllowed } from '../shared/webhookOptions';
import { checkSharedSecret } from '../shared/webhookSecurity';
import {
	answer,
	manuallyRegisteredWebhooksCheckedBy,
	runWebhookPipeline,
	type DeliveryContext,
	type WebhookPipeline,
} from '../shared/webhookTrigger';
import {
	IDNOW_ACK_BUDGET_MS,
	IDNOW_CREDENTIAL,
	IDNOW_ICON,
	IDNOW_TOKEN_PARAMETER,
	IDNOW_WEBHOOK_IP_RANGES,
	IDNOW_WEBHOOK_KINDS,
	IDNOW_WEBHOOK_PATH,
	type IdnowWebhookKind,
} from './constants';
import { explainStatusEntry } from './status';
import { idnowDeliveryId, parseIdnowWebhook, type IdnowWebhookEvent } from './webhook';
import { webhookQuery, webhookTokenProblem } from './webhookUrls';

const KIND_DESCRIPTIONS: Record<IdnowWebhookKind, string> = {
	AfterVideo: 'The person left the video call (results are not necessarily ready)',
	AfterIdent: 'The identification was conducted (results are not necessarily ready)',
	OnFinal: 'The order was finally processed: fetch status and results now',
	OnError: 'A partner could not process the order',
	OnVideoError: 'A temporary error during a video identification',
	OnStatusChange: 'The order reached a status the account is configured for',
	VideoReady: "The video requested with Recording → Request Video Provisioning is ready",
};

/** Without IDnow's "On": n8n's node panel lists each event as "On <name>" (e.g. "On final"). */
const KIND_NAMES: Record<IdnowWebhookKind, string> = {
	AfterVideo: 'After Video',
	AfterIdent: 'After Ident',
	OnFinal: 'Final',
	OnError: 'Error',
	OnVideoError: 'Video Error',
	OnStatusChange: 'Status Change',
	VideoReady: 'Video Ready',
};

const URL_INTRO =
	"IDnow calls one URL per webhook kind: the Production URL above followed by the query shown below for each chosen event, with &lt;Webhook Token&gt; being the IDnow credential's Webhook Token. Order → Create fills them in for you (\"Send Webhooks to IDnow Trigger\"); for account-wide webhooks, give them to IDnow support.";

/** One notice per kind, shown while the kind is among the Events: n8n itself shows only the base URL. */
function urlNotices(): INodeProperties[] {
	return IDNOW_WEBHOOK_KINDS.map((kind) => ({
		displayName: `${kind}: &lt;Production URL&gt;?${webhookQuery(kind, '&lt;Webhook Token&gt;')}`,
		name: `url${kind}`,
		type: 'notice',
		default: '',
		displayOptions: { show: { events: [kind] } },
	}));
}

interface TriggerOptions {
	trustedProxies?: string;
}

type CallerCheck = 'idnow' | 'custom' | 'off';

/**
 * The addresses allowed to call, as the caller-IP check reads them (empty allows every address), or null when no
 * address may: custom ranges left empty fail closed rather than open.
 */
function allowedRanges(ctx: IWebhookFunctions): string | null {
	const check = ctx.getNodeParameter('callerCheck', 'idnow') as CallerCheck;
	if (check === 'off') return '';
	if (check === 'idnow') return IDNOW_WEBHOOK_IP_RANGES.join(', ');
	const custom = String(ctx.getNodeParameter('allowedIpRanges', '')).trim();
	return custom === '' ? null : custom;
}

async function credentialToken(ctx: IWebhookFunctions | IHookFunctions): Promise<unknown> {
	const credentials = (await ctx.getCredentials(IDNOW_CREDENTIAL)) as ICredentialDataDecryptedObject;
	return credentials.webhookToken;
}

/** Whether the call carries the credential's token; a credential without a usable token refuses every call. */
async function carriesToken(ctx: IWebhookFunctions): Promise<boolean> {
	const expected = await credentialToken(ctx);
	if (webhookTokenProblem(expected)) return false;
	return checkSharedSecret({
		expected: String(expected).trim(),
		provided: (ctx.getQueryData() as IDataObject)[IDNOW_TOKEN_PARAMETER],
	});
}

async function assertTokenUsable(this: IHookFunctions): Promise<boolean> {
	const problem = webhookTokenProblem(await credentialToken(this));
	if (problem) throw toNodeOperationError(this.getNode(), problem);
	return true;
}

/** Finality as far as the call tells: OnFinal says so; a status code only when it means the same for both order types. */
function finalityOf(event: IdnowWebhookEvent, code: ReturnType<typeof explainStatusEntry> | null): boolean | null {
	if (event.kind === 'OnFinal') return true;
	if (!code) return null;
	return code.finalForIdentification === code.finalForESign ? code.finalForIdentification : null;
}

/**
 * The event only: IDnow asks not to query its API from inside the webhook call (3.2) and cuts the call at 10 s, so
 * status and results are fetched by the next nodes (IDnow → Get Status / Get Data), after IDnow has its answer.
 */
async function buildItems(
	ctx: IWebhookFunctions,
	event: IdnowWebhookEvent,
	{ deliveryId }: DeliveryContext,
): Promise<INodeExecutionData[]> {
	const code = event.statusCode === null ? null : explainStatusEntry({ Kind: event.statusCode, Time: '' });
	const envelope = buildEnvelope({
		provider: 'idnow',
		event: event.kind,
		deliveryId,
		transactionId: event.orderId,
		reference: event.ref,
		status: null,
		signatureVerified: true,
		identity: null,
		reason: null,
		raw: { method: ctx.getRequestObject().method, query: redactedQuery(event.query) },
	}) as unknown as IDataObject;
	return [
		{
			json: {
				...envelope,
				kind: event.kind,
				OrderID: event.orderId,
				Ref: event.ref,
				statusCode: event.statusCode,
				statusMeaning: code?.meaning ?? null,
				finalForIdentification: code ? code.finalForIdentification : null,
				finalForESign: code ? code.finalForESign : null,
				final: finalityOf(event, code),
			},
		},
	];
}

/** The token is a secret: it never reaches the output. */
function redactedQuery(query: IDataObject): IDataObject {
	return Object.fromEntries(
		Object.entries(query).filter(([name]) => name.toLowerCase() !== IDNOW_TOKEN_PARAMETER.toLowerCase()),
	);
}

const pipeline: WebhookPipeline<IdnowWebhookEvent> = {
	ackBudgetMs: IDNOW_ACK_BUDGET_MS,
	isAuthentic: async (ctx) => await carriesToken(ctx),
	parse: (ctx) => parseIdnowWebhook(ctx.getQueryData() as IDataObject),
	deliveryId: idnowDeliveryId,
	isWanted: (ctx, event) => (ctx.getNodeParameter('events', [...IDNOW_WEBHOOK_KINDS]) as string[]).includes(event.kind),
	buildItems,
};

export class IdnowTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'IDnow Trigger',
		name: 'idnowTrigger',
		icon: IDNOW_ICON,
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).join(", ") }}',
		description: 'Starts the workflow when IDnow identity.TM calls a webhook (OnFinal, OnStatusChange, video ready…)',
		defaults: { name: 'IDnow Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: IDNOW_CREDENTIAL, required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: '={{$parameter["httpMethod"]}}',
				responseMode: 'onReceived',
				path: IDNOW_WEBHOOK_PATH,
			},
		],
		properties: [
			{
				displayName: 'HTTP Method',
				name: 'httpMethod',
				type: 'options',
				default: 'GET',
				options: [
					{ name: 'GET', value: 'GET' },
					{ name: 'POST', value: 'POST' },
					{ name: 'PUT', value: 'PUT' },
				],
				description: 'How IDnow calls: GET unless IDnow support changed it for the account to POST or PUT',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: [...IDNOW_WEBHOOK_KINDS],
				options: IDNOW_WEBHOOK_KINDS.map((kind) => ({ name: KIND_NAMES[kind], value: kind, description: `${kind}: ${KIND_DESCRIPTIONS[kind]}` })),
				description: 'The webhook kinds that start the workflow; other calls are answered 200 and dropped',
			},
			{ displayName: URL_INTRO, name: 'urlNotice', type: 'notice', default: '' },
			...urlNotices(),
			{
				displayName: 'Allowed Callers',
				name: 'callerCheck',
				type: 'options',
				default: 'idnow',
				options: [
					{
						name: "IDnow's Published Addresses",
						value: 'idnow',
						description: IDNOW_WEBHOOK_IP_RANGES.join(', '),
					},
					{ name: 'Custom Ranges', value: 'custom', description: 'The addresses or CIDR ranges you list' },
					{ name: 'Any Address', value: 'off', description: 'Only the Webhook Token protects the URL' },
				],
				description:
					'Calls from other addresses are answered 403. Behind a reverse proxy, list it under Options → Trusted Proxies, or every call seems to come from the proxy.',
			},
			{
				...callerIpOptions[0],
				required: true,
				displayOptions: { show: { callerCheck: ['custom'] } },
				description: 'Only calls from these addresses or CIDR ranges (comma-separated, IPv4 or IPv6) start the workflow',
			},
			// The allowed ranges are the parameters above; only the proxies are an option here.
			optionsCollection([callerIpOptions[1]]),
		],
	};

	/** IDnow's webhooks are set per order or by IDnow support; activation only checks that calls can be told apart. */
	webhookMethods = manuallyRegisteredWebhooksCheckedBy(assertTokenUsable);

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		const ranges = allowedRanges(this);
		if (ranges === null || !isCallerAllowed(this, { allowedIpRanges: ranges, trustedProxies: options.trustedProxies })) {
			return answer(this, 403, 'Forbidden');
		}
		return await runWebhookPipeline(this, pipeline);
	}
}
