/**
 * Runs a node's `webhook` the way n8n's webhook handler does (packages/cli/src/webhooks/
 * webhook-helpers.ts `executeWebhook` and webhook.service.ts `runWebhook`): the body is
 * parsed first, the node gets n8n-core's real WebhookContext, and the HTTP answer is what
 * the node wrote itself (`noWebhookResponse`) or what n8n answers for it.
 *
 * The workflow the node would start is not run: `workflowData` is returned for assertions.
 * For that reason only the `onReceived` response mode can be answered here.
 */
import { WebhookContext } from 'n8n-core';
import type {
	INodeExecutionData,
	IWebhookData,
	IWebhookDescription,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import type { AnyNodeType } from './node-types';
import { ensureRuntime } from './runtime';
import type { WebhookRequest, WebhookRequestInput } from './webhook-request';
import { BodyParseError, createWebhookRequest, parseRequestBody } from './webhook-request';
import type { HarnessResponse } from './webhook-response';
import { RecordedResponse } from './webhook-response';
import type { HarnessWorkflow, NodeRunOptions } from './workflow';
import { WORKFLOW_ID, createAdditionalData, createWorkflow } from './workflow';

export interface WebhookOptions extends NodeRunOptions {
	request: WebhookRequestInput;
	/** The webhook description to call, `default` unless given. */
	webhookName?: string;
	/** `trigger` (default): an active workflow's production URL; `manual`: the editor's test URL. */
	mode?: 'trigger' | 'manual';
}

export interface WebhookResult {
	response: HarnessResponse;
	workflowData?: INodeExecutionData[][];
	noWebhookResponse: boolean;
	/** Whether n8n would start the workflow (the node returned `workflowData`). */
	ran: boolean;
}

/** The webhook as n8n registers it, with its response options evaluated before the node runs. */
interface RegisteredWebhook {
	description: IWebhookDescription;
	method: string;
	path: string;
	url: string;
	responseMode: unknown;
	responseCode: number;
	responseData: unknown;
}

export async function runWebhook(
	nodeType: AnyNodeType,
	options: WebhookOptions,
): Promise<WebhookResult> {
	await ensureRuntime();
	// Production webhooks execute in n8n's `webhook` mode, test webhooks in `manual` mode.
	const mode: WorkflowExecuteMode = options.mode === 'manual' ? 'manual' : 'webhook';
	const harness = createWorkflow(nodeType, options, mode);
	const additionalData = createAdditionalData(harness.store);
	const webhook = registeredWebhook(harness, additionalData, options.webhookName ?? 'default', mode);

	const req = createWebhookRequest(options.request, {
		method: webhook.method,
		path: new URL(webhook.url).pathname,
	});
	assertRegisteredMethod(req, webhook);
	try {
		await parseRequestBody(req, harness.node.typeVersion);
	} catch (error) {
		if (error instanceof BodyParseError) return unprocessableBody(error);
		throw error;
	}

	const res = new RecordedResponse();
	additionalData.httpRequest = req as unknown as IWorkflowExecuteAdditionalData['httpRequest'];
	additionalData.httpResponse = res as unknown as IWorkflowExecuteAdditionalData['httpResponse'];
	// A throwing node makes n8n answer 500 "Workflow Webhook Error"; the test sees the cause.
	const result = await callWebhook(harness, additionalData, webhook, mode);
	// Live webhooks save static data once the node has answered; test webhooks never do.
	if (mode !== 'manual') harness.staticData.commit();

	return {
		response: answer(result, res, webhook),
		workflowData: result.workflowData,
		noWebhookResponse: result.noWebhookResponse === true,
		ran: result.workflowData !== undefined,
	};
}

/** What n8n's WebhookService.runWebhook does: the node's `webhook` on a real WebhookContext. */
async function callWebhook(
	{ workflow, node, nodeType }: HarnessWorkflow,
	additionalData: IWorkflowExecuteAdditionalData,
	webhook: RegisteredWebhook,
	mode: WorkflowExecuteMode,
): Promise<IWebhookResponseData> {
	const webhookData: IWebhookData = {
		httpMethod: webhook.method as IWebhookData['httpMethod'],
		node: node.name,
		path: webhook.path,
		webhookDescription: webhook.description,
		workflowId: WORKFLOW_ID,
		workflowExecuteAdditionalData: additionalData,
		webhookId: node.webhookId,
		isTest: mode === 'manual',
	};
	const context = new WebhookContext(workflow, node, additionalData, mode, webhookData, [], null);
	return (await nodeType.webhook!.call(context)) as IWebhookResponseData;
}

function registeredWebhook(
	{ workflow, node, nodeType }: HarnessWorkflow,
	additionalData: IWorkflowExecuteAdditionalData,
	name: string,
	mode: WorkflowExecuteMode,
): RegisteredWebhook {
	const description = nodeType.description.webhooks?.find((webhook) => webhook.name === name);
	if (!description) throw new Error(`Node "${node.name}" has no webhook named "${name}"`);

	const evaluate = (value: unknown, fallback?: string | number | boolean) =>
		workflow.expression.getSimpleParameterValue(node, value as string, mode, {}, undefined, fallback);
	const path = String(evaluate(description.path)).replace(/^\/|\/$/g, '');
	const baseUrl = mode === 'manual' ? additionalData.webhookTestBaseUrl : additionalData.webhookBaseUrl;
	const isFullPath = evaluate(description.isFullPath, false) as boolean;
	return {
		description,
		method: String(evaluate(description.httpMethod, 'GET')),
		path,
		url: NodeHelpers.getNodeWebhookUrl(baseUrl, WORKFLOW_ID, node, path, isFullPath),
		responseMode: evaluate(description.responseMode, 'onReceived'),
		responseCode: Number(evaluate(description.responseCode, 200)),
		responseData: evaluate(description.responseData),
	};
}

/** n8n only routes a request to the node for a method it registered; anything else is a test mistake. */
function assertRegisteredMethod(req: WebhookRequest, webhook: RegisteredWebhook): void {
	const methods = webhook.method.split(',').map((method) => method.trim().toUpperCase());
	if (!methods.includes(req.method ?? '')) {
		throw new Error(`The webhook is registered for ${webhook.method}, the request uses ${req.method}`);
	}
}

/** The node's own answer, else what n8n answers for it (`handleImmediateWebhookResponse`). */
function answer(
	result: IWebhookResponseData,
	res: RecordedResponse,
	webhook: RegisteredWebhook,
): HarnessResponse {
	if (result.noWebhookResponse === true) return res.recorded();
	const status = webhook.responseCode;
	if (result.workflowData === undefined) {
		// Only `undefined` selects the default: a node may answer with `null` on purpose.
		const body =
			result.webhookResponse === undefined ? { message: 'Webhook call received' } : result.webhookResponse;
		return { status, body, headers: {} };
	}
	if (webhook.responseMode !== 'onReceived') {
		throw new Error(
			`Response mode "${String(webhook.responseMode)}" depends on the rest of the workflow; ` +
				'the harness answers "onReceived" only',
		);
	}
	return { status, body: onReceivedBody(webhook.responseData, result), headers: {} };
}

/** n8n's `extractWebhookOnReceivedResponse`. */
function onReceivedBody(responseData: unknown, result: IWebhookResponseData): unknown {
	if (responseData === 'noData') return undefined;
	if (responseData) return responseData;
	if (result.webhookResponse !== undefined) return result.webhookResponse;
	return { message: 'Workflow was started' };
}

/** n8n's answer to a body its parser rejects (an UnprocessableRequestError); the node never runs. */
function unprocessableBody(error: BodyParseError): WebhookResult {
	return {
		response: {
			status: 422,
			body: { code: 422, message: 'Failed to parse request body', hint: error.message },
			headers: {},
		},
		noWebhookResponse: false,
		ran: false,
	};
}
