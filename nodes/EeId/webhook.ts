import type { IDataObject } from 'n8n-workflow';

import { parseJson } from '../shared/util';
import type { ParsedDelivery } from '../shared/webhookTrigger';
import { verifyHmacSha256 } from '../shared/webhookSecurity';
import type { EeIdWebhookBody } from './types';

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
export function parseEeIdWebhookBody(rawBody: Buffer): ParsedDelivery<EeIdWebhookBody> {
	const body = parseJson(rawBody.toString('utf8')) as IDataObject | null | undefined;
	if (body === undefined) return { problem: `The eeID webhook body is not JSON. ${EXPECTED_BODY}` };
	if (typeof body?.identification_request_id !== 'string' || typeof body.client_id !== 'string') {
		return { problem: `The eeID webhook body lacks identification_request_id or client_id. ${EXPECTED_BODY}` };
	}
	return { event: body as unknown as EeIdWebhookBody };
}

/** The same for a webhook and for the poll trigger, so that a downstream Remove Duplicates sees one event once. */
export function eeIdDeliveryId(clientId: string, requestId: string): string {
	return `eeid:${clientId}:${requestId}`;
}
