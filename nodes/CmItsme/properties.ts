/** The transaction parameters the action node's Create and the trigger both show. */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { ITSME_SCOPES } from './constants';

export const serviceProperty: INodeProperties = {
	displayName: 'Service',
	name: 'service',
	type: 'options',
	default: 'login',
	options: [
		{ name: 'Login', value: 'login', description: 'The person logs in with itsme' },
		{ name: 'Register', value: 'register', description: 'The person creates an account with itsme' },
	],
};

export const scopesProperty: INodeProperties = {
	displayName: 'Scopes',
	name: 'scopes',
	type: 'multiOptions',
	default: [...ITSME_SCOPES],
	options: [
		{ name: 'Address', value: 'address', description: 'Street, postal code, city and country' },
		{ name: 'Email', value: 'email', description: 'E-mail address' },
		{ name: 'Phone', value: 'phone', description: 'Phone number' },
		{ name: 'Profile', value: 'profile', description: 'Name, gender, locale and date of birth' },
	],
	description:
		"The person's data to ask for; ask only for what you need. The person's itsme ID (userId) always comes along.",
};

/** Sorted by name, as n8n lists options. */
export const LOCALE_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Dutch', value: 'nl' },
	{ name: 'English', value: 'en' },
	{ name: 'French', value: 'fr' },
	{ name: 'German', value: 'de' },
];
