import {
	buildIdentity,
	isAdultWhenCompleted,
	normalizeDate,
	normalizeGender,
	splitStreetAndHouseNumber,
	type IdentityStatus,
	type NormalizedIdentity,
} from '../shared/identity';
import { isObject, text } from '../shared/util';
import type { ItsmeStatusAnswer } from './types';

/**
 * itsme hands the person's data out with the first status answer after success only. A later answer says
 * `success` alone: the person did confirm, but this answer cannot say who. That is not a verification the
 * workflow can act on, nor a failure: it is `review`, with the reason spelled out.
 */
export const ALREADY_COLLECTED_REASON =
	"itsme confirmed this transaction, but its personal data was already collected by an earlier status request: itsme hands it out only once. Use the output of the node or trigger that asked first.";

export const ITSME_ASSURANCE_METHOD = 'itsme';

/** Whether waiting longer can change anything. */
export function isFinished(answer: ItsmeStatusAnswer): boolean {
	return answer.status !== 'open';
}

/** A success that carries the person: `userId` belongs to no scope, so it comes with every first answer. */
export function carriesPerson(answer: ItsmeStatusAnswer): boolean {
	return answer.status === 'success' && text(answer.userId) !== null;
}

function statusOf(answer: ItsmeStatusAnswer): { status: IdentityStatus; reason: string | null } {
	switch (answer.status) {
		case 'open':
			return { status: 'pending', reason: null };
		case 'success':
			return carriesPerson(answer)
				? { status: 'verified', reason: null }
				: { status: 'review', reason: ALREADY_COLLECTED_REASON };
		case 'cancelled':
			return { status: 'cancelled', reason: 'The person cancelled in itsme' };
		case 'failure':
			return { status: 'failed', reason: 'itsme reported that the transaction failed' };
		case 'expired':
			return { status: 'expired', reason: 'The transaction expired before the person confirmed it in itsme' };
		default:
			return {
				status: 'review',
				reason: answer.status === undefined ? 'CM answered without a status' : `CM reported the unknown status "${String(answer.status)}"`,
			};
	}
}

/**
 * CM's status answer → the normalized identity. CM states no time for the transaction, so `completedAt` stays
 * null and `isAdult` is judged on the day of the answer. `reference` is the caller's own (the trigger's).
 */
export function normalizeItsmeStatus(
	answer: ItsmeStatusAnswer,
	transactionToken: string,
	reference: string | null = null,
): NormalizedIdentity {
	const { status, reason } = statusOf(answer);
	const name = isObject(answer.name) ? answer.name : {};
	const address = isObject(answer.address) ? answer.address : {};
	const birthDate = normalizeDate(answer.birthdate);
	return buildIdentity({
		provider: 'itsme',
		transactionId: transactionToken,
		reference,
		status,
		reason,
		assurance: { level: null, method: ITSME_ASSURANCE_METHOD },
		completedAt: null,
		person: {
			subjectId: text(answer.userId),
			nationalId: null,
			givenName: text(name.givenName),
			familyName: text(name.familyName),
			fullName: text(name.fullName),
			birthDate,
			gender: normalizeGender(answer.gender),
			email: text(answer.emailAddress),
			phone: text(answer.phoneNumber),
			address: {
				...splitStreetAndHouseNumber(address.streetAddress),
				postalCode: text(address.postalCode),
				city: text(address.city),
				country: text(address.countryCode),
			},
			isAdult: isAdultWhenCompleted(birthDate, null),
		},
		raw: answer,
	});
}

/** The person's locale (en, nl, fr, de), which the shared identity has no field for: output beside it. */
export function personLocale(answer: ItsmeStatusAnswer): string | null {
	return text(answer.locale);
}
