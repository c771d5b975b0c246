/** Checks of what the user entered, made before anything is sent, so a typo never costs a group or an invitation. */
import { InputError } from '../shared/errors';
import { isEmailAddress, isUuid } from '../shared/util';
import { IDIN_ATTRIBUTES, type IdinAttribute } from './constants';
import type { IdinPersonBody } from './types';

export type IdinIdKind = 'Group ID' | 'Person ID';

const ID_EXAMPLES: Record<IdinIdKind, string> = {
	'Group ID': '1f7d7d18-3b0e-4322-8919-49e51d40c38b',
	'Person ID': '81f50a17-b556-48b2-a79b-6bc5315d9083',
};

/** CM names its ids GUIDs ("GROUP_GUID", "PERSON_GUID"). */
export function assertIdinId(value: unknown, kind: IdinIdKind): string {
	const id = String(value ?? '').trim();
	if (!isUuid(id)) {
		throw new InputError(
			`${kind} "${id}" is not a CM iDIN ID`,
			`Use the ${kind} CM returned (a GUID such as ${ID_EXAMPLES[kind]}), e.g. from the node that created it.`,
		);
	}
	return id;
}

export interface PersonInput {
	name: unknown;
	emailAddress: unknown;
	attributes: Partial<Record<IdinAttribute, unknown>>;
}

/** The body of "add a person": attributes as JSON booleans, every one of the eight named. */
export function personBody(input: PersonInput): IdinPersonBody {
	const name = String(input.name ?? '').trim();
	if (name === '') {
		throw new InputError('The person has no name', 'Fill in "Name": CM shows it to the person in the invitation.');
	}
	const emailAddress = String(input.emailAddress ?? '').trim();
	if (!isEmailAddress(emailAddress)) {
		throw new InputError(
			`"${emailAddress}" is not an email address`,
			'Fill in "Email Address" with the address CM may send the invitation to, e.g. andre@example.com.',
		);
	}
	const attributes = Object.fromEntries(
		IDIN_ATTRIBUTES.map((attribute) => [attribute, input.attributes[attribute] === true]),
	) as Record<IdinAttribute, boolean>;
	if (!Object.values(attributes).includes(true)) {
		throw new InputError(
			'No attribute is requested',
			'Turn on at least one of the "Request …" options: the bank returns only what is asked for.',
		);
	}
	return { name, email_address: emailAddress, attributes };
}
