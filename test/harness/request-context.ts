/**
 * A node context for calling request code directly (a provider client, a download into binary data) without
 * writing a node around it: n8n-core's real ExecuteContext for a one-node workflow whose node uses the stored
 * credentials. Its `helpers.httpRequestWithAuthentication` is n8n's own (preAuthentication, authenticate, the
 * 401 refresh-and-retry-once, NodeApiError wrapping, SSRF checks), so every request really goes out over HTTP.
 */
import { ExecuteContext } from 'n8n-core';
import type { IExecuteFunctions, INode, INodeParameters, INodeProperties, INodeType } from 'n8n-workflow';
import { NodeConnectionTypes, createRunExecutionData } from 'n8n-workflow';

import type { CredentialStore, HarnessCredential } from './credential-store';
import { toCredentialStore } from './credential-store';
import { ensureRuntime } from './runtime';
import { createAdditionalData, createWorkflow } from './workflow';

export interface RequestContextOptions {
	/** The credentials the context may use; its node declares every one of their types. */
	credentials: CredentialStore | HarnessCredential[];
	/** The node's parameters, for operation code that reads them, and the node properties that declare them. */
	parameters?: INodeParameters;
	properties?: INodeProperties[];
	/** The execution's cancel signal (`getExecutionCancelSignal()`); abort it to stop the "execution". */
	abortSignal?: AbortSignal;
}

export interface HarnessRequestContext {
	/** Pass this where shared code expects a RequestContext, ClientContext or BinaryContext. */
	ctx: IExecuteFunctions;
	node: INode;
	/** What n8n would have saved (e.g. a token preAuthentication fetched) and how often it fetched one. */
	store: CredentialStore;
}

export async function createRequestContext(options: RequestContextOptions): Promise<HarnessRequestContext> {
	await ensureRuntime();
	const store = toCredentialStore(options.credentials);
	const { workflow, node } = createWorkflow(requestNodeType(store, options.properties ?? []), { parameters: options.parameters ?? {}, credentials: store }, 'trigger');
	const additionalData = createAdditionalData(store);
	const ctx = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'trigger',
		createRunExecutionData(),
		0,
		[{ json: {} }],
		{ main: [[{ json: {} }]] },
		{ node, data: { main: [[{ json: {} }]] }, source: null },
		[],
		options.abortSignal,
	);
	return { ctx, node, store };
}

/** n8n only hands a node the credential types its description declares. */
function requestNodeType(store: CredentialStore, properties: INodeProperties[]): INodeType {
	return {
		description: {
			displayName: 'Request Context',
			name: 'requestContext',
			group: ['transform'],
			version: 1,
			description: 'Harness node for calling request code directly',
			defaults: { name: 'Request Context' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: Object.keys(store.nodeCredentials()).map((name) => ({ name, required: true })),
			properties,
		},
	};
}
