/**
 * The IDnow Trigger's URLs, one per webhook kind: its Production URL plus the kind, the secret token and the
 * placeholders IDnow fills in (2.6). Create (WebhookURL) and part 2's Request Video Provisioning (callbackUrl) build
 * them here, so the trigger reads exactly what they wrote.
 */
import type { INodeProperties } from 'n8n-workflow';

import { InputError } from '../shared/errors';
import {
	IDNOW_KIND_PARAMETER,
	IDNOW_PLACEHOLDERS,
	IDNOW_TOKEN_PARAMETER,
	IDNOW_WEBHOOK_PATH,
	type IdnowWebhookKind,
} from './constants';

/** A token anyone could guess protects nothing: at least this many characters (16 bytes as hex = 32). */
const MIN_WEBHOOK_TOKEN_LENGTH = 16;

/** The query parameters the trigger reads, besides kind and token. */
export const URL_PARAMETERS = { orderId: 'orderId', ref: 'ref', statusCode: 'statusCode' } as const;

/**
 * The query of one kind's URL, placeholders unencoded (IDnow substitutes them URL-encoded); `token` as it is to
 * appear (already encoded for a real URL).
 */
export function webhookQuery(kind: IdnowWebhookKind, token: string): string {
	const parts = [
		`${IDNOW_KIND_PARAMETER}=${kind}`,
		`${URL_PARAMETERS.orderId}=${IDNOW_PLACEHOLDERS.orderId}`,
		`${URL_PARAMETERS.ref}=${IDNOW_PLACEHOLDERS.ref}`,
		// [statusCode] is only substituted in OnStatusChange URLs (2.6).
		...(kind === 'OnStatusChange' ? [`${URL_PARAMETERS.statusCode}=${IDNOW_PLACEHOLDERS.statusCode}`] : []),
		`${IDNOW_TOKEN_PARAMETER}=${token}`,
	];
	return parts.join('&');
}

/** What is wrong with the credential's webhook token, or undefined when it is usable. */
export function webhookTokenProblem(value: unknown): InputError | undefined {
	const token = typeof value === 'string' ? value.trim() : '';
	if (token.length >= MIN_WEBHOOK_TOKEN_LENGTH) return undefined;
	return new InputError(
		token === ''
			? 'The IDnow credential has no Webhook Token'
			: `The Webhook Token of the IDnow credential has ${token.length} characters, fewer than ${MIN_WEBHOOK_TOKEN_LENGTH}`,
		'IDnow signs no webhook, so the IDnow Trigger accepts only URLs carrying this secret. Set a long random value in the credential, e.g. the output of "openssl rand -hex 32".',
	);
}

/** The credential's webhook token, or an error saying where to set it. */
export function assertWebhookToken(value: unknown): string {
	const problem = webhookTokenProblem(value);
	if (problem) throw problem;
	return String(value).trim();
}

/** The trigger's Production URL as the user pasted it, checked: absolute http(s), no query, path ending in /idnow. */
export function assertTriggerUrl(value: unknown, field: string): string {
	const text = typeof value === 'string' ? value.trim() : '';
	const fix = `Paste the Production URL shown at the top of the IDnow Trigger node, e.g. https://n8n.example.com/webhook/4f1c…/${IDNOW_WEBHOOK_PATH}.`;
	if (!URL.canParse(text)) {
		throw new InputError(text === '' ? `${field} is empty` : `${field} "${text}" is not a URL`, fix);
	}
	const url = new URL(text);
	if (!/^https?:$/.test(url.protocol) || url.search !== '' || url.hash !== '') {
		throw new InputError(`${field} "${text}" is not an IDnow Trigger URL: it must be http(s) without a query`, fix);
	}
	if (!url.pathname.replace(/\/+$/, '').endsWith(`/${IDNOW_WEBHOOK_PATH}`)) {
		throw new InputError(`${field} "${text}" does not end in /${IDNOW_WEBHOOK_PATH}, as IDnow Trigger URLs do`, fix);
	}
	return text.replace(/\/+$/, '');
}

/** The URL IDnow calls for `kind`: the trigger's Production URL, the kind, the placeholders and the token. */
export function triggerWebhookUrl(triggerUrl: string, kind: IdnowWebhookKind, token: string): string {
	return `${triggerUrl}?${webhookQuery(kind, encodeURIComponent(token))}`;
}

/** The Production URL field of operations that point IDnow at the trigger. */
export const triggerUrlField: INodeProperties = {
	displayName: 'IDnow Trigger URL',
	name: 'triggerUrl',
	type: 'string',
	default: '',
	required: true,
	placeholder: `https://n8n.example.com/webhook/4f1c…/${IDNOW_WEBHOOK_PATH}`,
	description:
		"The Production URL of the IDnow Trigger that should receive the calls. The kind, the placeholders and the credential's Webhook Token are added to it.",
};
