import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import {
	ITSME_BASE_URLS,
	ITSME_CREDENTIAL,
	ITSME_TRANSACTIONS_PATH,
	itsmeBaseUrl,
} from '../nodes/CmItsme/constants';

/**
 * Whether a request is CM's `POST /transactions` under this credential's base URL: the only call that carries the
 * merchant token. Any other request (the status call, or a request to another host made with this credential in
 * the HTTP Request node) goes out without it.
 */
function isCreateTransaction(credentials: ICredentialDataDecryptedObject, request: IHttpRequestOptions): boolean {
	if ((request.method ?? 'GET').toUpperCase() !== 'POST') return false;
	const url = `${request.baseURL ?? ''}${request.url}`.split(/[?#]/)[0].replace(/\/+$/, '');
	return url === `${itsmeBaseUrl(credentials)}${ITSME_TRANSACTIONS_PATH}`;
}

export class CmItsmeApi implements ICredentialType {
	name = ITSME_CREDENTIAL;

	// n8n's lint wants credential names in title case, so the brand's lower-case "itsme" is capitalised here only.
	displayName = 'CM Itsme API';

	icon = { light: 'file:../icons/itsme.svg', dark: 'file:../icons/itsme.dark.svg' } as const;

	documentationUrl =
		'https://github.com/n8n-nodes-identity-verification/n8n-nodes-identity-verification#cm-itsme-api';

	properties: INodeProperties[] = [
		{
			displayName:
				'CM\'s itsme API has no read-only call, so "Test" creates one itsme login transaction whose redirect goes to https://example.com/. Nobody is sent to it and it expires unused; CM may still count it as a transaction.',
			name: 'testNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Merchant Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: '00000000-0000-0000-0000-000000000000',
			description:
				'The secret token CM gave you for itsme. It is sent only in the body of the requests that create transactions.',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			default: 'production',
			options: [
				{ name: 'Production', value: 'production', description: ITSME_BASE_URLS.production },
				{ name: 'Sandbox', value: 'sandbox', description: ITSME_BASE_URLS.sandbox },
				{ name: 'Custom', value: 'custom', description: 'Another base URL, e.g. a local simulator' },
			],
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://api.sandbox.cmdisp.com/itsme/v1',
			description: 'The API address up to and including /itsme/v1',
			displayOptions: { show: { environment: ['custom'] } },
		},
	];

	/** CM wants the token in the JSON body, not in a header: added only to the requests that create a transaction. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		if (!isCreateTransaction(credentials, requestOptions)) return requestOptions;
		const body = (requestOptions.body ?? {}) as IDataObject;
		return { ...requestOptions, body: { ...body, token: credentials.token } };
	}
}
