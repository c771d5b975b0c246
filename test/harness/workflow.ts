/**
 * Builds what n8n builds before it runs a node: a one-node `Workflow` whose node references
 * the stored credentials, and the `additionalData` that carries the credentials helper.
 */
import { ExternalSecretsProxy } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeParameters,
	INodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import type { CredentialStore, HarnessCredential } from './credential-store';
import { toCredentialStore } from './credential-store';
import { HarnessCredentialsHelper } from './credentials-helper';
import type { AnyNodeType } from './node-types';
import { HarnessNodeTypes, defaultTypeVersion, installedTypeName } from './node-types';

/** What every `run*` function accepts to place the node under test in a workflow. */
export interface NodeRunOptions {
	parameters: INodeParameters;
	credentials: CredentialStore | HarnessCredential[];
	nodeName?: string;
	typeVersion?: number;
	/** The node's "On Error: Continue" setting (`onError: 'continueRegularOutput'`). */
	continueOnFail?: boolean;
	/**
	 * The node's static data (`getWorkflowStaticData('node')`) as n8n stores it. Pass the same
	 * object to successive runs to carry state; it is updated only when n8n would save it.
	 */
	staticData?: IDataObject;
}

export interface HarnessWorkflow {
	workflow: Workflow;
	workflowData: IWorkflowBase;
	node: INode;
	/** The node type resolved for the node's version, as the execution engine sees it. */
	nodeType: INodeType;
	store: CredentialStore;
	staticData: StaticDataStage;
}

export const WORKFLOW_ID = '1';
const INSTANCE_URL = 'http://localhost:5678';
/** n8n gives every webhook node a webhookId; production URLs are `/webhook/<webhookId>/<path>`. */
const WEBHOOK_ID = '00000000-0000-4000-8000-000000000001';

let lastExecutionId = 0;

/**
 * n8n saves a workflow's static data only after some runs (a trigger that emitted, a
 * production webhook that answered) and never for manual runs. The node works on a copy;
 * `commit` copies it into the caller's object when n8n would have saved it. Values pass
 * through JSON, as they do on their way into the database.
 */
export class StaticDataStage {
	readonly staged: IDataObject;

	constructor(private readonly persistent: IDataObject | undefined) {
		this.staged = copyAsJson(persistent ?? {});
	}

	commit(): void {
		if (!this.persistent) return;
		for (const key of Object.keys(this.persistent)) delete this.persistent[key];
		Object.assign(this.persistent, copyAsJson(this.staged));
	}
}

export function createWorkflow(
	nodeTypeUnderTest: AnyNodeType,
	options: NodeRunOptions,
	mode: WorkflowExecuteMode,
): HarnessWorkflow {
	const store = toCredentialStore(options.credentials);
	const typeVersion = options.typeVersion ?? defaultTypeVersion(nodeTypeUnderTest);
	const nodeType = NodeHelpers.getVersionedNodeType(nodeTypeUnderTest, typeVersion);
	const node = createNode(nodeTypeUnderTest, nodeType, typeVersion, options, store);
	const staticData = new StaticDataStage(options.staticData);
	const workflowData: IWorkflowBase = {
		id: WORKFLOW_ID,
		name: 'Harness workflow',
		active: mode !== 'manual',
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: [node],
		connections: {},
		settings: { executionOrder: 'v1' },
		staticData: { [`node:${node.name}`]: staticData.staged },
	};
	// The Workflow constructor fills in parameter defaults on `node`, as n8n does on load.
	const workflow = new Workflow({
		...workflowData,
		nodeTypes: new HarnessNodeTypes({ [node.type]: nodeTypeUnderTest }),
	});
	return { workflow, workflowData, node, nodeType, store, staticData };
}

/** The node as the editor would save it, referencing every stored credential. */
function createNode(
	nodeTypeUnderTest: AnyNodeType,
	nodeType: INodeType,
	typeVersion: number,
	options: NodeRunOptions,
	store: CredentialStore,
): INode {
	const { defaults, displayName } = nodeType.description;
	return {
		id: '00000000-0000-4000-8000-000000000002',
		name: options.nodeName ?? defaults.name ?? displayName,
		type: installedTypeName(nodeTypeUnderTest),
		typeVersion,
		position: [0, 0],
		parameters: options.parameters,
		credentials: store.nodeCredentials(),
		webhookId: WEBHOOK_ID,
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
}

export function createAdditionalData(
	store: CredentialStore,
	extras: Partial<IWorkflowExecuteAdditionalData> = {},
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: new HarnessCredentialsHelper(store),
		executionId: String(++lastExecutionId),
		currentNodeExecutionIndex: 0,
		restApiUrl: `${INSTANCE_URL}/rest`,
		instanceBaseUrl: INSTANCE_URL,
		formBaseUrl: `${INSTANCE_URL}/form`,
		formTestBaseUrl: `${INSTANCE_URL}/form-test`,
		formWaitingBaseUrl: `${INSTANCE_URL}/form-waiting`,
		webhookBaseUrl: `${INSTANCE_URL}/webhook`,
		webhookTestBaseUrl: `${INSTANCE_URL}/webhook-test`,
		webhookWaitingBaseUrl: `${INSTANCE_URL}/webhook-waiting`,
		mcpBaseUrl: `${INSTANCE_URL}/mcp`,
		mcpTestBaseUrl: `${INSTANCE_URL}/mcp-test`,
		variables: {},
		externalSecretsProxy: new ExternalSecretsProxy(),
		executeWorkflow: unavailable('executeWorkflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: unavailable('getRuntimeCredential'),
		logAiEvent: () => undefined,
		startRunnerTask: unavailable('startRunnerTask'),
		...extras,
	};
}

function unavailable(feature: string) {
	return async (): Promise<never> => {
		throw new Error(`${feature} is not available in the node test harness`);
	};
}

function copyAsJson(data: IDataObject): IDataObject {
	return JSON.parse(JSON.stringify(data)) as IDataObject;
}
