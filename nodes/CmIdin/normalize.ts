/**
 * A CM iDIN person (with the bank's result) as the package's normalized identity, plus the iDIN details a workflow
 * needs next that the shared shape has no place for (ids to call the API with, initials, the bank). The mapping
 * table is in the README, section "CM iDIN".
 */
import type { IDataObject } from 'n8n-workflow';

import {
	buildIdentity,
	isAdultWhenCompleted,
	normalizeDateTime,
	normalizeGender,
	normalizePhone,
	type IdentityStatus,
	type NormalizedIdentity,
} from '../shared/identity';
import { text } from '../shared/util';
import type { IdinPerson, IdinResult } from './types';

/** What `assurance.method` says for a person a bank has answered about. */
export const IDIN_METHOD = 'iDIN';

/** iDIN is Dutch: a telephone number the bank writes nationally (06…) is a Dutch one. */
const PHONE_COUNTRY = 'NL';

/** Whether waiting longer can change anything: CM gives a person one outcome, and any status at all is final. */
export function isSettled(person: IdinPerson): boolean {
	return person.status !== null && person.status !== undefined;
}

function statusOf(person: IdinPerson): { status: IdentityStatus; reason: string | null } {
	switch (person.status ?? null) {
		case null:
			return { status: 'pending', reason: null };
		case 'success':
			return { status: 'verified', reason: null };
		case 'cancelled':
			return { status: 'cancelled', reason: 'The person cancelled the identification' };
		case 'failure':
			return { status: 'failed', reason: 'The bank reported that the identification failed' };
		case 'expired':
			// A result means the person reached a bank; without one the invitation ran out unused.
			return {
				status: 'expired',
				reason: person.result
					? 'The identification expired at the bank before the person finished'
					: 'The invitation expired before the person identified',
			};
		default:
			return { status: 'review', reason: `CM reported the unknown status "${String(person.status)}"` };
	}
}

/** "van" + "Dijk" → "van Dijk": Dutch family names are written with their prefix. */
function familyNameOf(name: IdinResult['name']): string | null {
	const lastName = text(name?.last_name);
	if (!lastName) return null;
	return [text(name?.last_name_prefix), lastName].filter(Boolean).join(' ');
}

/** Without a first name (banks may give only initials) the full name starts with the initials: "J.P. Jansen". */
function fullNameOf(name: IdinResult['name']): string | null {
	return text([text(name?.first_name) ?? text(name?.initials), familyNameOf(name)].filter(Boolean).join(' '));
}

/** "1" + "b" → "1b"; a suffix that is not a letter is set off with a hyphen, as Dutch addresses write it ("12-2"). */
function houseNumberOf(address: IdinResult['address']): string | null {
	const number = text(address?.house_number);
	const suffix = text(address?.house_number_suffix);
	if (!number || !suffix) return number;
	return /^[a-z]/i.test(suffix) ? `${number}${suffix}` : `${number}-${suffix}`;
}

/** CM's own answer when the bank gave it; otherwise judged from the date of birth, on the day the person finished. */
function isAdultOf(age: IdinResult['age'], completedAt: string | null): boolean | null {
	if (typeof age?.['18y_or_older'] === 'boolean') return age['18y_or_older'];
	const birthDate = text(age?.date_of_birth);
	return isAdultWhenCompleted(birthDate, completedAt);
}

export function normalizeIdinPerson(person: IdinPerson): NormalizedIdentity {
	const result: IdinResult = person.result ?? {};
	const { status, reason } = statusOf(person);
	// CM dates no outcome; a person's record changes last when its status is set.
	const completedAt = isSettled(person) ? normalizeDateTime(person.updated_at) : null;
	return buildIdentity({
		provider: 'idin',
		transactionId: person.id,
		reference: null,
		status,
		reason,
		assurance: { level: null, method: person.result ? IDIN_METHOD : null },
		completedAt,
		person: {
			subjectId: text(result.bin),
			nationalId: null,
			givenName: text(result.name?.first_name),
			familyName: familyNameOf(result.name),
			fullName: fullNameOf(result.name),
			birthDate: text(result.age?.date_of_birth),
			gender: normalizeGender(result.name?.gender),
			nationality: null,
			email: text(result.email_address),
			phone: normalizePhone(result.telephone_number, PHONE_COUNTRY),
			address: {
				street: text(result.address?.street),
				houseNumber: houseNumberOf(result.address),
				postalCode: text(result.address?.postal_code),
				city: text(result.address?.city),
				country: text(result.address?.country),
			},
			isAdult: isAdultOf(result.age, completedAt),
		},
		document: {},
		raw: person,
	});
}

/**
 * The iDIN facts beside the identity in every person item and trigger event: the ids the next API call needs,
 * who was invited, the initials (the shared shape has no field for them) and the bank that answered.
 */
export function personDetails(person: IdinPerson, groupId: string): IDataObject {
	const result: IdinResult = person.result ?? {};
	return {
		groupId,
		personId: person.id,
		invitedName: text(person.name),
		invitedEmail: text(person.email_address),
		initials: text(result.name?.initials),
		bankBic: text(result.issuer_id),
		bankTransactionId: text(result.transaction_id),
	};
}
