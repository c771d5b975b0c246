/**
 * Whether the person who completed a request is the person the claims describe. eeID completes a request as soon
 * as someone authenticates, matching or not, and says which in `claims_matched`; older answers lack it, and then
 * the node compares `claims_required` with `result` itself, the way eeID does.
 */
import { text } from '../shared/util';
import type { EeIdClaim, EeIdIdentificationRequest } from './types';

export interface ClaimsCheck {
	/** Who compared: eeID itself, or this node because eeID's answer did not say. Null before completion. */
	by: 'eeid' | 'node' | null;
	matched: boolean | null;
	/** Claim type → what was expected and what the person's eID said. */
	mismatchedClaims: Record<string, { expected: string | null; actual: string | null }>;
	/** Human-readable, eeID's own words where eeID gave them. */
	errors: string[];
}

/** Case, accents and spacing do not make two names different. */
function foldName(value: string): string {
	return value.normalize('NFD').replace(/\p{Diacritic}/gu, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

function actualValue(claim: EeIdClaim, result: Record<string, unknown>): string | null {
	switch (claim.type) {
		case 'sub':
			return text(result.sub);
		case 'birthdate':
			return text(result.date_of_birth) ?? text(result.birthdate);
		case 'country':
			return text(result.country);
		case 'name': {
			const family = text(result.family_name) ?? text(result.last_name);
			return text([text(result.given_name), family].filter(Boolean).join(' ')) ?? text(result.name);
		}
		default:
			return null;
	}
}

function claimMatches(claim: EeIdClaim, actual: string | null): boolean {
	if (actual === null) return false;
	if (claim.type === 'name') return foldName(actual) === foldName(claim.value);
	if (claim.type === 'country') return actual.toUpperCase() === claim.value.trim().toUpperCase();
	return actual === claim.value.trim();
}

function compareByNode(request: EeIdIdentificationRequest): ClaimsCheck {
	const result = (request.result ?? {}) as Record<string, unknown>;
	const check: ClaimsCheck = { by: 'node', matched: true, mismatchedClaims: {}, errors: [] };
	for (const claim of request.claims_required ?? []) {
		if (!text(claim.value)) continue;
		const actual = actualValue(claim, result);
		if (claimMatches(claim, actual)) continue;
		check.matched = false;
		check.mismatchedClaims[claim.type] = { expected: claim.value, actual };
		check.errors.push(
			actual === null
				? `The ${claim.type} claim could not be checked: the result does not state it`
				: `The ${claim.type} claim does not match: expected "${claim.value}", got "${actual}"`,
		);
	}
	return check;
}

function mismatchesFrom(value: unknown): ClaimsCheck['mismatchedClaims'] {
	if (typeof value !== 'object' || value === null) return {};
	const entries = Object.entries(value as Record<string, { expected?: unknown; actual?: unknown }>);
	return Object.fromEntries(
		entries.map(([type, entry]) => [type, { expected: text(entry?.expected), actual: text(entry?.actual) }]),
	);
}

function errorsFrom(value: unknown, mismatched: ClaimsCheck['mismatchedClaims']): string[] {
	const given = Array.isArray(value) ? value.map(text).filter((entry): entry is string => entry !== null) : [];
	if (given.length > 0) return given;
	return Object.entries(mismatched).map(([type, { expected, actual }]) => `${type}: expected "${expected}", got "${actual}"`);
}

export function checkClaims(request: EeIdIdentificationRequest): ClaimsCheck {
	if (request.status !== 'completed') return { by: null, matched: null, mismatchedClaims: {}, errors: [] };
	if (typeof request.claims_matched !== 'boolean') return compareByNode(request);
	const mismatchedClaims = mismatchesFrom(request.mismatched_claims);
	return {
		by: 'eeid',
		matched: request.claims_matched,
		mismatchedClaims,
		errors: request.claims_matched ? [] : errorsFrom(request.claims_comparison_errors, mismatchedClaims),
	};
}
