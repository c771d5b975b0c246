import { InputError } from '../shared/errors';
import { isCalendarDate, isUuid } from '../shared/util';
import type { EeIdClaim, EeIdClaimType } from './types';

const SUB = /^[A-Z]{2}[A-Za-z0-9-]+$/;
const ALPHA2 = /^[A-Z]{2}$/;
const CLAIM_TYPES: EeIdClaimType[] = ['sub', 'name', 'birthdate', 'country'];

export function assertRequestId(value: unknown): string {
	const id = String(value ?? '').trim();
	if (!isUuid(id)) {
		throw new InputError(
			`"${id}" is not an identification request ID`,
			'Use the UUID eeID returned when the request was created, e.g. 497f6eca-6276-4993-bfeb-53cbbbba6f08.',
		);
	}
	return id;
}

function checkClaim(claim: EeIdClaim, position: number): EeIdClaim {
	const where = `Claim ${position}`;
	if (!CLAIM_TYPES.includes(claim.type)) {
		throw new InputError(`${where} has the unknown type "${claim.type}"`, `Use one of: ${CLAIM_TYPES.join(', ')}.`);
	}
	const value = claim.value;
	if (!value) {
		throw new InputError(`${where} (${claim.type}) has no value`, 'Fill in the value or remove the claim.');
	}
	if (claim.type === 'sub' && !SUB.test(value)) {
		throw new InputError(
			`${where} (sub) "${value}" lacks its two-letter country prefix`,
			'Write the national identification or document number with its country prefix, e.g. EE30303039914.',
		);
	}
	if (claim.type === 'birthdate' && !isCalendarDate(value)) {
		throw new InputError(
			`${where} (birthdate) "${value}" is not a date in the form YYYY-MM-DD`,
			'Write the birth date as YYYY-MM-DD, e.g. 1903-03-03.',
		);
	}
	if (claim.type === 'country' && !ALPHA2.test(value)) {
		throw new InputError(
			`${where} (country) "${value}" is not an ISO 3166-1 alpha-2 code`,
			'Write the country as two capital letters, e.g. EE, LV, LT.',
		);
	}
	return claim;
}

/** Validates the claims before anything is sent, so a typo never costs an API call or a person's time. */
export function validateClaims(raw: Array<{ type?: string; value?: string }>): EeIdClaim[] {
	if (raw.length === 0) {
		throw new InputError(
			'No claim to check',
			'Add at least a claim of type "Identification Number (Sub)" under "Claims Required", e.g. EE30303039914; name, birthdate and country may be added.',
		);
	}
	const claims = raw.map((claim, index) =>
		checkClaim({ type: claim.type as EeIdClaimType, value: String(claim.value ?? '').trim() }, index + 1),
	);
	if (!claims.some((claim) => claim.type === 'sub')) {
		// eeID's own answer (422) to a request without one; refused here so no request is made in vain.
		throw new InputError(
			'Claims required must include at least one claim of type "sub" with a non-empty value',
			'Add a claim of type "Identification Number (Sub)": the national identification or document number with its country prefix, e.g. EE30303039914.',
		);
	}
	return claims;
}
