import { normalizeIdinPerson, personDetails } from '../../../nodes/CmIdin/normalize';
import type { IdinPerson } from '../../../nodes/CmIdin/types';

const GROUP_ID = '1f7d7d18-3b0e-4322-8919-49e51d40c38b';

/** "Retrieve person identification result", exactly as CM's document shows it. */
const DOCUMENT_PERSON: IdinPerson = {
	id: '81f50a17-b556-48b2-a79b-6bc5315d9083',
	name: 'Andre van Dijk',
	email_address: '[email protected]',
	status: 'success',
	result: {
		transaction_id: '1241533522837401',
		issuer_id: 'ABNANL2A',
		status: 'success',
		bin: 'CMBANL9Z3xOcyYKUhR8s0mS+tbkNO2xF2/U/Ns3eIyMOWYWmOZeUGw8StPKPhAdRTyN1XWne1rgJQA',
		name: { gender: 'male', initials: 'A', first_name: 'Andre', last_name: 'Dijk', last_name_prefix: 'van' },
		address: {
			street: 'Dijklaan',
			house_number: '1',
			house_number_suffix: 'b',
			postal_code: '0000AA',
			city: 'Amsterdam',
			country: 'NL',
		},
		age: { date_of_birth: '1974-01-31', '18y_or_older': true },
		telephone_number: '0031612345678',
		email_address: '[email protected]',
	},
	updated_at: '2020-01-01T00:00:00+00:00',
	created_at: '2020-01-01T00:00:00+00:00',
};

function person(overrides: Partial<IdinPerson>): IdinPerson {
	return { ...DOCUMENT_PERSON, ...overrides };
}

describe('CM iDIN normalized identity', () => {
	it("maps the document's example result", () => {
		expect(normalizeIdinPerson(DOCUMENT_PERSON)).toEqual({
			provider: 'idin',
			transactionId: '81f50a17-b556-48b2-a79b-6bc5315d9083',
			reference: null,
			status: 'verified',
			verified: true,
			reason: null,
			assurance: { level: null, method: 'iDIN' },
			completedAt: '2020-01-01T00:00:00.000Z',
			person: {
				subjectId: 'CMBANL9Z3xOcyYKUhR8s0mS+tbkNO2xF2/U/Ns3eIyMOWYWmOZeUGw8StPKPhAdRTyN1XWne1rgJQA',
				nationalId: null,
				givenName: 'Andre',
				familyName: 'van Dijk',
				fullName: 'Andre van Dijk',
				birthDate: '1974-01-31',
				gender: 'male',
				nationality: null,
				email: '[email protected]',
				phone: '+31612345678',
				address: { street: 'Dijklaan', houseNumber: '1b', postalCode: '0000AA', city: 'Amsterdam', country: 'NL' },
				isAdult: true,
			},
			document: { type: null, number: null, issuingCountry: null, validUntil: null },
			raw: DOCUMENT_PERSON,
		});
	});

	it('puts the ids, the invitation, the initials and the bank beside the identity', () => {
		expect(personDetails(DOCUMENT_PERSON, GROUP_ID)).toEqual({
			groupId: GROUP_ID,
			personId: '81f50a17-b556-48b2-a79b-6bc5315d9083',
			invitedName: 'Andre van Dijk',
			invitedEmail: '[email protected]',
			initials: 'A',
			bankBic: 'ABNANL2A',
			bankTransactionId: '1241533522837401',
		});
	});

	it('is pending, with nothing known, before the person tried', () => {
		const identity = normalizeIdinPerson(person({ status: null, result: null }));
		expect(identity).toMatchObject({ status: 'pending', verified: false, reason: null, completedAt: null });
		expect(identity.assurance).toEqual({ level: null, method: null });
		expect(identity.person.fullName).toBeNull();
		expect(personDetails(person({ status: null, result: null }), GROUP_ID)).toMatchObject({ bankBic: null, initials: null });
	});

	it.each([
		['cancelled', { status: 'cancelled' }, 'cancelled', 'The person cancelled the identification'],
		['failure', { status: 'failure' }, 'failed', 'The bank reported that the identification failed'],
		['expired at the bank', { status: 'expired' }, 'expired', 'The identification expired at the bank before the person finished'],
		['expired unused', { status: 'expired', result: null }, 'expired', 'The invitation expired before the person identified'],
		['an unknown status', { status: 'on-hold' }, 'review', 'CM reported the unknown status "on-hold"'],
	])('maps %s', (_, overrides, status, reason) => {
		const result = { transaction_id: '1', issuer_id: 'INGBNL2A', status: overrides.status };
		const identity = normalizeIdinPerson(person({ result, ...overrides }));
		expect([identity.status, identity.verified, identity.reason]).toEqual([status, false, reason]);
	});

	it('writes initials when the bank gives no first name, and a number suffix with a hyphen', () => {
		const identity = normalizeIdinPerson(
			person({
				result: {
					name: { initials: 'J.P.', last_name: 'Jansen' },
					address: { street: 'Markt', house_number: '12', house_number_suffix: '2' },
					telephone_number: '0612345678',
				},
			}),
		);
		expect(identity.person).toMatchObject({
			givenName: null,
			familyName: 'Jansen',
			fullName: 'J.P. Jansen',
			phone: '+31612345678',
			address: { street: 'Markt', houseNumber: '12-2' },
		});
	});

	it('judges isAdult from the date of birth on the day the person finished when 18y_or_older was not asked', () => {
		const result = { age: { date_of_birth: '2002-01-01' } };
		expect(normalizeIdinPerson(person({ result, updated_at: '2019-12-31T23:00:00+00:00' })).person.isAdult).toBe(false);
		expect(normalizeIdinPerson(person({ result, updated_at: '2020-01-01T00:00:00+00:00' })).person.isAdult).toBe(true);
		expect(normalizeIdinPerson(person({ result: { age: { '18y_or_older': false } } })).person.isAdult).toBe(false);
		expect(normalizeIdinPerson(person({ result: {} })).person.isAdult).toBeNull();
	});
});
