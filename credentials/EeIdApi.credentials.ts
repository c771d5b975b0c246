import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import { EEID_CREDENTIAL, EEID_DEFAULT_BASE_URL, EEID_REQUESTS_PATH, EEID_ACCESS_GRANT_PATH } from '../nodes/EeId/constants';
import { baseUrlOf, isObject } from '../nodes/shared/util';

interface TokenAnswer {
	statusCode: number;
	body: unknown;
}

/** The token endpoint's own words, without anything that could echo the client secret back. */
function tokenErrorMessage(answer: TokenAnswer): string {
	const body = answer.body as IDataObject | string | undefined;
	const providerMessage = isObject(body) && typeof body.error === 'string' ? body.error : '';
	const hint =
		answer.statusCode === 401
			? 'Check the Client ID and Client Secret of the eeID service (eeID manager → your service).'
			: 'Check the Base URL of the credential.';
	return `eeID token request failed (HTTP ${answer.statusCode}${providerMessage ? `: ${providerMessage}` : ''}). ${hint}`;
}

export class EeIdApi implements ICredentialType {
	name = EEID_CREDENTIAL;

	displayName = 'eeID API';

	icon = { light: 'file:../icons/eeid.svg', dark: 'file:../icons/eeid.dark.svg' } as const;

	documentationUrl =
		'https://github.com/n8n-nodes-identity-verification/n8n-nodes-identity-verification#eeid-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'oidc-b8b8b8b8-c88f-1111-b11d-ecf190aa4982-72',
			description: 'Client ID of the identification service, from the eeID manager',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Client secret of the identification service. Also the key that signs its webhooks.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: EEID_DEFAULT_BASE_URL,
			description: 'Change only to use another eeID environment or a local sandbox',
		},
		{
			// Filled by preAuthentication; n8n refills it when it is empty or after a 401.
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	/** eeID tokens live 120 s: one is fetched on first use and reused until the API answers 401. */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64');
		const answer = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${baseUrlOf(credentials.baseUrl, EEID_DEFAULT_BASE_URL)}${EEID_ACCESS_GRANT_PATH}`,
			headers: { Authorization: `Basic ${basic}`, Accept: 'application/json' },
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as TokenAnswer;
		const accessToken = (answer.body as IDataObject | undefined)?.access_token;
		if (answer.statusCode < 200 || answer.statusCode >= 300 || typeof accessToken !== 'string') {
			throw new Error(tokenErrorMessage(answer));
		}
		return { accessToken };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.accessToken}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{($credentials.baseUrl || "${EEID_DEFAULT_BASE_URL}").replace(/\\/+$/, "")}}`,
			url: EEID_REQUESTS_PATH,
			qs: { page: 1, page_size: 1 },
		},
	};
}
