import type { IDataObject } from 'n8n-workflow';

import { verifyHmacSha256 } from '../shared/webhookSecurity';
import type { EeIdWebhookBody } from './types';

export const EEID_WEBHOOK_PATH = 'eeid/webhooks/identification_requests';
export const EEID_SIGNATURE_HEADER = 'x-hmac-signature';

/**
 * eeID signs the body it serialized, but deliveries have been seen whose bytes differ from the signed ones
 * in whitespace only, so the body without any whitespace is the second candidate.
 */
export function isEeIdSignatureValid(rawBody: Buffer, signature: string | undefined, clientSecret: string): boolean {
	const compact = Buffer.from(rawBody.toString('utf8').replace(/\s+/g, ''), 'utf8');
	return verifyHmacSha256({ secret: clientSecret, payloads: [rawBody, compact], signature, encoding: 'hex' });
}

const EXPECTED_BODY = 'eeID sends {identification_request_id, client_id, reference}.';

/** The event, or what is wrong with the body: a webhook answers bad input instead of throwing. */
export function parseEeIdWebhookBody(rawBody: Buffer): { body: EeIdWebhookBody } | { problem: string } {
	let body: IDataObject;
	try {
		body = JSON.parse(rawBody.toString('utf8')) as IDataObject;
	} catch {
		return { problem: `The eeID webhook body is not JSON. ${EXPECTED_BODY}` };
	}
	if (typeof body?.identification_request_id !== 'string' || typeof body.client_id !== 'string') {
		return { problem: `The eeID webhook body lacks identification_request_id or client_id. ${EXPECTED_BODY}` };
	}
	return { body: body as unknown as EeIdWebhookBody };
}
