/**
 * Refusing a delivery after it was read, e.g. because the provider's own API does not confirm what it claims.
 * The webhook pipeline answers only its own refusals (403, 401, 400); a trigger whose `buildItems` finds a reason to
 * refuse throws refuseDelivery(…) and runs the pipeline through runRefusableWebhookPipeline, which answers with the
 * refusal's status. Nothing runs, and the delivery is not remembered as seen, so a provider's retry is judged afresh.
 */
import {
	NodeApiError,
	NodeOperationError,
	type INode,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { redactSecrets } from './redact';
import { answer, runWebhookPipeline, type WebhookPipeline } from './webhookTrigger';

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

export async function runRefusableWebhookPipeline<E>(
	ctx: IWebhookFunctions,
	pipeline: WebhookPipeline<E>,
): Promise<IWebhookResponseData> {
	try {
		return await runWebhookPipeline(ctx, pipeline);
	} catch (error) {
		if (error instanceof WebhookRefusal) return answer(ctx, error.answerStatus, error.message);
		throw asNodeError(ctx.getNode(), error);
	}
}

/** n8n's own errors pass unchanged; anything else is reduced to its message, without any secret in it. */
function asNodeError(node: INode, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, redactSecrets(error instanceof Error ? error.message : String(error)));
}
