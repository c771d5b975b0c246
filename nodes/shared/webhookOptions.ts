import { NodeOperationError, type INodeProperties, type IWebhookFunctions } from 'n8n-workflow';

import { InputError, toNodeOperationError } from './errors';
import { optionsCollection } from './requestOptions';
import { isIpAllowed, parseCidrList, resolveClientIp, type CidrRange } from './webhookSecurity';

/** Options every webhook trigger offers, for providers that call from known addresses or sit behind a proxy. */
export const callerIpOptions: INodeProperties[] = [
	{
		displayName: 'Allowed IP Ranges',
		name: 'allowedIpRanges',
		type: 'string',
		default: '',
		placeholder: '203.0.113.0/24, 2001:db8::/32',
		description:
			'Only calls from these addresses or CIDR ranges (comma-separated, IPv4 or IPv6) start the workflow; others are answered 403. Empty allows every address.',
	},
	{
		displayName: 'Trusted Proxies',
		name: 'trustedProxies',
		type: 'string',
		default: '',
		placeholder: '127.0.0.1, 10.0.0.0/8',
		description:
			'Reverse proxies in front of n8n whose X-Forwarded-For header is believed when checking Allowed IP Ranges. The caller is the last address before them.',
	},
];

/** A webhook trigger's "Options" collection: the caller-IP options first, then the trigger's own. */
export function webhookOptionsProperty(own: INodeProperties[] = []): INodeProperties {
	return optionsCollection([...callerIpOptions, ...own]);
}

export interface CallerIpSettings {
	allowedIpRanges?: string;
	trustedProxies?: string;
}

function parseSetting(ctx: IWebhookFunctions, text: string | undefined, option: string): CidrRange[] {
	try {
		return parseCidrList(text ?? '');
	} catch (error) {
		if (error instanceof InputError) {
			throw toNodeOperationError(ctx.getNode(), new InputError(`${option}: ${error.message}`, error.fix));
		}
		throw new NodeOperationError(ctx.getNode(), error as Error);
	}
}

/** Whether the caller may start the workflow; true when no allowlist is set. */
export function isCallerAllowed(ctx: IWebhookFunctions, settings: CallerIpSettings): boolean {
	const allowed = parseSetting(ctx, settings.allowedIpRanges, 'Allowed IP Ranges');
	if (allowed.length === 0) return true;
	const req = ctx.getRequestObject();
	const caller = resolveClientIp({
		remoteAddress: req.socket?.remoteAddress ?? req.ip,
		forwardedFor: req.headers['x-forwarded-for'],
		trustedProxies: parseSetting(ctx, settings.trustedProxies, 'Trusted Proxies'),
	});
	return isIpAllowed(caller, allowed);
}
