/**
 * Who identifies and what `result` says about them: the expected person (derived from claims_required), the
 * other test persons a completion can use instead, and the result map in the current spec's keys, renamed on
 * output to the older shapes when the settings ask for them.
 */
import { isCalendarDate } from './validation';
import type { EeIdClaim, EeIdClaimType, EeIdPerson, EeIdSettings } from './types';

/** The seed document's test identity (a Smart-ID demo account): the sandbox person when the claims say nothing. */
export const TEST_PERSON: Readonly<EeIdPerson> = {
	sub: 'EE30303039914',
	givenName: 'OK',
	familyName: 'TESTNUMBER',
	dateOfBirth: '1903-03-03',
	authenticationType: 'SMART_ID',
};

/**
 * Other people of the public eeID / SK test accounts, for completing a request as somebody else. The first whose
 * sub differs from the expected person's is used.
 */
export const OTHER_TEST_PERSONS: readonly Readonly<EeIdPerson>[] = [
	{
		sub: 'EE60001019906',
		givenName: 'MARY ÄNN',
		familyName: 'O’CONNEŽ-ŠUSLIK TESTNUMBER',
		dateOfBirth: '2000-01-01',
		authenticationType: 'MOBILE_ID',
	},
	{
		sub: 'EE38001085718',
		givenName: 'JAAK-KRISTJAN',
		familyName: 'JÕEORG',
		dateOfBirth: '1980-01-08',
		authenticationType: 'ID_CARD',
	},
];

/** Validity of the certificate or document behind a login, counted from the authentication (`expiration_time`). */
const CREDENTIAL_VALIDITY_SECONDS = 5 * 365 * 24 * 60 * 60;

/** Who the claims pin down; what they leave open comes from the test identity. Completing as them matches. */
export function expectedPerson(claims: EeIdClaim[]): EeIdPerson {
	const claim = (type: EeIdClaimType) => claims.find((candidate) => candidate.type === type && candidate.value.trim())?.value;
	const country = claim('country') ?? 'EE';
	const sub = claim('sub') ?? `${country}${TEST_PERSON.sub.slice(2)}`;
	const [givenName, familyName] = splitName(claim('name'));
	return {
		sub,
		givenName,
		familyName,
		dateOfBirth: claim('birthdate') ?? estonianBirthdate(sub) ?? TEST_PERSON.dateOfBirth,
		authenticationType: TEST_PERSON.authenticationType,
	};
}

/** A test person who is not the expected one: completing as them mismatches every sub, name and birthdate claim. */
export function otherPerson(expected: EeIdPerson): EeIdPerson {
	const other = OTHER_TEST_PERSONS.find((person) => person.sub !== expected.sub) ?? OTHER_TEST_PERSONS[0];
	return { ...other };
}

function splitName(name: string | undefined): [string, string] {
	const words = name?.trim().split(/\s+/) ?? [];
	if (words.length < 2) return [TEST_PERSON.givenName, words[0] ?? TEST_PERSON.familyName];
	return [words.slice(0, -1).join(' '), words[words.length - 1]];
}

/** An Estonian personal code (EE + 11 digits) carries the birth date: century digit, then YYMMDD. */
function estonianBirthdate(sub: string): string | undefined {
	const match = /^EE([1-8])(\d{2})(\d{2})(\d{2})\d{4}$/.exec(sub);
	if (!match) return undefined;
	const century = 1800 + Math.floor((Number(match[1]) - 1) / 2) * 100;
	const birthdate = `${century + Number(match[2])}-${match[3]}-${match[4]}`;
	return isCalendarDate(birthdate) ? birthdate : undefined;
}

/** The `result` of a completed request in the current spec's keys and order. */
export function identityResult(person: EeIdPerson, completedAt: number): Record<string, unknown> {
	const authTime = Math.floor(completedAt / 1000);
	const result: Record<string, unknown> = {
		acr: 'high',
		sub: person.sub,
		auth_time: authTime,
		given_name: person.givenName,
		family_name: person.familyName,
		date_of_birth: person.dateOfBirth,
		expiration_time: authTime + CREDENTIAL_VALIDITY_SECONDS,
		authentication_type: person.authenticationType,
	};
	if (person.documentNumber !== undefined) {
		result.country = person.sub.slice(0, 2);
		result.id_number = person.sub.slice(2);
		result.document_number = person.documentNumber;
	}
	return result;
}

/** A generated result in the key shape the settings ask for (same order, keys renamed in place). */
export function shapedResult(
	result: Record<string, unknown>,
	settings: Pick<EeIdSettings, 'familyNameKey' | 'birthDateKey'>,
): Record<string, unknown> {
	const renamed: Record<string, string> = { family_name: settings.familyNameKey, date_of_birth: settings.birthDateKey };
	return Object.fromEntries(Object.entries(result).map(([key, value]) => [renamed[key] ?? key, value]));
}

/** "Given Family", from whichever key shape the result has. */
export function resultName(result: Record<string, unknown>): string {
	const name = [result.given_name, result.family_name ?? result.last_name].filter(Boolean).join(' ');
	return name || String(result.name ?? '');
}
