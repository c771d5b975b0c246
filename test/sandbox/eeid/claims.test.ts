import {
	comparableName,
	compareClaims,
	EEID_REQUESTS_PATH,
	EeIdSimulator,
	OTHER_TEST_PERSONS,
	type EeIdClaim,
} from './index';
import { apiClient, START, SUB_CLAIM, useSimulator } from './testing';

const sandbox = useSimulator();
const { token, api, create, control } = apiClient(sandbox);
let eeid: EeIdSimulator;

beforeEach(() => {
	eeid = sandbox.eeid;
});

const JAAN: EeIdClaim[] = [
	{ type: 'sub', value: 'EE38001085718' },
	{ type: 'name', value: 'Jaan Tamm' },
	{ type: 'birthdate', value: '1980-01-08' },
	{ type: 'country', value: 'EE' },
];

describe('claims comparison', () => {
	const matching = { sub: 'EE38001085718', given_name: 'Jaan', family_name: 'Tamm', date_of_birth: '1980-01-08' };

	it('matches sub exactly, birthdate against date_of_birth, country against the sub prefix, name against given + family', () => {
		expect(compareClaims(JAAN, matching)).toEqual({ claims_matched: true, mismatched_claims: {}, claims_comparison_errors: [] });
	});

	it('reports each mismatched claim with expected and actual values and a readable error', () => {
		const other = { sub: 'EE60001019906', given_name: 'Mari', family_name: 'Maasikas', date_of_birth: '2000-01-01', country: 'LV' };
		expect(compareClaims(JAAN, other)).toEqual({
			claims_matched: false,
			mismatched_claims: {
				sub: { expected: 'EE38001085718', actual: 'EE60001019906' },
				name: { expected: 'Jaan Tamm', actual: 'Mari Maasikas' },
				birthdate: { expected: '1980-01-08', actual: '2000-01-01' },
				country: { expected: 'EE', actual: 'LV' },
			},
			claims_comparison_errors: [
				'Claim "sub" does not match: expected "EE38001085718", got "EE60001019906"',
				'Claim "name" does not match: expected "Jaan Tamm", got "Mari Maasikas"',
				'Claim "birthdate" does not match: expected "1980-01-08", got "2000-01-01"',
				'Claim "country" does not match: expected "EE", got "LV"',
			],
		});
	});

	it('compares names case- and accent-insensitively, and nothing else so', () => {
		const claims: EeIdClaim[] = [{ type: 'name', value: 'Mary Änn O’Connež-Šuslik Testnumber' }];
		expect(compareClaims(claims, { given_name: 'MARY ÄNN', family_name: 'O’CONNEŽ-ŠUSLIK TESTNUMBER' }).claims_matched).toBe(true);
		expect(compareClaims(claims, { given_name: 'mary ann', family_name: 'o’connez-suslik  testnumber' }).claims_matched).toBe(true);
		expect(compareClaims(claims, { given_name: 'Mary Ann', family_name: 'OConnez-Suslik Testnumber' }).claims_matched).toBe(false);
		expect(comparableName(' Jõeorg  JAAK-Kristjan ')).toBe('joeorg jaak-kristjan');
		expect(compareClaims([{ type: 'sub', value: 'EE38001085718' }], { sub: 'ee38001085718' }).claims_matched).toBe(false);
	});

	it('reads the older result keys too, and says when the result lacks a value', () => {
		const older = { sub: 'EE38001085718', given_name: 'JAAN', last_name: 'TAMM', birthdate: '1980-01-08' };
		expect(compareClaims(JAAN, older).claims_matched).toBe(true);
		expect(compareClaims([{ type: 'birthdate', value: '1980-01-08' }], { sub: 'EE38001085718' })).toEqual({
			claims_matched: false,
			mismatched_claims: { birthdate: { expected: '1980-01-08', actual: null } },
			claims_comparison_errors: ['Claim "birthdate" does not match: expected "1980-01-08", but the result has none'],
		});
	});

	it('compares country with result.country when a document-based identification states it', () => {
		expect(compareClaims([{ type: 'country', value: 'LV' }], { sub: 'EE38001085718', country: 'LV' }).claims_matched).toBe(true);
	});

	it('skips blank claims', () => {
		expect(compareClaims([SUB_CLAIM, { type: 'name', value: ' ' }], { sub: SUB_CLAIM.value }).claims_matched).toBe(true);
	});
});

