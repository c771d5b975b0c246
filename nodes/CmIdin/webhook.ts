/** Reading CM's webhook events, and what it takes for CM's own API to confirm one. */
import type { ParsedDelivery } from '../shared/webhookTrigger';
import { isObject, parseJson } from '../shared/util';
import type { IdinPerson, IdinWebhookEvent } from './types';

const EXPECTED_BODY = 'CM sends {id, event, group, person (person events), status, created}.';

/** The event, or what is wrong with the body: a webhook answers bad input instead of throwing. */
export function parseIdinWebhookBody(rawBody: Buffer): ParsedDelivery<IdinWebhookEvent> {
	const body = parseJson(rawBody.toString('utf8'));
	if (body === undefined) return { problem: `The CM iDIN webhook body is not JSON. ${EXPECTED_BODY}` };
	if (!isObject(body) || typeof body.id !== 'string' || typeof body.event !== 'string' || typeof body.group !== 'string') {
		return { problem: `The CM iDIN webhook body lacks id, event or group. ${EXPECTED_BODY}` };
	}
	if (isPersonEvent(body as unknown as IdinWebhookEvent) && typeof body.person !== 'string') {
		return { problem: `The CM iDIN ${body.event} event names no person. ${EXPECTED_BODY}` };
	}
	return { event: body as unknown as IdinWebhookEvent };
}

export function isPersonEvent(event: IdinWebhookEvent): boolean {
	return event.event === 'person.updated' || event.event === 'person.deleted';
}

export type Confirmation = { confirmed: true } | { confirmed: false; status: number; problem: string };

/**
 * Whether the person CM's API shows (null: CM answered 404) bears the event out. A deletion is borne out by the
 * person being gone; any other person event by the person existing with the status the event announces.
 */
export function confirmPersonEvent(event: IdinWebhookEvent, person: IdinPerson | null): Confirmation {
	if (event.event === 'person.deleted') {
		return person === null
			? { confirmed: true }
			: { confirmed: false, status: 409, problem: 'Not confirmed: CM still has this person' };
	}
	if (person === null) return { confirmed: false, status: 404, problem: 'Not confirmed: CM does not know this person' };
	if (person.status !== event.status) {
		return {
			confirmed: false,
			status: 409,
			problem: `Not confirmed: CM reports the status ${JSON.stringify(person.status)} for this person, not ${JSON.stringify(event.status)}`,
		};
	}
	return { confirmed: true };
}
