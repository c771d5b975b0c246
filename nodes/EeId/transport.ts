import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

import { eeIdBaseUrl } from '../../credentials/EeIdApi.credentials';
import { responseToBinary } from '../shared/binary';
import type { RetryPolicy } from '../shared/retry';
import { providerJson, providerRequest, type ProviderRequestOptions } from '../shared/transport';
import type { EeIdCreateBody, EeIdIdentificationRequest, EeIdPage } from './types';

export type EeIdContext = IExecuteFunctions | IWebhookFunctions | IPollFunctions;

export const EEID_CREDENTIAL = 'eeIdApi';
const IDENT_PATH = '/api/ident/v1/identification_requests';
const PAGE_SIZE = 100;
const PDF_SIGNATURE = Buffer.from('%PDF-');
const MAX_PROOF_BYTES = 50 * 1024 * 1024;

export interface EeIdCallSettings {
	itemIndex?: number;
	retry?: Partial<RetryPolicy>;
	timeoutMs?: number;
}

async function eeIdOptions(
	ctx: EeIdContext,
	path: string,
	options: Omit<ProviderRequestOptions, 'url'>,
	settings: EeIdCallSettings,
): Promise<ProviderRequestOptions> {
	const credentials = await ctx.getCredentials(EEID_CREDENTIAL);
	return {
		...options,
		url: `${eeIdBaseUrl(credentials)}${path}`,
		json: options.encoding === 'stream' ? undefined : true,
		timeout: settings.timeoutMs,
	};
}

function callFor(settings: EeIdCallSettings) {
	return { provider: 'eeID', credentialType: EEID_CREDENTIAL, itemIndex: settings.itemIndex, retry: settings.retry };
}

async function eeIdJson<T>(
	ctx: EeIdContext,
	path: string,
	options: Omit<ProviderRequestOptions, 'url'>,
	settings: EeIdCallSettings,
): Promise<T> {
	return await providerJson<T>(ctx, callFor(settings), await eeIdOptions(ctx, path, options, settings));
}

export async function createIdentificationRequest(
	ctx: EeIdContext,
	body: EeIdCreateBody,
	settings: EeIdCallSettings = {},
): Promise<EeIdIdentificationRequest> {
	return await eeIdJson(ctx, IDENT_PATH, { method: 'POST', body: body as unknown as IDataObject }, settings);
}

export async function getIdentificationRequest(
	ctx: EeIdContext,
	id: string,
	settings: EeIdCallSettings = {},
): Promise<EeIdIdentificationRequest> {
	return await eeIdJson(ctx, `${IDENT_PATH}/${encodeURIComponent(id)}`, { method: 'GET' }, settings);
}

/** A strictly 1-based API may refuse page 0 as invalid; that only means the first page is page 1. */
const PAGE_ZERO_REFUSALS = [400, 422];

async function getPage(ctx: EeIdContext, page: number, settings: EeIdCallSettings): Promise<EeIdPage> {
	const call = { ...callFor(settings), acceptStatuses: page === 0 ? PAGE_ZERO_REFUSALS : undefined };
	const options = await eeIdOptions(ctx, IDENT_PATH, { method: 'GET', qs: { page, page_size: PAGE_SIZE } }, settings);
	const response = await providerRequest(ctx, call, options);
	return response.statusCode >= 400 ? { items: [] } : (response.body as EeIdPage);
}

/**
 * Lists identification requests in the API's order, at most `limit` of them.
 *
 * eeID's documentation says the page number defaults to 1 but shows answers counting from 0, so the walk
 * does not depend on either: it starts at page 0 and goes on until a page comes back empty (after page 0,
 * which a 1-based API may answer empty) or `total` distinct requests have been seen. A 1-based API that
 * treats page 0 as page 1 repeats that page once; requests are kept once by id.
 */
export async function listIdentificationRequests(
	ctx: EeIdContext,
	limit: number = Number.POSITIVE_INFINITY,
	settings: EeIdCallSettings = {},
): Promise<EeIdIdentificationRequest[]> {
	const seen = new Map<string, EeIdIdentificationRequest>();
	for (let page = 0; seen.size < limit; page++) {
		const answer = await getPage(ctx, page, settings);
		const items = answer.items ?? [];
		for (const item of items) if (!seen.has(item.id)) seen.set(item.id, item);
		const total = typeof answer.total === 'number' ? answer.total : Number.POSITIVE_INFINITY;
		if (seen.size >= total) break;
		if (items.length === 0 && page > 0) break;
		if (page > maxPages(total)) break;
	}
	return [...seen.values()].slice(0, limit);
}

/** A bound on the walk, so an API that ignores `page` cannot keep it going for ever. */
function maxPages(total: number): number {
	return Number.isFinite(total) ? total + 1 : 10_000;
}

/** Streams the PDF into n8n's binary store: the proof is never held in memory as a whole. */
export async function downloadProofAsBinary(
	ctx: EeIdContext,
	id: string,
	settings: EeIdCallSettings = {},
): Promise<IBinaryData> {
	const response = await downloadProofOfIdentity(ctx, id, settings);
	return await responseToBinary(ctx, response, {
		fallbackFileName: `${id}.pdf`,
		fallbackMimeType: 'application/pdf',
		maxBytes: MAX_PROOF_BYTES,
		expectedSignature: PDF_SIGNATURE,
	});
}

async function downloadProofOfIdentity(
	ctx: EeIdContext,
	id: string,
	settings: EeIdCallSettings = {},
): Promise<IN8nHttpFullResponse> {
	return await providerRequest(
		ctx,
		callFor(settings),
		await eeIdOptions(
			ctx,
			`${IDENT_PATH}/${encodeURIComponent(id)}/proof_of_identity`,
			{ method: 'GET', encoding: 'stream', headers: { Accept: 'application/pdf' } },
			settings,
		),
	);
}