describe('completion', () => {
	it('completes as the expected person derived from claims_required: current result keys, claims matched', async () => {
		const created = await create(await token(), { claims_required: [SUB_CLAIM, { type: 'name', value: 'Mari-Liis Männik' }] });
		eeid.clock.advance(60_000);
		const { request, webhooks } = await eeid.completeRequest(created.id);
		expect(webhooks).toEqual([]);
		expect(request).toMatchObject({
			status: 'completed',
			completed_at: '2025-03-01T09:31:00Z',
			claims_matched: true,
			mismatched_claims: {},
			claims_comparison_errors: [],
		});
		const authTime = (START + 60_000) / 1000;
		expect(request.result).toEqual({
			acr: 'high',
			sub: 'EE38001085718',
			auth_time: authTime,
			given_name: 'Mari-Liis',
			family_name: 'Männik',
			date_of_birth: '1980-01-08',
			expiration_time: authTime + 5 * 365 * 24 * 3600,
			authentication_type: 'SMART_ID',
		});
		expect(Object.keys(request.result)).toEqual([
			'acr',
			'sub',
			'auth_time',
			'given_name',
			'family_name',
			'date_of_birth',
			'expiration_time',
			'authentication_type',
		]);
	});

	it('falls back to the test identity for what the claims leave open', async () => {
		const byCountry = eeid.createRequestDirect({ claims_required: [{ type: 'country', value: 'LV' }] });
		expect((await eeid.completeRequest(byCountry.id)).request).toMatchObject({
			result: { sub: 'LV30303039914', given_name: 'OK', family_name: 'TESTNUMBER', date_of_birth: '1903-03-03' },
			claims_matched: true,
		});
	});

	it('takes a given result as is, and compares it', async () => {
		const older = eeid.createRequestDirect({ claims_required: [SUB_CLAIM] });
		const result = { sub: 'EE30303039914', given_name: 'OK', last_name: 'TESTNUMBER' };
		const { request } = await eeid.completeRequest(older.id, result);
		expect(request.result).toEqual(result);
		expect(request).toMatchObject({ claims_matched: false, mismatched_claims: { sub: { expected: 'EE38001085718', actual: 'EE30303039914' } } });
	});

	it('completes as another test person: still completed, claims_matched false with the mismatches', async () => {
		const accessToken = await token();
		const created = await create(accessToken, { claims_required: JAAN });
		const { request } = await eeid.completeRequestAs(created.id, 'other');
		const mary = OTHER_TEST_PERSONS[0];
		expect(request).toMatchObject({
			status: 'completed',
			result: { sub: mary.sub, given_name: mary.givenName, family_name: mary.familyName, date_of_birth: mary.dateOfBirth, authentication_type: 'MOBILE_ID' },
			claims_matched: false,
			mismatched_claims: {
				sub: { expected: 'EE38001085718', actual: 'EE60001019906' },
				name: { expected: 'Jaan Tamm', actual: 'MARY ÄNN O’CONNEŽ-ŠUSLIK TESTNUMBER' },
				birthdate: { expected: '1980-01-08', actual: '2000-01-01' },
			},
		});
		expect(request.claims_comparison_errors).toHaveLength(3);
		// Country EE is the other person's too: only what differs is reported.
		expect(request.mismatched_claims).not.toHaveProperty('country');
		// The API serves the same verdict.
		expect((await api(`${EEID_REQUESTS_PATH}/${created.id}`, accessToken)).body).toMatchObject({ claims_matched: false });
	});

	it('picks another person than the expected one, whoever that is', async () => {
		const created = eeid.createRequestDirect({ claims_required: [{ type: 'sub', value: OTHER_TEST_PERSONS[0].sub }] });
		const { request } = await eeid.completeRequestAs(created.id, 'other');
		expect(request.result.sub).toBe(OTHER_TEST_PERSONS[1].sub);
		expect(request.claims_matched).toBe(false);
	});

	it('completes with single fields changed, e.g. only the name, accent-insensitively matched or not', async () => {
		const accents = eeid.createRequestDirect({ claims_required: [SUB_CLAIM, { type: 'name', value: 'Jaak-Kristjan Jõeorg' }] });
		expect((await eeid.completeRequestAs(accents.id, { givenName: 'JAAK-KRISTJAN', familyName: 'JOEORG' })).request.claims_matched).toBe(true);
		const renamed = eeid.createRequestDirect({ claims_required: [SUB_CLAIM, { type: 'name', value: 'Jaan Tamm' }] });
		const { request } = await eeid.completeRequestAs(renamed.id, { familyName: 'Kask' });
		expect(request).toMatchObject({ claims_matched: false, mismatched_claims: { name: { expected: 'Jaan Tamm', actual: 'Jaan Kask' } } });
		expect(Object.keys(request.mismatched_claims!)).toEqual(['name']);
	});

	it('adds country, id_number and document_number for a document-based identification', async () => {
		const created = eeid.createRequestDirect({ claims_required: [SUB_CLAIM, { type: 'country', value: 'EE' }] });
		const { request } = await eeid.completeRequestAs(created.id, { documentNumber: 'AB0123456', authenticationType: 'ID_CARD' });
		expect(request.result).toMatchObject({ country: 'EE', id_number: '38001085718', document_number: 'AB0123456', authentication_type: 'ID_CARD' });
		expect(request.claims_matched).toBe(true);
	});

	it('refuses to complete or expire a request twice', async () => {
		const created = eeid.createRequestDirect({ claims_required: [SUB_CLAIM] });
		await eeid.completeRequest(created.id);
		await expect(eeid.completeRequest(created.id)).rejects.toThrow('is completed, not pending');
		await expect(eeid.completeRequestAs(created.id, 'other')).rejects.toThrow('is completed, not pending');
		expect(() => eeid.expireRequest(created.id)).toThrow('is completed, not pending');
		await expect(eeid.completeRequest('497f6eca-6276-4993-bfeb-53cbbbba6f08')).rejects.toThrow('no identification request');
	});

	it('completes as another person through the control', async () => {
		const { id } = eeid.createRequestDirect({ claims_required: JAAN });
		const answer = await control('POST', `/requests/${id}/complete`, { as: 'other' });
		expect(answer).toMatchObject({ status: 200, body: { request: { status: 'completed', claims_matched: false } } });
		const partial = eeid.createRequestDirect({ claims_required: JAAN }).id;
		expect((await control('POST', `/requests/${partial}/complete`, { as: { dateOfBirth: '1980-01-09' } })).body.request.mismatched_claims).toEqual({
			birthdate: { expected: '1980-01-08', actual: '1980-01-09' },
		});
		const pending = eeid.createRequestDirect({ claims_required: JAAN }).id;
		expect((await control('POST', `/requests/${pending}/complete`, { as: 'someone' })).status).toBe(400);
		expect((await control('POST', `/requests/${pending}/complete`, { as: { nickname: 'x' } })).body.error).toContain('unknown person field "nickname"');
		expect((await control('POST', `/requests/${pending}/complete`, { as: { dateOfBirth: '8.1.1980' } })).status).toBe(400);
		expect((await control('POST', `/requests/${pending}/complete`, { as: 'other', result: {} })).status).toBe(400);
	});
});

