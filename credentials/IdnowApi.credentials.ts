import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { parseAes256Key } from '../nodes/shared/binary';
import { baseUrlExpression } from '../nodes/shared/util';
import {
	IDNOW_CREDENTIAL,
	IDNOW_DEFAULT_BASE_URL,
	IDNOW_DOCUMENTATION_URL,
	IDNOW_SYSTEM_STATUS_PATH,
} from '../nodes/Idnow/constants';

/**
 * A key that cannot be a 32-byte AES key is refused on every call, "Test credential" included: finding out only when
 * the first encrypted result arrives (possibly days later, from a trigger) would be too late.
 */
function checkAesKey(credentials: ICredentialDataDecryptedObject): void {
	const key = typeof credentials.aesSecretKey === 'string' ? credentials.aesSecretKey.trim() : '';
	if (key === '') return;
	try {
		parseAes256Key(key);
	} catch {
		throw new Error(
			'The AES-256 Key of the IDnow credential is not a 32-byte key: enter it as 64 hexadecimal or 44 Base64 characters, or leave it empty to receive results unencrypted.',
		);
	}
}

export class IdnowApi implements ICredentialType {
	name = IDNOW_CREDENTIAL;

	displayName = 'IDnow identity.TM API';

	icon = { light: 'file:../icons/idnow.svg', dark: 'file:../icons/idnow.dark.svg' } as const;

	documentationUrl = IDNOW_DOCUMENTATION_URL;

	properties: INodeProperties[] = [
		{
			displayName: 'User Name',
			name: 'user',
			type: 'string',
			default: '',
			required: true,
			description: 'The API user IDnow gave you for identity.TM (HTTP Basic authentication)',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: "The API user's password. After an IDnow Account → Confirm New Password, store the new one here.",
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: IDNOW_DEFAULT_BASE_URL,
			description: 'Change only for another identity.TM environment or a local sandbox',
		},
		{
			displayName: 'AES-256 Key',
			name: 'aesSecretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: '64 hexadecimal or 44 Base64 characters',
			description:
				'Optional. The key agreed with IDnow for encrypted results: when set, identification data, PDFs, videos and voice files are requested through the /crypt variants and decrypted in n8n. Empty: results come unencrypted.',
		},
		{
			displayName: 'Webhook Token',
			name: 'webhookToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'e.g. the output of: openssl rand -hex 32',
			description:
				'For the IDnow Trigger: IDnow signs no webhook, so its URLs carry this secret and calls without it are refused. At least 16 characters; Order → Create adds it to the webhook URLs it sends.',
		},
	];

	authenticate: IAuthenticate = async (credentials, requestOptions) => {
		checkAesKey(credentials);
		return {
			...requestOptions,
			auth: { username: String(credentials.user ?? ''), password: String(credentials.password ?? '') },
		};
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: baseUrlExpression(IDNOW_DEFAULT_BASE_URL),
			url: IDNOW_SYSTEM_STATUS_PATH,
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'IDnow did not accept the user name and password (HTTP 401). Check both, and that the Base URL is the right environment.',
				},
			},
		],
	};
}
