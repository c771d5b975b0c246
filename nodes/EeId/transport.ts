/** Every eeID endpoint the nodes use; the HTTP policy (retries, timeouts, errors, redaction) is the shared client's. */
import type { IBinaryData, IDataObject } from 'n8n-workflow';

import { createProviderClient, segment, type ClientContext } from '../shared/client';
import type { CallSettings } from '../shared/requestOptions';
import { baseUrlOf } from '../shared/util';
import { EEID_CREDENTIAL, EEID_DEFAULT_BASE_URL, EEID_REQUESTS_PATH } from './constants';
import type { EeIdCreateBody, EeIdIdentificationRequest, EeIdPage } from './types';

const PAGE_SIZE = 100;
const MAX_PROOF_BYTES = 50 * 1024 * 1024;
/** A bound on the list walk, so an API that ignores `page` cannot keep it going for ever. */
const MAX_PAGES = 10_000;

const eeId = createProviderClient({
	provider: 'eeID',
	credentialType: EEID_CREDENTIAL,
	baseUrl: (credentials) => baseUrlOf(credentials.baseUrl, EEID_DEFAULT_BASE_URL),
});

const requestPath = (id: string) => `${EEID_REQUESTS_PATH}/${segment(id)}`;

export async function createIdentificationRequest(
	ctx: ClientContext,
	body: EeIdCreateBody,
	settings?: CallSettings,
): Promise<EeIdIdentificationRequest> {
	return await eeId.json(ctx, { method: 'POST', path: EEID_REQUESTS_PATH, body: body as unknown as IDataObject }, settings);
}

export async function getIdentificationRequest(
	ctx: ClientContext,
	id: string,
	settings?: CallSettings,
): Promise<EeIdIdentificationRequest> {
	return await eeId.json(ctx, { method: 'GET', path: requestPath(id) }, settings);
}

async function getPage(ctx: ClientContext, page: number | undefined, settings?: CallSettings): Promise<EeIdPage> {
	const qs = page === undefined ? { page_size: PAGE_SIZE } : { page, page_size: PAGE_SIZE };
	return await eeId.json(ctx, { method: 'GET', path: EEID_REQUESTS_PATH, qs }, settings);
}

/**
 * Identification requests in the API's order, at most `limit` of them.
 *
 * eeID's document says `page` defaults to 1 but shows answers counting from 0, so the walk depends on neither:
 * it asks the first page without `page`, takes the page number the answer gives as the base, and counts up from
 * there until a page comes back empty or `total` distinct requests have been seen (kept once by id).
 */
export async function listIdentificationRequests(
	ctx: ClientContext,
	limit: number = Number.POSITIVE_INFINITY,
	settings?: CallSettings,
): Promise<EeIdIdentificationRequest[]> {
	const seen = new Map<string, EeIdIdentificationRequest>();
	let answer = await getPage(ctx, undefined, settings);
	// Without a page number in the answer, the documented default (1) is the best guess for the first page.
	const base = typeof answer.page === 'number' ? answer.page : 1;
	for (let page = base; page < base + MAX_PAGES; ) {
		const items = answer.items ?? [];
		for (const item of items) if (!seen.has(item.id)) seen.set(item.id, item);
		const total = typeof answer.total === 'number' ? answer.total : Number.POSITIVE_INFINITY;
		if (items.length === 0 || seen.size >= total || seen.size >= limit) break;
		answer = await getPage(ctx, ++page, settings);
	}
	return [...seen.values()].slice(0, limit);
}

/** Streams the PDF into n8n's binary store: the proof is never held in memory as a whole. */
export async function downloadProofOfIdentity(
	ctx: ClientContext,
	id: string,
	settings?: CallSettings,
): Promise<IBinaryData> {
	return await eeId.download(
		ctx,
		{ method: 'GET', path: `${requestPath(id)}/proof_of_identity`, headers: { Accept: 'application/pdf' } },
		{
			fallbackFileName: `${id}.pdf`,
			fallbackMimeType: 'application/pdf',
			maxBytes: MAX_PROOF_BYTES,
			expectedSignature: Buffer.from('%PDF-'),
		},
		settings,
	);
}
