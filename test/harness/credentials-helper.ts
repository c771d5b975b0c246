/**
 * The `additionalData.credentialsHelper` that n8n-core's request helpers call. It mirrors
 * the CLI's `CredentialsHelper` (packages/cli/src/credentials-helper.ts) for what a
 * community credential can use: generic and function `authenticate`, `preAuthentication`
 * with an expirable property written back to the store, defaults and expressions applied
 * on read. Not modelled: credential overwrites, external secrets, dynamic credentials and
 * domain-restriction fields, which are instance settings rather than credential logic.
 */
import { Credentials, getAdditionalKeys } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsExpressionResolveValues,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeType,
	IRequestOptionsSimplified,
	IWorkflowDataProxyAdditionalKeys,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	ICredentialsHelper,
	NodeHelpers,
	UserError,
	Workflow,
	getCredentialOwnRequestAllowedDomains,
	isExpression,
} from 'n8n-workflow';

import type { CredentialStore } from './credential-store';
import { HarnessNodeTypes } from './node-types';

/** n8n resolves credential expressions outside a run against a workflow holding this node. */
const MOCK_NODE: INode = {
	id: 'mock',
	name: '',
	typeVersion: 1,
	type: 'mock',
	position: [0, 0],
	parameters: {},
};
const MOCK_NODE_TYPES = new HarnessNodeTypes({
	mock: { description: { properties: [] } } as unknown as INodeType,
});

/** The node n8n's "Test credential" runs the test request with (see credential-test.ts). */
export const CREDENTIAL_TEST_NODE_TYPE = 'n8n-nodes-base.noOp';

type RequestOptionsKey = keyof IHttpRequestOptions;

export class HarnessCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly store: CredentialStore) {
		super();
	}

	getParentTypes(typeName: string): string[] {
		if (!this.store.hasType(typeName)) return [];
		const parents = this.store.type(typeName).extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		if (!this.store.hasType(credentialType)) return true;
		const { restrictToSupportedNodes, supportedNodes = [] } = this.store.type(credentialType);
		if (!restrictToSupportedNodes) return true;
		return supportedNodes.some((shortName) => nodeType.endsWith(`.${shortName}`));
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.store.type(typeName);
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (authenticate?.type !== 'generic') return requestOptions as IHttpRequestOptions;
		if (!workflow || !node) {
			throw new Error('Workflow and node are required for declarative credential authentication');
		}

		requestOptions.headers ??= {};
		const target = requestOptions as Record<RequestOptionsKey, Record<string, string> | undefined>;
		for (const [section, entries] of Object.entries(authenticate.properties)) {
			const key = section as RequestOptionsKey;
			target[key] ??= {};
			for (const [name, value] of Object.entries(entries as Record<string, string>)) {
				const resolvedName = this.resolveValue(name, credentials, workflow, node);
				target[key][resolvedName] = this.resolveValue(value, credentials, workflow, node);
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	/**
	 * Fetches a fresh token when the expirable property is empty or the caller saw it expire
	 * (a 401), writes it back to the stored credential so later reads reuse it, and returns it.
	 */
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.store.type(typeName);
		const expirableProperty = credentialType.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirableProperty === undefined) return undefined;
		if (typeof credentialType.preAuthentication !== 'function') return undefined;

		// "Test credential" runs a NoOp node with a `temp` parameter: it always fetches a token.
		const isTestingCredentials =
			node.parameters?.temp === '' && node.type === CREDENTIAL_TEST_NODE_TYPE;
		const tokenMissing = credentials[expirableProperty.name] === '';
		if (!tokenMissing && !credentialsExpired && !isTestingCredentials) return undefined;

		const output = await this.runPreAuthentication(helpers, credentials, typeName);
		if (output?.[expirableProperty.name] === undefined || !node.credentials) return undefined;

		const reference = node.credentials[typeName];
		const merged = this.mergeForStorage(reference, typeName, output, expirableProperty);
		this.store.write(reference, typeName, merged);
		return Object.assign(credentials, output);
	}

	/** Calls the credential's hook with only `helpers.httpRequest`, exactly what n8n gives it. */
	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const { preAuthentication } = this.store.type(typeName);
		if (typeof preAuthentication !== 'function') return undefined;
		this.store.recordPreAuthentication(typeName);
		const output = await preAuthentication.call(
			restrictToCredentialDomains(helpers, credentials),
			credentials,
		);
		return (output as ICredentialDataDecryptedObject) ?? undefined;
	}

	/** A real n8n-core `Credentials` object (encrypted with the instance key) for the stored row. */
	async getCredentials(reference: INodeCredentialsDetails, typeName: string): Promise<Credentials> {
		const credentials = new Credentials(reference, typeName);
		await credentials.setData(this.store.read(reference, typeName));
		return credentials;
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		reference: INodeCredentialsDetails,
		typeName: string,
		mode: WorkflowExecuteMode,
		_executeData?: unknown,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = this.store.read(reference, typeName);
		if (raw === true) return stored;
		return await this.applyDefaultsAndOverwrites(
			additionalData,
			stored,
			typeName,
			mode,
			expressionResolveValues,
		);
	}

	/**
	 * What n8n hands to nodes: the declared properties only, defaults filled in (so an unset
	 * hidden token reads as ''), expressions resolved. Undeclared stored fields are dropped.
	 */
	async applyDefaultsAndOverwrites(
		additionalData: IWorkflowExecuteAdditionalData,
		stored: ICredentialDataDecryptedObject,
		typeName: string,
		mode: WorkflowExecuteMode,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const withDefaults = NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(typeName),
			stored as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });
		if (expressionResolveValues) {
			return resolveInRun(withDefaults, mode, additionalKeys, expressionResolveValues);
		}
		return resolveOutsideRun(withDefaults, mode, additionalKeys);
	}

	getCredentialsProperties(typeName: string): INodeProperties[] {
		const credentialType = this.store.type(typeName);
		if (credentialType.extends === undefined) return credentialType.properties;

		const combined: INodeProperties[] = [];
		for (const parentTypeName of credentialType.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parentTypeName));
		}
		// The properties defined on the credential itself take precedence over its parents'.
		NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
		return combined;
	}

	async updateCredentials(
		reference: INodeCredentialsDetails,
		typeName: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store.write(reference, typeName, data);
	}

	async updateCredentialsOauthTokenData(
		reference: INodeCredentialsDetails,
		typeName: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const stored = this.store.read(reference, typeName);
		this.store.write(reference, typeName, { ...stored, oauthTokenData: data.oauthTokenData });
	}

	/** Keeps a field the user stored as an expression, except the token itself, like n8n does. */
	private mergeForStorage(
		reference: INodeCredentialsDetails,
		typeName: string,
		output: ICredentialDataDecryptedObject,
		expirableProperty: INodeProperties,
	): ICredentialDataDecryptedObject {
		const stored = this.store.read(reference, typeName);
		const merged = { ...stored };
		for (const [key, value] of Object.entries(output)) {
			if (key === expirableProperty.name || !isExpression(stored[key])) merged[key] = value;
		}
		return merged;
	}

	private resolveValue(
		value: string,
		credentials: ICredentialDataDecryptedObject,
		workflow: Workflow,
		node: INode,
	): string {
		if (!isExpression(value)) return value;
		const additionalKeys = { $credentials: credentials } as IWorkflowDataProxyAdditionalKeys;
		const resolved = workflow.expression.getSimpleParameterValue(
			node,
			value,
			'internal',
			additionalKeys,
			undefined,
			'',
		);
		return resolved ? resolved.toString() : '';
	}
}

