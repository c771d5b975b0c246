/**
 * How the controls show an order: everything the API would reveal and everything it hides (TANs, the raw body,
 * the flow state), with each status's meaning and finality from the document's table.
 */
import { describeCode } from './engine';
import { berlinTime } from './format';
import { isFinalCode, statusCode, subStatusCode } from './statusCodes';
import { IDNOW_PRODUCTS, type StoredOrder } from './types';

export function optionalTime(ms: number | null): string | null {
	return ms === null ? null : berlinTime(ms);
}

export interface IdnowOrderView {
	orderId: string;
	account: string;
	ref: string;
	product: number;
	productName: string | null;
	add: number;
	eSign: boolean;
	method: string;
	autotest: string | null;
	createdAt: string;
	landingUrl: string;
	deepLinkUrl: string;
	statuses: Array<{
		kind: number;
		subKind?: number;
		text?: string;
		time: string;
		meaning: string;
		/** The sub-status's meaning, when the table has it. */
		subMeaning?: string;
		extended: boolean;
		final: boolean;
	}>;
	final: boolean;
	finalAt: string | null;
	result: { identifiedAt: string; method: string; checked: Record<string, unknown>; images: string[] } | null;
	fraudAttempt: boolean;
	dataDeletedAt: string | null;
	flowRunning: boolean;
	video: { recorded: boolean; requestedAt: string | null; readyAt: string | null; callbacksWaiting: number };
	signing: { tan: string; wrongTries: number } | null;
	phone: { tan: string; wrongTries: number; verified: boolean } | null;
	signedDataAccepted: boolean | null;
	documents: Array<{ filename: string; bytes: number }>;
	hashes: Array<{ filename: string; hash: string }>;
	signedAt: string | null;
	webhookUrls: StoredOrder['webhookUrls'];
	body: Record<string, unknown>;
}

export function presentOrder(
	order: StoredOrder,
	extra: { landingUrl: string; deepLinkUrl: string; final: boolean; videoRecorded: boolean },
): IdnowOrderView {
	return {
		orderId: order.id,
		account: order.account,
		ref: order.ref,
		product: order.product,
		productName: IDNOW_PRODUCTS[order.product] ?? null,
		add: order.add,
		eSign: order.eSign,
		method: order.method,
		autotest: order.autotest,
		createdAt: berlinTime(order.createdAt),
		landingUrl: extra.landingUrl,
		deepLinkUrl: extra.deepLinkUrl,
		statuses: order.statuses.map(({ at, ...entry }) => ({
			...entry,
			time: berlinTime(at),
			meaning: describeCode(entry.kind),
			subMeaning: entry.subKind === undefined ? undefined : subStatusCode(entry.kind, entry.subKind)?.meaning,
			extended: statusCode(entry.kind)?.extended ?? true,
			final: isFinalCode(entry.kind, order.eSign),
		})),
		final: extra.final,
		finalAt: optionalTime(order.finalAt),
		result:
			order.result === null
				? null
				: {
						identifiedAt: berlinTime(order.result.identifiedAt),
						method: order.result.method,
						checked: order.result.checked,
						images: order.result.images.map((image) => image.Filename),
					},
		fraudAttempt: order.fraudAttempt,
		dataDeletedAt: optionalTime(order.dataDeletedAt),
		flowRunning: order.flowRunning,
		video: {
			recorded: extra.videoRecorded,
			requestedAt: optionalTime(order.video.requestedAt),
			readyAt: optionalTime(order.video.readyAt),
			callbacksWaiting: order.video.callbacks.length,
		},
		signing: order.signing === null ? null : { ...order.signing },
		phone: order.phone === null ? null : { ...order.phone },
		signedDataAccepted: order.signedDataAccepted,
		documents: order.documents.map((document) => ({ filename: document.filename, bytes: document.data.length })),
		hashes: order.hashes.map((hash) => ({ ...hash })),
		signedAt: optionalTime(order.signedAt),
		webhookUrls: { ...order.webhookUrls },
		body: structuredClone(order.body),
	};
}