describe('older answer shapes', () => {
	async function completedJaan() {
		const accessToken = await token();
		const created = await create(accessToken, { claims_required: JAAN.slice(0, 3) });
		await eeid.completeRequestAs(created.id, { givenName: 'Jaan', familyName: 'Tamm' });
		return (await api(`${EEID_REQUESTS_PATH}/${created.id}`, accessToken)).body;
	}

	it('serves last_name instead of family_name', async () => {
		eeid.configure({ familyNameKey: 'last_name' });
		const { result } = await completedJaan();
		expect(result).toMatchObject({ given_name: 'Jaan', last_name: 'Tamm', date_of_birth: '1980-01-08' });
		expect(result).not.toHaveProperty('family_name');
	});

	it('serves birthdate instead of date_of_birth', async () => {
		eeid.configure({ birthDateKey: 'birthdate' });
		const { result } = await completedJaan();
		expect(result).toMatchObject({ family_name: 'Tamm', birthdate: '1980-01-08' });
		expect(result).not.toHaveProperty('date_of_birth');
		// Key order stays as eeID lists it.
		expect(Object.keys(result).indexOf('birthdate')).toBe(5);
	});

	it('leaves the claims comparison out entirely', async () => {
		eeid.configure({ claimsComparison: false });
		const answer = await completedJaan();
		expect(answer.status).toBe('completed');
		for (const field of ['claims_matched', 'mismatched_claims', 'claims_comparison_errors']) expect(answer).not.toHaveProperty(field);
		const listed = await api(EEID_REQUESTS_PATH, await token());
		expect(listed.body.items[0]).not.toHaveProperty('claims_matched');
		// Switched back on, the verdict made at completion is there again.
		eeid.configure({ claimsComparison: true });
		expect(eeid.identificationRequest(answer.id).claims_matched).toBe(true);
	});

	it('switches through the settings control, which validates and answers every setting', async () => {
		const answer = await control('PUT', '/settings', { familyNameKey: 'last_name', birthDateKey: 'birthdate', claimsComparison: false });
		expect(answer).toEqual({
			status: 200,
			body: {
				pageBase: 1,
				proofPaddingBytes: 0,
				familyNameKey: 'last_name',
				birthDateKey: 'birthdate',
				claimsComparison: false,
				uniqueReferences: false,
				webhookTimeoutMs: 10_000,
			},
		});
		expect((await control('GET', '/settings')).body).toEqual(answer.body);
		const { result, ...rest } = await completedJaan();
		expect(Object.keys(result)).toEqual(['acr', 'sub', 'auth_time', 'given_name', 'last_name', 'birthdate', 'expiration_time', 'authentication_type']);
		expect(rest).not.toHaveProperty('claims_matched');
		expect((await control('PUT', '/settings', { familyNameKey: 'surname' })).body).toEqual({ error: 'familyNameKey must be "family_name" or "last_name"' });
		expect((await control('PUT', '/settings', { claimsComparison: 'no' })).status).toBe(400);
		expect((await control('PUT', '/settings', { colour: 'red' })).body.error).toContain('unknown setting "colour"');
	});

	it('can start in an older shape; bad options are refused', async () => {
		const older = new EeIdSimulator({ familyNameKey: 'last_name', birthDateKey: 'birthdate', claimsComparison: false });
		const { id } = older.createRequestDirect({ claims_required: [SUB_CLAIM] });
		const { request } = await older.completeRequest(id);
		expect(request.result).toMatchObject({ last_name: 'TESTNUMBER', birthdate: '1980-01-08' });
		expect(request).not.toHaveProperty('claims_matched');
		expect(() => new EeIdSimulator({ birthDateKey: 'dob' as never })).toThrow('birthDateKey must be');
	});
});
