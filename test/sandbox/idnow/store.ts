/**
 * Orders and everything that happens to them: creation from a checked putOrder body, lookups (per account, by
 * Ref), and `applyStatus`, the one place a status is set, which also produces the identification result, flags,
 * signatures and says which webhooks the status triggers.
 */
import { HttpError } from '../framework';
import type { StatusStep } from './flows';
import { newLinkToken, newOrderId } from './format';
import { agentIdFor, checkedData, identifyMethodOf, recordedImages } from './identData';
import { isFinalCode } from './statusCodes';
import { DAY_MS, PRODUCT, type StatusEntry, type StoredOrder, type WebhookKind } from './types';
import type { OrderInput } from './validation';

/** getOrdersByRef looks back this far. */
const ORDERS_BY_REF_WINDOW_MS = 90 * DAY_MS;
export const NOT_FOUND = 'Order not found';
export const NOT_FOUND_OR_DELETED = 'Order not found or already deleted';

/** One-shot webhooks and the codes that trigger them (README, "Webhooks"). */
const AFTER_VIDEO_CODES = new Set([79, 75]);
const AFTER_IDENT_CODES = new Set([75, 51, 104, 6, 17, 89]);
const ON_ERROR_CODES = new Set([29, 139]);
const ON_VIDEO_ERROR_CODES = new Set([21]);

export interface SignedDataCheck {
	accepted: boolean;
	checked: Record<string, unknown> | null;
}

export class OrderStore {
	private orders = new Map<string, StoredOrder>();

	clear(): void {
		this.orders = new Map();
	}

	all(): StoredOrder[] {
		return [...this.orders.values()];
	}

	create(
		account: string,
		input: OrderInput,
		body: Record<string, unknown>,
		now: number,
		signed: SignedDataCheck | null,
	): StoredOrder {
		const eSign = input.product === PRODUCT.eSign;
		const order: StoredOrder = {
			id: this.unusedId(),
			account,
			token: newLinkToken(),
			createdAt: now,
			ref: input.ref,
			product: input.product,
			add: input.add,
			eSign,
			method: identifyMethodOf(input.product),
			body: structuredClone(body),
			autotest: input.autotest,
			webhookUrls: input.webhookUrls,
			redirect: input.redirect,
			mobile: input.mobile ?? identDataField(body, 'Mobile'),
			email: input.email ?? identDataField(body, 'Email'),
			statuses: [],
			finalAt: null,
			fired: new Set(),
			result: null,
			fraudAttempt: false,
			dataDeletedAt: null,
			flow: 0,
			flowRunning: false,
			video: { requestedAt: null, readyAt: null, callbacks: [] },
			signing: null,
			phone: null,
			signedDataAccepted: signed?.accepted ?? null,
			signedChecked: signed?.checked ?? null,
			documents: input.documents,
			hashes: input.hashes,
			signedAt: null,
			firstOrderId: input.firstOrderId,
		};
		this.orders.set(order.id, order);
		return order;
	}

	/** For controls: any account's order. */
	existing(id: string): StoredOrder {
		const order = this.orders.get(id);
		if (order === undefined) throw new HttpError(404, `no IDnow order ${id}`);
		return order;
	}

	/** An order as its account sees it; another account's order is as unknown as a missing one. */
	owned(account: string, id: string): StoredOrder {
		const order = this.orders.get(id);
		if (order === undefined || order.account !== account) throw new HttpError(404, NOT_FOUND);
		return order;
	}

	/** Like `owned`, for calls that read or change result data: deleted data is "not found or already deleted". */
	withData(account: string, id: string): StoredOrder {
		const order = this.owned(account, id);
		if (order.dataDeletedAt !== null) throw new HttpError(404, NOT_FOUND_OR_DELETED);
		return order;
	}

	byToken(token: string): StoredOrder | undefined {
		return this.all().find((order) => order.token === token);
	}

	/** The account's orders with exactly this Ref, created within the last 90 days, newest first. */
	byRef(account: string, ref: string, now: number): StoredOrder[] {
		return this.all()
			.filter(
				(order) => order.account === account && order.ref === ref && order.createdAt > now - ORDERS_BY_REF_WINDOW_MS,
			)
			.sort((a, b) => b.createdAt - a.createdAt);
	}

	/** Sets a status with its effects; answers the webhook kinds it triggers (OnStatusChange always). */
	applyStatus(order: StoredOrder, step: StatusStep, at: number): WebhookKind[] {
		const entry: StatusEntry = { kind: step.kind, at };
		if (step.subKind !== undefined) entry.subKind = step.subKind;
		if (step.text !== undefined) entry.text = step.text;
		order.statuses.push(entry);
		if (step.verifyPhone) order.phone = { ...(order.phone ?? { tan: '', wrongTries: 0 }), verified: true };
		if (step.identify && order.result === null) this.identify(order, at);
		if (step.fraud) order.fraudAttempt = true;
		if (step.sign) order.signedAt = at;
		return this.triggers(order, step.kind, at);
	}

	deleteData(order: StoredOrder, at: number): void {
		order.dataDeletedAt = at;
		order.result = null;
		order.documents = [];
		order.hashes = [];
	}

	isFinal(order: StoredOrder): boolean {
		return order.finalAt !== null;
	}

	private identify(order: StoredOrder, at: number): void {
		const capturesImages = order.method !== 'eID' || eidCapturesImages(order.body);
		order.result = {
			identifiedAt: at,
			method: order.method,
			checked: order.signedChecked ?? checkedData(order, order.method),
			images: capturesImages ? recordedImages(at) : [],
			identifier: agentIdFor(order.method),
		};
	}

	private triggers(order: StoredOrder, code: number, at: number): WebhookKind[] {
		const kinds: WebhookKind[] = [];
		const once = (kind: WebhookKind, applies: boolean) => {
			if (!applies || order.fired.has(kind)) return;
			order.fired.add(kind);
			kinds.push(kind);
		};
		once('AfterVideo', AFTER_VIDEO_CODES.has(code));
		once('AfterIdent', AFTER_IDENT_CODES.has(code));
		const becomesFinal = order.finalAt === null && isFinalCode(code, order.eSign);
		if (becomesFinal) order.finalAt = at;
		once('OnFinal', becomesFinal);
		if (ON_ERROR_CODES.has(code)) kinds.push('OnError');
		if (ON_VIDEO_ERROR_CODES.has(code)) kinds.push('OnVideoError');
		kinds.push('OnStatusChange');
		return kinds;
	}

	private unusedId(): string {
		for (;;) {
			const id = newOrderId();
			if (!this.orders.has(id)) return id;
		}
	}
}

function identDataField(body: Record<string, unknown>, field: string): string | null {
	const data = body.IdentData as Record<string, unknown> | undefined;
	const value = data?.[field];
	return typeof value === 'string' ? value : null;
}

/** eID orders only take pictures when asked to (eIDSettings.CaptureImages, or EnableOCR which implies it). */
function eidCapturesImages(body: Record<string, unknown>): boolean {
	const settings = body.eIDSettings as Record<string, unknown> | undefined;
	return settings?.CaptureImages === true || settings?.EnableOCR === true;
}
