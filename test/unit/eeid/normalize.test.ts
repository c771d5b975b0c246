import { normalizeEeIdRequest } from '../../../nodes/EeId/normalize';
import type { EeIdIdentificationRequest } from '../../../nodes/EeId/types';

const completed: EeIdIdentificationRequest = {
	id: '497f6eca-6276-4993-bfeb-53cbbbba6f08',
	link_expires_at: '2019-08-31T14:15:22Z',
	claims_required: [{ type: 'sub', value: 'EE30303039914' }],
	completed_at: '2019-08-24T14:15:22Z',
	status: 'completed',
	created_at: '2019-08-24T14:10:22Z',
	result: { sub: 'EE30303039914', given_name: 'OK', last_name: 'TESTNUMBER' },
	client_id: 'oidc-b8b8b8b8-c88f-1111-b11d-ecf190aa4982-72',
	reference: 'case-1',
};

describe('eeID normalization', () => {
	it('maps the documented example, decoding the Estonian personal code', () => {
		const identity = normalizeEeIdRequest(completed);
		expect(identity).toMatchObject({
			provider: 'eeid',
			transactionId: completed.id,
			reference: 'case-1',
			status: 'verified',
			verified: true,
			completedAt: '2019-08-24T14:15:22.000Z',
			person: {
				subjectId: 'EE30303039914',
				givenName: 'OK',
				familyName: 'TESTNUMBER',
				fullName: 'OK TESTNUMBER',
				birthDate: '1903-03-03',
				gender: 'male',
				nationality: null,
				email: null,
				phone: null,
				address: { street: null, houseNumber: null, postalCode: null, city: null, country: null },
				isAdult: true,
			},
			document: { type: null, number: '30303039914', issuingCountry: 'EE', validUntil: null },
		});
		expect(identity.raw).toBe(completed);
	});

	it('prefers what the result states over what the code implies', () => {
		const identity = normalizeEeIdRequest({
			...completed,
			result: { sub: 'EE60001019906', given_name: 'Mari', family_name: 'Maasikas', birthdate: '2000-01-01', country: 'ee', authentication_type: 'smart_id' },
		});
		expect(identity.person).toMatchObject({ birthDate: '2000-01-01', gender: 'female', familyName: 'Maasikas', isAdult: true });
		expect(identity.document).toMatchObject({ type: 'smart_id', issuingCountry: 'EE' });
	});

	it.each([
		['pending', 'pending', false],
		['expired', 'expired', false],
	])('maps status %s to %s', (status, expected, verified) => {
		const identity = normalizeEeIdRequest({ ...completed, status, completed_at: null, result: {} });
		expect(identity).toMatchObject({ status: expected, verified, completedAt: null });
		expect(identity.person.subjectId).toBeNull();
		expect(identity.person.isAdult).toBeNull();
	});
});
