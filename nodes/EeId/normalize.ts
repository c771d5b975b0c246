import {
	buildIdentity,
	isAdultWhenCompleted,
	normalizeCountry,
	normalizeDate,
	normalizeDateTime,
	normalizeGender,
	type IdentityStatus,
	type NormalizedIdentity,
} from '../shared/identity';
import { text } from '../shared/util';
import { checkClaims, type ClaimsCheck } from './claims';
import type { EeIdIdentificationRequest } from './types';

/** Statuses after which a request never changes again, as eeID names them. */
const FINAL_EEID_STATUSES = ['completed', 'expired'];

/** Whether waiting longer can change anything: final, or a status this node does not know (shown as review). */
export function isSettled(request: EeIdIdentificationRequest): boolean {
	return request.status !== 'pending';
}

export function isFinal(request: EeIdIdentificationRequest): boolean {
	return FINAL_EEID_STATUSES.includes(request.status);
}

/**
 * Estonian and Lithuanian personal codes (GYYMMDDSSSC) carry the birth date and sex: G is 1–8, odd for
 * men, and tells the century. Used only when eeID's result does not state them itself.
 */
function fromPersonalCode(country: string | null, code: string | null) {
	const match = /^([1-8])(\d{2})(\d{2})(\d{2})\d{4}$/.exec(code ?? '');
	if (!match || (country !== 'EE' && country !== 'LT')) return { birthDate: null, gender: null, nationalId: null };
	const [, g, yy, mm, dd] = match;
	const century = 1800 + Math.floor((Number(g) - 1) / 2) * 100;
	return {
		birthDate: normalizeDate(`${century + Number(yy)}-${mm}-${dd}`),
		gender: Number(g) % 2 === 1 ? ('male' as const) : ('female' as const),
		nationalId: code,
	};
}

/** `EE30303039914` → country EE, code 30303039914. */
function splitSubject(sub: string | null): { country: string | null; code: string | null } {
	const match = /^([A-Z]{2})-?(.+)$/.exec(sub ?? '');
	return match ? { country: match[1], code: match[2] } : { country: null, code: sub };
}

/**
 * A completed request is verified only when the person matched the claims; a mismatch is `failed` with eeID's
 * comparison errors as the reason. An unknown status is not guessed: it is `review`, with the value as reason.
 */
function statusOf(request: EeIdIdentificationRequest, claims: ClaimsCheck): { status: IdentityStatus; reason: string | null } {
	switch (request.status) {
		case 'pending':
			return { status: 'pending', reason: null };
		case 'expired':
			return { status: 'expired', reason: 'The link expired before the person identified' };
		case 'completed':
			return claims.matched
				? { status: 'verified', reason: null }
				: { status: 'failed', reason: claims.errors.join('; ') || 'The person did not match the required claims' };
		default:
			return { status: 'review', reason: `eeID reported the unknown status "${String(request.status)}"` };
	}
}

export function normalizeEeIdRequest(request: EeIdIdentificationRequest): NormalizedIdentity {
	const result = (request.result ?? {}) as Record<string, unknown>;
	const subjectId = text(result.sub);
	const subject = splitSubject(subjectId);
	const fromCode = fromPersonalCode(subject.country, subject.code);
	const birthDate = normalizeDate(result.date_of_birth ?? result.birthdate) ?? fromCode.birthDate;
	const completedAt = normalizeDateTime(request.completed_at);
	const { status, reason } = statusOf(request, checkClaims(request));
	const documentNumber = text(result.document_number);
	return buildIdentity({
		provider: 'eeid',
		transactionId: request.id,
		reference: text(request.reference),
		status,
		reason,
		assurance: { level: text(result.acr), method: text(result.authentication_type) },
		completedAt,
		person: {
			subjectId,
			nationalId: text(result.id_number) ?? fromCode.nationalId,
			givenName: text(result.given_name),
			familyName: text(result.family_name) ?? text(result.last_name),
			fullName: text(result.name),
			birthDate,
			gender: normalizeGender(result.gender) ?? fromCode.gender,
			nationality: null,
			address: { country: null },
			isAdult: isAdultWhenCompleted(birthDate, completedAt),
		},
		document: {
			type: null,
			number: documentNumber,
			issuingCountry: documentNumber ? normalizeCountry(result.country) : null,
			validUntil: normalizeDate(normalizeDateTime(result.expiration_time)),
		},
		raw: request,
	});
}
