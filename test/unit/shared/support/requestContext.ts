/**
 * A node context whose httpRequestWithAuthentication is n8n-core's real one (preAuthentication, authenticate,
 * the 401 refresh-and-retry-once, NodeApiError wrapping, axios through OutboundHttp), with a small fake
 * credentials helper standing in for the credential type.
 */
import './n8nRuntime';

import { httpRequestWithAuthentication } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helpers/authentication';
import type {
	IAllExecuteFunctions,
	ICredentialDataDecryptedObject,
	IHttpRequestOptions,
	INode,
	IWorkflowExecuteAdditionalData,
	Workflow,
} from 'n8n-workflow';

import type { RequestContext } from '../../../../nodes/shared/transport';
import { TEST_NODE } from './node';

export { TEST_NODE };


export type AuthStyle = 'bearer' | 'basic' | 'none';

export interface FakeCredentialOptions {
	data: ICredentialDataDecryptedObject;
	auth: AuthStyle;
	/** For 'bearer': mints the token n8n's preAuthentication stores (on first use and after a 401). */
	mintToken?: () => string;
}

export interface FakeRequestContext extends RequestContext {
	credential: ICredentialDataDecryptedObject;
	preAuthenticationCalls: Array<{ expired: boolean }>;
}

export function createRequestContext({ data, auth, mintToken }: FakeCredentialOptions): FakeRequestContext {
	const credential = { ...data };
	const preAuthenticationCalls: Array<{ expired: boolean }> = [];
	const credentialsHelper = {
		getParentTypes: () => [],
		async preAuthentication(
			_helpers: unknown,
			credentials: ICredentialDataDecryptedObject,
			_type: string,
			_node: INode,
			expired: boolean,
		) {
			if (!mintToken || (!expired && credentials.accessToken)) return undefined;
			preAuthenticationCalls.push({ expired });
			return { accessToken: mintToken() };
		},
		async authenticate(credentials: ICredentialDataDecryptedObject, _type: string, options: IHttpRequestOptions) {
			if (auth === 'bearer') {
				return { ...options, headers: { ...options.headers, Authorization: `Bearer ${String(credentials.accessToken)}` } };
			}
			if (auth === 'basic') {
				return {
					...options,
					auth: { username: String(credentials.clientId), password: String(credentials.clientSecret) },
				};
			}
			return options;
		},
	};
	const additionalData = { credentialsHelper } as unknown as IWorkflowExecuteAdditionalData;
	const ctx: FakeRequestContext = {
		credential,
		preAuthenticationCalls,
		getNode: () => TEST_NODE,
		// The same object every time, so a stored token is reused like n8n's persisted credential.
		getCredentials: async () => credential,
		helpers: {
			httpRequestWithAuthentication: async (type: string, options: IHttpRequestOptions) =>
				await httpRequestWithAuthentication.call(
					ctx as unknown as IAllExecuteFunctions,
					type,
					options,
					{} as Workflow,
					TEST_NODE,
					additionalData,
				),
		},
	};
	Object.assign(ctx, { logger: { warn: () => undefined, debug: () => undefined } });
	return ctx;
}

/** A RetryClock under test control: sleeping advances time instantly and is recorded. */
export function fakeClock(random = 0.5) {
	let now = 1_700_000_000_000;
	const sleeps: number[] = [];
	return {
		sleeps,
		now: () => now,
		sleep: async (ms: number) => {
			sleeps.push(ms);
			now += ms;
		},
		random: () => random,
		advance: (ms: number) => {
			now += ms;
		},
	};
}
