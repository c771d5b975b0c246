import type {
	IAuthenticate,
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import {
	IDIN_API_PATH,
	IDIN_CREDENTIAL,
	IDIN_DEFAULT_BASE_URL,
	IDIN_DEFAULT_SECRET_HEADER,
	IDIN_DOCUMENTATION_URL,
} from '../nodes/CmIdin/constants';
import { mintIdinToken, unixSeconds, type IdinKey } from '../nodes/CmIdin/jwt';
import { baseUrlExpression } from '../nodes/shared/util';

/** Pasted keys often carry a stray space or line break; CM's Key IDs and Secrets contain none. */
function keyOf(credentials: ICredentialDataDecryptedObject): IdinKey {
	return { keyId: String(credentials.keyId ?? '').trim(), keySecret: String(credentials.keySecret ?? '').trim() };
}

/** A GUID no group or person can have, new for every test, built inside n8n's expression language. */
const RANDOM_GUID = `{{ "xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx".replace(/x/g, () => Math.floor(Math.random() * 16).toString(16)) }}`;

/**
 * "Test credential" must create nothing, and CM documents no read that could succeed without creating something
 * first. So it reads a person that cannot exist: 404 means CM accepted the token (the key is right), 401 or 403
 * that it did not. Every other error status still fails the test.
 *
 * n8n releases read the request's status handling differently, so each refusal is caught twice, with one message:
 * - n8n 2.x honours `ignoreHttpStatusErrors: { ignore: true, except }`: the listed statuses throw, and the
 *   `responseCode` rules name 401 and 403 (any other gets n8n's own message);
 * - n8n 1.x (1.123) only knows `ignoreHttpStatusErrors` as a boolean: the object counts as `true`, every status
 *   arrives as a success and `responseCode` rules are never consulted. CM answers every error with the JSON body
 *   `{ code: <status>, message }`, so `responseSuccessBody` rules on `code` fail the test for each failing status.
 */
const FAILING_STATUSES = Array.from({ length: 200 }, (_, index) => 400 + index).filter((status) => status !== 404);

const REFUSED_MESSAGES: Record<number, string> = {
	401: "CM did not accept the key (HTTP 401). Check the Key ID and Key Secret, and that this n8n server's clock is right.",
	403: 'CM refused the key for iDIN invites (HTTP 403). Check that the Key ID belongs to iDIN invites credentials, or ask CM support to enable them.',
};

function refusedMessage(status: number): string {
	return REFUSED_MESSAGES[status] ?? `CM answered HTTP ${status} to the test request, so the key could not be checked.`;
}

/**
 * Both kinds of rule in one list: n8n's type wants one kind per list, but its credential test (1.x and 2.x) reads
 * every rule by its `type` (`responseCode` when the request failed, `responseSuccessBody` when it did not).
 */
const TEST_RULES = [
	...[401, 403].map((status): IAuthenticateRuleResponseCode => ({
		type: 'responseCode',
		properties: { value: status, message: refusedMessage(status) },
	})),
	...FAILING_STATUSES.map((status): IAuthenticateRuleResponseSuccessBody => ({
		type: 'responseSuccessBody',
		properties: { key: 'code', value: status, message: refusedMessage(status) },
	})),
] as unknown as ICredentialTestRequest['rules'];

export class CmIdinApi implements ICredentialType {
	name = IDIN_CREDENTIAL;

	displayName = 'CM iDIN API';

	icon = { light: 'file:../icons/idin.svg', dark: 'file:../icons/idin.dark.svg' } as const;

	documentationUrl = IDIN_DOCUMENTATION_URL;

	properties: INodeProperties[] = [
		{
			displayName: 'Key ID',
			name: 'keyId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '3b438437-04a4-40bb-8389-54bb02766fba',
			description: 'The Key ID of the iDIN invites credentials CM gave you',
		},
		{
			displayName: 'Key Secret',
			name: 'keySecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The Key Secret that belongs to the Key ID. It signs a short-lived token for every request and never leaves n8n.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: IDIN_DEFAULT_BASE_URL,
			description: 'Change only for another CM environment or a local sandbox',
		},
		{
			displayName: 'Webhook Header Name',
			name: 'webhookHeaderName',
			type: 'string',
			default: IDIN_DEFAULT_SECRET_HEADER,
			description:
				'For the CM iDIN Trigger only. CM signs no webhook: ask CM support to add a header of this name, holding the Webhook Secret below, to the webhook of this key.',
		},
		{
			displayName: 'Webhook Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'For the CM iDIN Trigger only: a long random value that CM support sends in the header named above. The trigger refuses calls without it.',
		},
	];

	/** CM wants a fresh HS256 token on every request (valid 60 s), signed with the Key Secret. */
	authenticate: IAuthenticate = async (credentials, requestOptions) => {
		const token = await mintIdinToken(keyOf(credentials), unixSeconds());
		return { ...requestOptions, headers: { ...requestOptions.headers, Authorization: `Bearer ${token}` } };
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: baseUrlExpression(IDIN_DEFAULT_BASE_URL),
			url: `=${IDIN_API_PATH}/groups/${RANDOM_GUID}/persons/${RANDOM_GUID}`,
			ignoreHttpStatusErrors: { ignore: true, except: FAILING_STATUSES },
		},
		rules: TEST_RULES,
	};
}
