/**
 * "Test credential" as n8n's CredentialsTester runs a credential's `test` request
 * (packages/cli/src/services/credentials-tester.service.ts): the credential's defaults are
 * applied, then n8n-core's RoutingNode sends the request from a temporary NoOp node through
 * `httpRequestWithAuthentication`, so `preAuthentication` and `authenticate` run for real.
 */
import { ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	ICredentialsDecrypted,
	IDataObject,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { NodeConnectionTypes, Workflow, createRunExecutionData } from 'n8n-workflow';

import { CredentialStore } from './credential-store';
import type { HarnessCredentialsHelper } from './credentials-helper';
import { CREDENTIAL_TEST_NODE_TYPE } from './credentials-helper';
import { HarnessNodeTypes } from './node-types';
import { ensureRuntime } from './runtime';
import { createAdditionalData } from './workflow';

interface TestRequestError {
	message: string;
	cause?: { code?: string; response?: { status: number; statusText?: string } };
}

export async function testCredential(
	type: ICredentialType,
	data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	await ensureRuntime();
	if (!type.test) return { status: 'Error', message: 'No testing function found for this credential.' };

	const store = new CredentialStore([{ type, data }]);
	const additionalData = createAdditionalData(store);
	let credentials: ICredentialsDecrypted;
	try {
		credentials = await decryptedForTest(type, store, additionalData);
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}

	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await testRequestRunner(type, type.test, credentials, additionalData).runNode();
	} catch (error) {
		return failedTestResult(error as TestRequestError, type.test);
	}
	return successfulTestResult(response, type.test);
}

async function decryptedForTest(
	type: ICredentialType,
	store: CredentialStore,
	additionalData: IWorkflowExecuteAdditionalData,
): Promise<ICredentialsDecrypted> {
	const { id, name } = store.nodeCredentials()[type.name];
	const helper = additionalData.credentialsHelper as HarnessCredentialsHelper;
	const stored = store.data(type.name);
	const data = await helper.applyDefaultsAndOverwrites(additionalData, stored, type.name, 'internal');
	return { id: id ?? '', name, type: type.name, data };
}

/** A NoOp node whose only parameter routes the credential's test request. */
function testRequestRunner(
	type: ICredentialType,
	test: ICredentialTestRequest,
	credentials: ICredentialsDecrypted,
	additionalData: IWorkflowExecuteAdditionalData,
): RoutingNode {
	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: CREDENTIAL_TEST_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		credentials: { [type.name]: { id: credentials.id, name: credentials.name } },
	};
	const nodeType: INodeType = {
		description: {
			displayName: 'No Operation, do nothing',
			name: CREDENTIAL_TEST_NODE_TYPE,
			group: ['organization'],
			version: 1,
			description: 'No Operation',
			defaults: { name: 'No Operation, do nothing' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: type.name, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: test.request },
					default: '',
				},
			],
		},
	};
	// The Workflow constructor sets the default `temp: ''`, which marks this as a credential test.
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new HarnessNodeTypes({ [CREDENTIAL_TEST_NODE_TYPE]: nodeType }),
	});
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	return new RoutingNode(context, nodeType, credentials);
}

/** Any non-2xx answer fails the test; a matching `responseCode` rule supplies the message. */
function failedTestResult(
	error: TestRequestError,
	test: ICredentialTestRequest,
): INodeCredentialTestResult {
	const response = error.cause?.response;
	if (response) {
		for (const rule of test.rules ?? []) {
			if (rule.type === 'responseCode' && rule.properties.value === response.status) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
		if (response.status < 199 || response.status > 299) {
			return {
				status: 'Error',
				message: response.statusText || `Received HTTP status code: ${response.status}`,
			};
		}
	} else if (error.cause?.code) {
		return { status: 'Error', message: error.cause.code };
	}
	return { status: 'Error', message: error.message };
}

/** A `responseSuccessBody` rule turns a 2xx answer with a given body value into a failure. */
function successfulTestResult(
	response: INodeExecutionData[][] | null | undefined,
	test: ICredentialTestRequest,
): INodeCredentialTestResult {
	const body = response?.[0]?.[0]?.json ?? {};
	for (const rule of test.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		if (valueAt(body, rule.properties.key) === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

function valueAt(object: IDataObject, path: string): unknown {
	return path
		.split('.')
		.reduce<unknown>((value, key) => (value as IDataObject | undefined)?.[key], object);
}
