import type { IExecuteFunctions } from 'n8n-workflow';

import { InputError } from '../../../shared/errors';
import type { OperationDefinition } from '../../../shared/resources';
import { optionsProperty } from '../../../shared/requestOptions';
import { IDNOW_CREDENTIAL, IDNOW_PLACEHOLDERS } from '../../constants';
import { requestVideoProvisioning as requestProvisioning } from '../../transport';
import { assertTriggerUrl, assertWebhookToken, triggerUrlField, triggerWebhookUrl } from '../../webhookUrls';
import { orderIdField, readOrderId } from '../fields';

const CUSTOM_URL_FIX = 'Enter an absolute http(s) URL that your system answers, or choose Callback "IDnow Trigger".';

function assertCustomUrl(value: unknown): string {
	const text = String(value ?? '').trim();
	if (text === '') throw new InputError('The Callback URL is empty', CUSTOM_URL_FIX);
	if (!URL.canParse(text)) throw new InputError(`The Callback URL "${text}" is not an absolute URL`, CUSTOM_URL_FIX);
	const url = new URL(text);
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new InputError(`The Callback URL must start with https:// or http://, not ${url.protocol}//`, CUSTOM_URL_FIX);
	}
	return text;
}

/** The IDnow Trigger's Video Ready URL, with the credential's Webhook Token the trigger checks. */
async function triggerCallbackUrl(ctx: IExecuteFunctions, itemIndex: number): Promise<string> {
	const triggerUrl = assertTriggerUrl(ctx.getNodeParameter('triggerUrl', itemIndex), 'The IDnow Trigger URL');
	const credentials = await ctx.getCredentials(IDNOW_CREDENTIAL, itemIndex);
	return triggerWebhookUrl(triggerUrl, 'VideoReady', assertWebhookToken(credentials.webhookToken));
}

/**
 * The document does not say whether IDnow fills placeholders into callbackUrl (it does in webhook URLs), so [OrderID]
 * is filled in here, where the OrderID is known: the callback names its order either way. [Ref] is left to IDnow.
 */
function withOrderId(url: string, orderId: string): string {
	return url.split(IDNOW_PLACEHOLDERS.orderId).join(encodeURIComponent(orderId));
}

export const requestVideoProvisioning: OperationDefinition = {
	value: 'requestVideoProvisioning',
	name: 'Request Video Provisioning',
	action: 'Request the video of an identification',
	description: 'Ask IDnow to prepare the video recording of a final order; IDnow calls back when it is ready',
	kind: 'write',
	properties: [
		{
			displayName:
				'IDnow prepares the video after this request and then calls the callback URL. Fetch it with Recording → Get Video only then: before, IDnow may send a placeholder video.',
			name: 'provisioningNotice',
			type: 'notice',
			default: '',
		},
		orderIdField,
		{
			displayName: 'Callback',
			name: 'callbackTarget',
			type: 'options',
			default: 'trigger',
			options: [
				{
					name: 'IDnow Trigger',
					value: 'trigger',
					description: "The IDnow Trigger's Video Ready URL, with the credential's Webhook Token",
				},
				{ name: 'Custom URL', value: 'custom', description: 'Any URL your system answers to a GET' },
			],
			description: 'Whom IDnow calls (GET) once the video is ready',
		},
		{ ...triggerUrlField, displayOptions: { show: { callbackTarget: ['trigger'] } } },
		{
			displayName: 'Callback URL',
			name: 'callbackUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://example.com/idnow/video-ready?order=[OrderID]',
			description: "The URL IDnow calls once the video is ready; [OrderID] is replaced by the order's ID",
			displayOptions: { show: { callbackTarget: ['custom'] } },
		},
		optionsProperty(),
	],
	async execute(itemIndex, call) {
		const orderId = readOrderId(this, itemIndex);
		const target = this.getNodeParameter('callbackTarget', itemIndex, 'trigger');
		const url =
			target === 'custom'
				? assertCustomUrl(this.getNodeParameter('callbackUrl', itemIndex))
				: await triggerCallbackUrl(this, itemIndex);
		await requestProvisioning(this, orderId, withOrderId(url, orderId), call);
		// The callback URL is not echoed: the trigger's carries the Webhook Token.
		return { json: { OrderID: orderId, videoProvisioningRequested: true } };
	},
};
