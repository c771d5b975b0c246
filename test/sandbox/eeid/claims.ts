/**
 * eeID's claims comparison: a request completes whoever authenticates, and then says whether that person had the
 * required claims. Compared as eeID describes it: `sub` exactly, `birthdate` against `date_of_birth`, `country`,
 * and `name` against given_name + family_name, ignoring case and accents.
 */
import type { EeIdClaim, EeIdClaimsComparison, EeIdClaimMismatch, EeIdClaimType } from './types';

/** A request that is not completed has not been compared yet. */
export function notCompared(): EeIdClaimsComparison {
	return { claims_matched: null, mismatched_claims: {}, claims_comparison_errors: [] };
}

/** Compares every non-blank required claim with `result` (either key shape, current or older). */
export function compareClaims(claims: EeIdClaim[], result: Record<string, unknown>): EeIdClaimsComparison {
	const mismatched: Partial<Record<EeIdClaimType, EeIdClaimMismatch>> = {};
	const errors: string[] = [];
	for (const claim of claims) {
		const expected = claim.value.trim();
		if (expected === '') continue;
		const actual = actualValue(claim.type, result);
		if (actual !== null && sameValue(claim.type, expected, actual)) continue;
		mismatched[claim.type] ??= { expected, actual };
		errors.push(
			`Claim "${claim.type}" does not match: expected "${expected}", ` +
				(actual === null ? 'but the result has none' : `got "${actual}"`),
		);
	}
	return { claims_matched: errors.length === 0, mismatched_claims: mismatched, claims_comparison_errors: errors };
}

/** The result's value a claim is compared with. */
function actualValue(type: EeIdClaimType, result: Record<string, unknown>): string | null {
	switch (type) {
		case 'sub':
			return text(result.sub);
		case 'birthdate':
			return text(result.date_of_birth) ?? text(result.birthdate);
		case 'country':
			// Only document-based identification states the country; otherwise the sub's prefix is it.
			return text(result.country) ?? /^[A-Za-z]{2}/.exec(text(result.sub) ?? '')?.[0] ?? null;
		case 'name': {
			const parts = [text(result.given_name), text(result.family_name) ?? text(result.last_name)];
			const joined = parts.filter((part) => part !== null).join(' ');
			return joined === '' ? text(result.name) : joined;
		}
	}
}

function sameValue(type: EeIdClaimType, expected: string, actual: string): boolean {
	switch (type) {
		case 'name':
			return comparableName(expected) === comparableName(actual);
		case 'country':
			return expected.toUpperCase() === actual.toUpperCase();
		default:
			return expected === actual;
	}
}

/** Case- and accent-insensitive form of a name: "Jõeorg" and "JOEORG" compare equal, so do "Š" and "s". */
export function comparableName(name: string): string {
	return name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

function text(value: unknown): string | null {
	if (typeof value === 'number') return String(value);
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}
