import {
	buildIdentity,
	isAdultOn,
	normalizeCountry,
	normalizeDate,
	normalizeDateTime,
	normalizeGender,
	type IdentityStatus,
	type NormalizedIdentity,
} from '../shared/identity';
import type { EeIdIdentificationRequest } from './types';

const STATUS: Record<string, IdentityStatus> = {
	pending: 'pending',
	completed: 'verified',
	expired: 'expired',
};

/** Statuses after which a request never changes again. */
export const FINAL_STATUSES = ['completed', 'expired'];

function text(value: unknown): string | null {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/**
 * Estonian and Lithuanian personal codes (GYYMMDDSSSC) carry the birth date and sex: G is 1–8, odd for
 * men, and tells the century. Used only when eeID's result does not state them itself.
 */
function fromPersonalCode(country: string | null, code: string | null) {
	const match = /^([1-8])(\d{2})(\d{2})(\d{2})\d{4}$/.exec(code ?? '');
	if (!match || (country !== 'EE' && country !== 'LT')) return { birthDate: null, gender: null };
	const [, g, yy, mm, dd] = match;
	const century = 1800 + Math.floor((Number(g) - 1) / 2) * 100;
	return {
		birthDate: normalizeDate(`${century + Number(yy)}-${mm}-${dd}`),
		gender: Number(g) % 2 === 1 ? ('male' as const) : ('female' as const),
	};
}

/** `EE30303039914` → country EE, code 30303039914. */
function splitSubject(sub: string | null): { country: string | null; code: string | null } {
	const match = /^([A-Z]{2})-?(.+)$/.exec(sub ?? '');
	return match ? { country: match[1], code: match[2] } : { country: null, code: sub };
}

export function eeIdStatus(status: string): IdentityStatus {
	return STATUS[status] ?? 'pending';
}

export function normalizeEeIdRequest(request: EeIdIdentificationRequest): NormalizedIdentity {
	const result = (request.result ?? {}) as Record<string, unknown>;
	const subjectId = text(result.sub);
	const subject = splitSubject(subjectId);
	const fromCode = fromPersonalCode(subject.country, subject.code);
	const birthDate = normalizeDate(result.birthdate ?? result.date_of_birth) ?? fromCode.birthDate;
	const completedAt = normalizeDateTime(request.completed_at);
	const givenName = text(result.given_name);
	const familyName = text(result.family_name) ?? text(result.last_name);
	return buildIdentity({
		provider: 'eeid',
		transactionId: request.id,
		reference: text(request.reference),
		status: eeIdStatus(request.status),
		completedAt,
		person: {
			subjectId,
			givenName,
			familyName,
			fullName: text(result.name),
			birthDate,
			gender: normalizeGender(result.gender) ?? fromCode.gender,
			nationality: null,
			address: { country: null },
			isAdult: birthDate ? isAdultOn(birthDate, completedAt ?? new Date().toISOString()) : null,
		},
		document: {
			type: text(result.authentication_type),
			number: subject.code,
			issuingCountry: normalizeCountry(result.country) ?? subject.country,
			validUntil: null,
		},
		raw: request,
	});
}
