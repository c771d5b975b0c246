import {
	checkLocale,
	checkPhoneNumber,
	checkRedirectUrl,
	checkReference,
	checkScopes,
	checkTransactionToken,
} from '../../../nodes/CmItsme/validation';

describe('itsme input checks', () => {
	it('canonicalises redirect URLs', () => {
		expect(checkRedirectUrl(' https://exämple.be/retour?x=a b ')).toBe('https://xn--exmple-cua.be/retour?x=a%20b');
		expect(checkRedirectUrl('http://localhost:5678/webhook-waiting/12')).toBe('http://localhost:5678/webhook-waiting/12');
		expect(() => checkRedirectUrl('javascript:alert(1)')).toThrow(
			'The redirect URL "javascript:alert(1)" is not an absolute http or https URL',
		);
	});

	it('takes E.164 phone numbers, tolerating separators and 00, refusing national numbers', () => {
		expect(checkPhoneNumber('+32 (0)471 23.45.67')).toBe('+32471234567');
		expect(checkPhoneNumber('0032471234567')).toBe('+32471234567');
		expect(checkPhoneNumber(' 32471234567')).toBe('+32471234567');
		expect(checkPhoneNumber('')).toBeUndefined();
		expect(() => checkPhoneNumber('0471234567')).toThrow('The phone number "0471234567" is not in E.164 format');
	});

	it('takes locales in any case, scopes once each in the documented order', () => {
		expect(checkLocale('NL')).toBe('nl');
		expect(checkLocale(undefined)).toBeUndefined();
		expect(checkScopes(['address', 'profile', 'address'])).toEqual(['profile', 'address']);
		expect(() => checkScopes('email')).toThrow('The scopes "email" are not ones itsme offers');
	});

	it('refuses transaction tokens that would reach another path', () => {
		expect(checkTransactionToken(' abc123 ')).toBe('abc123');
		expect(() => checkTransactionToken('a?b')).toThrow('"a?b" is not a transaction token');
	});

	it('keeps references short and printable', () => {
		expect(checkReference(' order-1 ')).toBe('order-1');
		expect(checkReference('')).toBeNull();
		expect(() => checkReference('a\nb')).toThrow('The reference is longer than 200 characters or holds control characters');
	});
});
