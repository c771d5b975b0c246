/** CM.com itsme facts shared by its credential, transport, nodes and trigger: stated once here. */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { InputError } from '../shared/errors';
import { baseUrlOf } from '../shared/util';

export const ITSME_CREDENTIAL = 'cmItsmeApi';
/** The credential test method both nodes name in `testedBy`. */
export const ITSME_CREDENTIAL_TEST = 'cmItsmeApiTest';

/** The two documented base URLs, without the trailing slash: every path starts with one. */
export const ITSME_BASE_URLS = {
	production: 'https://api.cmdisp.com/itsme/v1',
	sandbox: 'https://api.sandbox.cmdisp.com/itsme/v1',
} as const;

export type ItsmeEnvironment = keyof typeof ITSME_BASE_URLS | 'custom';

export const ITSME_TRANSACTIONS_PATH = '/transactions';
export const ITSME_STATUS_PATH = '/status';

export const ITSME_SERVICES = ['login', 'register'] as const;
export const ITSME_SCOPES = ['profile', 'email', 'phone', 'address'] as const;
export const ITSME_LOCALES = ['en', 'nl', 'fr', 'de'] as const;

export type ItsmeService = (typeof ITSME_SERVICES)[number];
export type ItsmeScope = (typeof ITSME_SCOPES)[number];
export type ItsmeLocale = (typeof ITSME_LOCALES)[number];

export const ITSME_ICON = { light: 'file:../../icons/itsme.svg', dark: 'file:../../icons/itsme.dark.svg' } as const;

/**
 * The base URL the credential points at: one of the documented environments, or the custom one. A custom
 * environment without a URL is refused rather than quietly sent to production.
 */
export function itsmeBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const environment = (credentials.environment ?? 'production') as ItsmeEnvironment;
	if (environment !== 'custom') return ITSME_BASE_URLS[environment] ?? ITSME_BASE_URLS.production;
	const custom = baseUrlOf(credentials.baseUrl, '');
	if (!/^https?:\/\/\S+$/i.test(custom)) {
		throw new InputError(
			'The CM itsme credential has the environment "Custom" but no valid Base URL',
			'Open the credential and enter the Base URL, e.g. https://api.sandbox.cmdisp.com/itsme/v1, or choose Production or Sandbox.',
		);
	}
	return custom;
}