function restrictToCredentialDomains(
	helpers: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): IHttpRequestHelper {
	return {
		helpers: {
			httpRequest: async (requestOptions: IHttpRequestOptions) => {
				const allowedDomains = getCredentialOwnRequestAllowedDomains(credentials);
				if (allowedDomains === undefined) return await helpers.helpers.httpRequest(requestOptions);
				if (requestOptions.allowedDomains !== undefined) {
					throw new UserError(
						'This credential restricts requests to specific domains, which cannot be combined ' +
							'with the domains its authentication step asks for.',
					);
				}
				return await helpers.helpers.httpRequest({ ...requestOptions, allowedDomains });
			},
		},
	};
}

/** Inside a run, credential expressions can read the item being processed (`$json`). */
function resolveInRun(
	data: ICredentialDataDecryptedObject,
	mode: WorkflowExecuteMode,
	additionalKeys: IWorkflowDataProxyAdditionalKeys,
	values: ICredentialsExpressionResolveValues,
): ICredentialDataDecryptedObject {
	try {
		return values.workflow.expression.getParameterValue(
			data as INodeParameters,
			values.runExecutionData,
			values.runIndex,
			values.itemIndex,
			values.node.name,
			values.connectionInputData,
			mode,
			additionalKeys,
			undefined,
			false,
			data,
		) as ICredentialDataDecryptedObject;
	} catch (error) {
		(error as Error).message += ' [Error resolving credentials]';
		throw error;
	}
}

function resolveOutsideRun(
	data: ICredentialDataDecryptedObject,
	mode: WorkflowExecuteMode,
	additionalKeys: IWorkflowDataProxyAdditionalKeys,
): ICredentialDataDecryptedObject {
	const workflow = new Workflow({
		nodes: [MOCK_NODE],
		connections: {},
		active: false,
		nodeTypes: MOCK_NODE_TYPES,
	});
	return workflow.expression.getComplexParameterValue(
		MOCK_NODE,
		data as INodeParameters,
		mode,
		additionalKeys,
		undefined,
		undefined,
		data,
	) as ICredentialDataDecryptedObject;
}
