import { InputError } from '../../../nodes/shared/errors';
import { assertRequestId, validateClaims } from '../../../nodes/EeId/validation';

function inputError(run: () => unknown): InputError {
	try {
		run();
	} catch (error) {
		if (error instanceof InputError) return error;
		throw error;
	}
	throw new Error('expected an InputError');
}

describe('eeID claim validation', () => {
	it('accepts the documented claim types', () => {
		expect(
			validateClaims([
				{ type: 'sub', value: 'EE30303039914' },
				{ type: 'name', value: ' OK TESTNUMBER ' },
				{ type: 'birthdate', value: '1903-03-03' },
				{ type: 'country', value: 'EE' },
			]),
		).toEqual([
			{ type: 'sub', value: 'EE30303039914' },
			{ type: 'name', value: 'OK TESTNUMBER' },
			{ type: 'birthdate', value: '1903-03-03' },
			{ type: 'country', value: 'EE' },
		]);
	});

	it.each([
		[[], 'No claim to check', 'Add at least a claim of type "Identification Number (Sub)"'],
		[
			[{ type: 'name', value: 'OK TESTNUMBER' }, { type: 'country', value: 'EE' }],
			'Claims required must include at least one claim of type "sub" with a non-empty value',
			'EE30303039914',
		],
		[[{ type: 'sub', value: '30303039914' }], 'Claim 1 (sub) "30303039914" lacks its two-letter country prefix', 'EE30303039914'],
		[[{ type: 'birthdate', value: '03.03.1903' }], 'Claim 1 (birthdate) "03.03.1903" is not a date in the form YYYY-MM-DD', 'YYYY-MM-DD'],
		[[{ type: 'birthdate', value: '1903-02-30' }], 'Claim 1 (birthdate) "1903-02-30" is not a date in the form YYYY-MM-DD', 'YYYY-MM-DD'],
		[[{ type: 'country', value: 'EST' }], 'Claim 1 (country) "EST" is not an ISO 3166-1 alpha-2 code', 'two capital letters'],
		[[{ type: 'sub', value: 'EE30303039914' }, { type: 'country', value: 'ee' }], 'Claim 2 (country) "ee" is not an ISO 3166-1 alpha-2 code', 'two capital letters'],
		[[{ type: 'email', value: 'a@b.c' }], 'Claim 1 has the unknown type "email"', 'sub, name, birthdate, country'],
		[[{ type: 'name', value: '  ' }], 'Claim 1 (name) has no value', 'Fill in the value'],
	])('refuses %j', (claims, message, fix) => {
		const error = inputError(() => validateClaims(claims));
		expect(error.message).toBe(message);
		expect(error.fix).toContain(fix);
	});

	it('refuses a malformed request id before any request', () => {
		expect(assertRequestId(' 497f6eca-6276-4993-bfeb-53cbbbba6f08 ')).toBe('497f6eca-6276-4993-bfeb-53cbbbba6f08');
		const error = inputError(() => assertRequestId('497f6eca-6276'));
		expect(error.message).toBe('"497f6eca-6276" is not an identification request ID');
	});
});
