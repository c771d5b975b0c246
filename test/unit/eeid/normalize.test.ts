import { checkClaims } from '../../../nodes/EeId/claims';
import { normalizeEeIdRequest } from '../../../nodes/EeId/normalize';
import type { EeIdIdentificationRequest } from '../../../nodes/EeId/types';

/** The seed document's example: an older answer (last_name, no claims comparison fields). */
const documented: EeIdIdentificationRequest = {
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

/** The current public specification's shape: eeID compares the claims itself. */
const current: EeIdIdentificationRequest = {
	...documented,
	claims_required: [
		{ type: 'sub', value: 'EE60001019906' },
		{ type: 'name', value: 'Mari Maasikas' },
	],
	result: {
		acr: 'high',
		sub: 'EE60001019906',
		auth_time: 1566655500,
		given_name: 'Mari',
		family_name: 'Maasikas',
		date_of_birth: '2000-01-01',
		expiration_time: 1893456000,
		authentication_type: 'ID_CARD',
		country: 'EE',
		id_number: '60001019906',
		document_number: 'AB0123456',
	},
	claims_matched: true,
	mismatched_claims: {},
	claims_comparison_errors: [],
};

describe('eeID normalization', () => {
	it('maps the documented example, decoding the Estonian personal code', () => {
		const identity = normalizeEeIdRequest(documented);
		expect(identity).toEqual({
			provider: 'eeid',
			transactionId: documented.id,
			reference: 'case-1',
			status: 'verified',
			verified: true,
			reason: null,
			assurance: { level: null, method: null },
			completedAt: '2019-08-24T14:15:22.000Z',
			person: {
				subjectId: 'EE30303039914',
				nationalId: '30303039914',
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
			document: { type: null, number: null, issuingCountry: null, validUntil: null },
			raw: documented,
		});
		expect(checkClaims(documented)).toEqual({ by: 'node', matched: true, mismatchedClaims: {}, errors: [] });
	});

	it('maps the current result: assurance, login method, document, validity, national id', () => {
		const identity = normalizeEeIdRequest(current);
		expect(identity).toMatchObject({
			status: 'verified',
			verified: true,
			reason: null,
			assurance: { level: 'high', method: 'ID_CARD' },
			person: { subjectId: 'EE60001019906', nationalId: '60001019906', birthDate: '2000-01-01', gender: 'female', familyName: 'Maasikas', isAdult: true },
			document: { type: null, number: 'AB0123456', issuingCountry: 'EE', validUntil: '2030-01-01' },
		});
		expect(checkClaims(current)).toMatchObject({ by: 'eeid', matched: true });
	});

	it('reports a completion by another person as failed, with eeID\'s explanation', () => {
		const mismatched: EeIdIdentificationRequest = {
			...current,
			claims_matched: false,
			mismatched_claims: { sub: { expected: 'EE60001019906', actual: 'EE38001085718' } },
			claims_comparison_errors: ['Sub does not match'],
		};
		const identity = normalizeEeIdRequest(mismatched);
		expect(identity).toMatchObject({ status: 'failed', verified: false, reason: 'Sub does not match' });
		expect(checkClaims(mismatched)).toEqual({
			by: 'eeid',
			matched: false,
			mismatchedClaims: { sub: { expected: 'EE60001019906', actual: 'EE38001085718' } },
			errors: ['Sub does not match'],
		});
	});

	it('explains a mismatch from mismatched_claims when eeID gives no errors', () => {
		const identity = normalizeEeIdRequest({
			...current,
			claims_matched: false,
			mismatched_claims: { birthdate: { expected: '2000-01-02', actual: '2000-01-01' } },
			claims_comparison_errors: null,
		});
		expect(identity.reason).toBe('birthdate: expected "2000-01-02", got "2000-01-01"');
	});

	describe('an older answer without claims_matched: the node compares', () => {
		const older = (claims: EeIdIdentificationRequest['claims_required'], result: Record<string, unknown>) =>
			({ ...documented, claims_required: claims, result }) as EeIdIdentificationRequest;

		it('matches names case- and accent-insensitively against given + family name', () => {
			const request = older(
				[
					{ type: 'sub', value: 'EE60001019906' },
					{ type: 'name', value: 'MARI-LIIS MÄNNIK' },
					{ type: 'birthdate', value: '2000-01-01' },
					{ type: 'country', value: 'EE' },
				],
				{ sub: 'EE60001019906', given_name: 'Mari-Liis', last_name: 'Mannik', birthdate: '2000-01-01', country: 'EE' },
			);
			expect(checkClaims(request)).toEqual({ by: 'node', matched: true, mismatchedClaims: {}, errors: [] });
			expect(normalizeEeIdRequest(request).status).toBe('verified');
		});

		it('fails another personal code and says which claim did not match', () => {
			const request = older([{ type: 'sub', value: 'EE60001019906' }], { sub: 'EE38001085718', given_name: 'Jaan', last_name: 'Tamm' });
			expect(normalizeEeIdRequest(request)).toMatchObject({
				status: 'failed',
				verified: false,
				reason: 'The sub claim does not match: expected "EE60001019906", got "EE38001085718"',
			});
			expect(checkClaims(request).mismatchedClaims).toEqual({ sub: { expected: 'EE60001019906', actual: 'EE38001085718' } });
		});

		it('does not count a claim the result cannot confirm', () => {
			const request = older(
				[
					{ type: 'sub', value: 'EE60001019906' },
					{ type: 'country', value: 'EE' },
				],
				{ sub: 'EE60001019906' },
			);
			expect(normalizeEeIdRequest(request)).toMatchObject({
				status: 'failed',
				reason: 'The country claim could not be checked: the result does not state it',
			});
		});
	});

	it.each([
		['pending', 'pending', null],
		['expired', 'expired', 'The link expired before the person identified'],
	])('maps status %s to %s', (status, expected, reason) => {
		const identity = normalizeEeIdRequest({ ...documented, status, completed_at: null, result: {} });
		expect(identity).toMatchObject({ status: expected, verified: false, reason, completedAt: null });
		expect(identity.person.subjectId).toBeNull();
		expect(identity.person.isAdult).toBeNull();
		expect(checkClaims({ ...documented, status })).toEqual({ by: null, matched: null, mismatchedClaims: {}, errors: [] });
	});

	it('does not guess an unknown status: review, with the value as the reason', () => {
		const identity = normalizeEeIdRequest({ ...documented, status: 'under_investigation' });
		expect(identity).toMatchObject({
			status: 'review',
			verified: false,
			reason: 'eeID reported the unknown status "under_investigation"',
		});
	});
});
