/**
 * The one path every provider webhook takes: read the raw body → check the caller's address → check authenticity
 * (the provider's function) → parse → drop unwanted events → drop duplicates, before any provider call → build
 * the items within the provider's acknowledgement budget → remember the delivery → answer.
 *
 * A repeat that arrives while the first delivery is still being handled in this process (the provider gave up
 * waiting and sent it again) is answered 409 with Retry-After: not acknowledged, so the provider sends it once more
 * later, when the first is either remembered (then: a duplicate) or failed (then: handled afresh).
 *
 * `buildItems` may still refuse a delivery it has read (say, the provider's API does not confirm what it claims):
 * it throws `refuseDelivery(…)`, the caller gets that status, nothing runs, and the delivery is not remembered, so a
 * retry is judged afresh.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IHookFunctions,
	type INode,
	type INodeExecutionData,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { hasSeen, remember } from './dedupe';
import { redactSecrets } from './redact';
import type { CallSettings } from './requestOptions';
import { messageOf } from './util';
import { isCallerAllowed, type CallerIpSettings } from './webhookOptions';

/** Time left before the provider must have its answer; calls made before the answer never outlast it. */
export interface AckBudget {
	remainingMs(): number;
	/** Settings for a provider call made before the answer: no retry, and a timeout that ends with the budget. */
	call(): CallSettings;
}

export interface DeliveryContext {
	/** Stable across the provider's retries of the same event; emitted so downstream nodes can de-duplicate too. */
	deliveryId: string;
	budget: AckBudget;
}

export type ParsedDelivery<E> = { event: E } | { problem: string };

export interface WebhookPipeline<E> {
	/** How long the provider waits for an answer (eeID and IDnow: 10 s); stay well inside it. */
	ackBudgetMs: number;
	/** Whether the delivery comes from the provider (signature, shared secret, URL token…). */
	isAuthentic(ctx: IWebhookFunctions, rawBody: Buffer): Promise<boolean> | boolean;
	parse(ctx: IWebhookFunctions, rawBody: Buffer): Promise<ParsedDelivery<E>> | ParsedDelivery<E>;
	/** The same event delivered twice must give the same id. */
	deliveryId(event: E): string;
	/** False acknowledges the event without starting the workflow (event filters). Default: every event. */
	isWanted?(ctx: IWebhookFunctions, event: E): boolean;
	buildItems(ctx: IWebhookFunctions, event: E, delivery: DeliveryContext): Promise<INodeExecutionData[]>;
}

/** For webhooks the user registers by hand in the provider's portal (or support sets up): nothing to do here. */
export const manuallyRegisteredWebhooks = {
	default: {
		async checkExists(): Promise<boolean> {
			return true;
		},
		async create(): Promise<boolean> {
			return true;
		},
		async delete(): Promise<boolean> {
			return true;
		},
	},
};

/**
 * The same, with a check when the workflow is activated (and when the editor listens for a test event): nothing can
 * be looked up at the provider, but the trigger can refuse to start when it could not tell the provider's calls
 * from anyone else's. `check` throws what to fix; it returns true.
 */
export function manuallyRegisteredWebhooksCheckedBy(check: (this: IHookFunctions) => Promise<boolean>) {
	return { default: { ...manuallyRegisteredWebhooks.default, checkExists: check } };
}

export class WebhookRefusal extends NodeOperationError {
	constructor(
		node: INode,
		/** The HTTP status the caller is answered with. */
		readonly answerStatus: number,
		message: string,
	) {
		super(node, message);
	}
}

/** Thrown as `throw refuseDelivery(…)`: n8n's lint accepts only its own error classes after `throw new` in nodes. */
export function refuseDelivery(node: INode, answerStatus: number, message: string): WebhookRefusal {
	return new WebhookRefusal(node, answerStatus, message);
}

/** n8n's own errors pass unchanged; anything else is reduced to its message, without any secret in it. */
function asNodeError(node: INode, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, redactSecrets(messageOf(error)));
}

export function answer(ctx: IWebhookFunctions, status: number, body: string | IDataObject): IWebhookResponseData {
	const response = ctx.getResponseObject().status(status);
	if (typeof body === 'string') response.send(body).end();
	else response.json(body);
	return { noWebhookResponse: true };
}

export async function readRawBody(ctx: IWebhookFunctions): Promise<Buffer> {
	const req = ctx.getRequestObject();
	if (!req.rawBody) await req.readRawBody();
	return req.rawBody ?? Buffer.alloc(0);
}

/** Deliveries being handled right now in this process, by `<scope>\n<deliveryId>`. */
const inProgress = new Set<string>();
/** Seconds a provider is asked to wait before sending a repeat that met its first delivery still in progress. */
const IN_PROGRESS_RETRY_AFTER_SECONDS = 10;

function answerInProgress(ctx: IWebhookFunctions): IWebhookResponseData {
	ctx.getResponseObject().setHeader('Retry-After', String(IN_PROGRESS_RETRY_AFTER_SECONDS));
	return answer(ctx, 409, 'This delivery is still being handled; send it again later.');
}

export function startBudget(ackBudgetMs: number, now: () => number = Date.now): AckBudget {
	const deadline = now() + ackBudgetMs;
	const remainingMs = () => Math.max(0, deadline - now());
	return {
		remainingMs,
		call: () => ({ retry: { maxAttempts: 1 }, timeoutMs: Math.max(1, remainingMs()) }),
	};
}

export async function runWebhookPipeline<E>(
	ctx: IWebhookFunctions,
	pipeline: WebhookPipeline<E>,
): Promise<IWebhookResponseData> {
	const budget = startBudget(pipeline.ackBudgetMs);
	const options = ctx.getNodeParameter('options', {}) as CallerIpSettings;
	if (!isCallerAllowed(ctx, options)) return answer(ctx, 403, 'Forbidden');
	const rawBody = await readRawBody(ctx);
	if (!(await pipeline.isAuthentic(ctx, rawBody))) return answer(ctx, 401, 'Unauthorized');
	const parsed = await pipeline.parse(ctx, rawBody);
	if ('problem' in parsed) return answer(ctx, 400, parsed.problem);
	const { event } = parsed;
	if (pipeline.isWanted && !pipeline.isWanted(ctx, event)) return answer(ctx, 200, { received: true, ignored: true });

	const deliveryId = pipeline.deliveryId(event);
	const staticData = ctx.getWorkflowStaticData('node');
	const memory = { scope: `${ctx.getWorkflow().id}:${ctx.getNode().id}` };
	if (hasSeen(staticData, deliveryId, memory)) return answer(ctx, 200, { received: true, duplicate: true });
	const key = `${memory.scope}\n${deliveryId}`;
	if (inProgress.has(key)) return answerInProgress(ctx);

	inProgress.add(key);
	try {
		const items = await pipeline.buildItems(ctx, event, { deliveryId, budget });
		remember(staticData, [deliveryId], memory);
		return { workflowData: [items] };
	} catch (error) {
		if (error instanceof WebhookRefusal) return answer(ctx, error.answerStatus, error.message);
		throw asNodeError(ctx.getNode(), error);
	} finally {
		inProgress.delete(key);
	}
}
