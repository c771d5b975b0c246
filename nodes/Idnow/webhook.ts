/**
 * A call of the IDnow Trigger: IDnow sends no body and signs nothing (2.6), so everything is in the URL the trigger
 * handed out — the kind, the secret token and the placeholders IDnow filled in.
 */
import type { IDataObject } from 'n8n-workflow';

import { firstText, valueByName } from '../shared/util';
import type { ParsedDelivery } from '../shared/webhookTrigger';
import { IDNOW_KIND_PARAMETER, IDNOW_WEBHOOK_KINDS, type IdnowWebhookKind } from './constants';
import { URL_PARAMETERS } from './webhookUrls';

export interface IdnowWebhookEvent {
	kind: IdnowWebhookKind;
	orderId: string;
	/** Empty when the order has no Ref (IDnow substitutes an empty string). */
	ref: string;
	/** Only OnStatusChange URLs carry one. */
	statusCode: number | null;
	/** The query as it came, for `raw`. */
	query: IDataObject;
}

/** A query value by case-insensitive name: account-level URLs are typed by hand (2.6.3 writes `orderID`). */
function queryValue(query: IDataObject, name: string): string | undefined {
	return firstText(valueByName(query, name))?.trim();
}

/** `[OrderID]` left as it was: the URL was called without IDnow filling it in (e.g. opened by hand). */
function isPlaceholder(value: string): boolean {
	return /^\[[A-Za-z]+\]$/.test(value);
}

const EXPECTED = `Use the URLs the IDnow Trigger node shows: they carry ${IDNOW_KIND_PARAMETER}, ${URL_PARAMETERS.orderId}=[OrderID] and ${URL_PARAMETERS.ref}=[Ref].`;

export function parseIdnowWebhook(query: IDataObject): ParsedDelivery<IdnowWebhookEvent> {
	const kindText = queryValue(query, IDNOW_KIND_PARAMETER) ?? '';
	const kind = IDNOW_WEBHOOK_KINDS.find((candidate) => candidate.toLowerCase() === kindText.toLowerCase());
	if (!kind) return { problem: `Unknown webhook kind "${kindText}". ${EXPECTED}` };
	const orderId = queryValue(query, URL_PARAMETERS.orderId) ?? '';
	if (orderId === '' || isPlaceholder(orderId)) return { problem: `The call carries no OrderID. ${EXPECTED}` };
	const ref = queryValue(query, URL_PARAMETERS.ref) ?? '';
	const statusText = queryValue(query, URL_PARAMETERS.statusCode) ?? '';
	if (statusText !== '' && !isPlaceholder(statusText) && !/^\d{1,6}$/.test(statusText)) {
		return { problem: `The statusCode "${statusText}" is not a status code` };
	}
	const statusCode = /^\d+$/.test(statusText) ? Number(statusText) : null;
	return { event: { kind, orderId, ref: isPlaceholder(ref) ? '' : ref, statusCode, query } };
}

/** The same (kind, OrderID, statusCode) is one event, however often IDnow retries it (for up to 6 days, 2.6.2). */
export function idnowDeliveryId(event: IdnowWebhookEvent): string {
	return `idnow:${event.kind}:${event.orderId}:${event.statusCode ?? ''}`;
}
