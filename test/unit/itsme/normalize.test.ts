import { ALREADY_COLLECTED_REASON, carriesPerson, isFinished, normalizeItsmeStatus, personLocale } from '../../../nodes/CmItsme/normalize';

describe('itsme status → normalized identity', () => {
	it.each([
		['open', 'pending', null],
		['cancelled', 'cancelled', 'The person cancelled in itsme'],
		['failure', 'failed', 'itsme reported that the transaction failed'],
		['expired', 'expired', 'The transaction expired before the person confirmed it in itsme'],
		['paused', 'review', 'CM reported the unknown status "paused"'],
	])('%s → %s', (status, expected, reason) => {
		const identity = normalizeItsmeStatus({ status }, 'T1');
		expect(identity).toMatchObject({ provider: 'itsme', transactionId: 'T1', status: expected, verified: false, reason });
		expect(identity.assurance).toEqual({ level: null, method: 'itsme' });
	});

	it('a success with the person is verified; one without says the data was already collected', () => {
		expect(normalizeItsmeStatus({ status: 'success', userId: 'U1' }, 'T1')).toMatchObject({
			status: 'verified',
			verified: true,
			reason: null,
			person: { subjectId: 'U1', fullName: null },
		});
		expect(normalizeItsmeStatus({ status: 'success' }, 'T1')).toMatchObject({
			status: 'review',
			verified: false,
			reason: ALREADY_COLLECTED_REASON,
		});
		expect(carriesPerson({ status: 'success', userId: ' ' })).toBe(false);
	});

	it('an answer without status is review, not a guess', () => {
		expect(normalizeItsmeStatus({} as never, 'T1')).toMatchObject({ status: 'review', reason: 'CM answered without a status' });
	});

	it('maps every field, the reference and isAdult, and leaves what itsme does not give null', () => {
		const answer = {
			status: 'success',
			userId: 'U1',
			name: { givenName: ' Élise ', familyName: 'Van der Meulen' },
			gender: 'female',
			birthdate: '2010-06-15',
			locale: 'fr',
			phoneNumber: '+32 478 11 22 33',
			emailAddress: 'elise@example.org',
			address: { streetAddress: 'Rue de la Loi 16\nBoîte 3', postalCode: '1000', city: 'Bruxelles', countryCode: 'be' },
		};
		const identity = normalizeItsmeStatus(answer, 'T1', 'order-1');
		expect(identity).toMatchObject({
			reference: 'order-1',
			completedAt: null,
			person: {
				subjectId: 'U1',
				nationalId: null,
				givenName: 'Élise',
				familyName: 'Van der Meulen',
				fullName: 'Élise Van der Meulen',
				birthDate: '2010-06-15',
				gender: 'female',
				nationality: null,
				email: 'elise@example.org',
				phone: '+32478112233',
				address: { street: 'Rue de la Loi', houseNumber: '16 Boîte 3', postalCode: '1000', city: 'Bruxelles', country: 'BE' },
				isAdult: false,
			},
			document: { type: null, number: null, issuingCountry: null, validUntil: null },
			raw: answer,
		});
		expect(personLocale(answer)).toBe('fr');
	});

	it('only open keeps a wait going', () => {
		expect(isFinished({ status: 'open' })).toBe(false);
		for (const status of ['success', 'cancelled', 'failure', 'expired', 'paused']) expect(isFinished({ status })).toBe(true);
	});
});
