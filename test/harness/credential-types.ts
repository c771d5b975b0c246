/**
 * Credential types for tests of request code, built to order: a bearer token that `preAuthentication` mints
 * without any token endpoint (so a scripted test server sees only the calls under test), HTTP Basic, or nothing.
 * n8n treats them like any community credential: declared fields only, generic `authenticate`, an expirable token.
 */
import type { ICredentialType, INodeProperties } from 'n8n-workflow';

export type TestAuthStyle = 'bearer' | 'basic' | 'none';

export interface TestCredentialTypeOptions {
	name: string;
	auth: TestAuthStyle;
	/** For 'bearer': the token n8n's preAuthentication stores, on first use and after a 401. May throw. */
	mintToken?: () => string;
	/** Further plain text fields the credential declares (n8n drops undeclared ones). */
	extraFields?: string[];
}

const field = (name: string, secret = false): INodeProperties => ({
	displayName: name,
	name,
	type: 'string',
	default: '',
	...(secret && { typeOptions: { password: true } }),
});

export function testCredentialType({ name, auth, mintToken, extraFields = [] }: TestCredentialTypeOptions): ICredentialType {
	const properties = [field('baseUrl'), field('clientId'), field('clientSecret', true), ...extraFields.map((extra) => field(extra))];
	const type: ICredentialType = { name, displayName: `Test ${name}`, properties };
	if (auth === 'bearer') {
		properties.push({
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		});
		type.preAuthentication = async () => ({ accessToken: (mintToken ?? (() => 'test-token'))() });
		type.authenticate = {
			type: 'generic',
			properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
		};
	}
	if (auth === 'basic') {
		type.authenticate = {
			type: 'generic',
			properties: { auth: { username: '={{$credentials.clientId}}', password: '={{$credentials.clientSecret}}' } },
		};
	}
	return type;
}
