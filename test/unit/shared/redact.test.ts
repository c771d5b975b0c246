import { isSecretFieldName, redactSecrets, redactValue } from '../../../nodes/shared/redact';

describe('redactSecrets', () => {
	it('replaces each given secret wherever it appears', () => {
		expect(redactSecrets('key s3cr3t-value used twice: s3cr3t-value', ['s3cr3t-value'])).toBe(
			'key [redacted] used twice: [redacted]',
		);
	});

	it('also finds a secret URL-encoded or JSON-escaped', () => {
		const secret = 'p@ss/w"rd+1';
		expect(redactSecrets(`?pw=${encodeURIComponent(secret)}`, [secret])).toBe('?pw=[redacted]');
		expect(redactSecrets(JSON.stringify({ note: secret }), [secret])).toBe('{"note":"[redacted]"}');
	});

	it('ignores missing secrets and ones too short to be told apart from ordinary text', () => {
		expect(redactSecrets('abc is not secret', [undefined, null, '', 'abc'])).toBe('abc is not secret');
	});

	it('removes the longer of two overlapping secrets whole', () => {
		expect(redactSecrets('token abcdef123456', ['abcd', 'abcdef123456'])).toBe('token [redacted]');
	});

	it('redacts Bearer and Basic credentials', () => {
		expect(redactSecrets('sent Bearer eyAbc.def-ghi_jkl and Basic dXNlcjpwYXNz==')).toBe(
			'sent Bearer [redacted] and Basic [redacted]',
		);
	});

	it('leaves prose about auth schemes readable', () => {
		expect(redactSecrets('Use basic auth or a bearer token')).toBe('Use basic auth or a bearer token');
	});

	it('redacts a whole Authorization header line', () => {
		expect(redactSecrets('Authorization: Bearer abc.def.ghi')).toBe('Authorization: [redacted]');
	});

	it('redacts JWTs without a scheme in front', () => {
		const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
		expect(redactSecrets(`token was ${jwt}.`)).toBe('token was [redacted].');
	});

	it.each([
		['{"password":"hunter22"}', '{"password":"[redacted]"}'],
		['{"token": "abc", "service": "login"}', '{"token": "[redacted]", "service": "login"}'],
		['{"access_token":"x1","token_type":"Bearer"}', '{"access_token":"[redacted]","token_type":"Bearer"}'],
		['{"client_secret":"a\\"b"}', '{"client_secret":"[redacted]"}'],
		['{"key_secret":"k"}', '{"key_secret":"[redacted]"}'],
		['{"clientSecret":"k","keySecret":"j"}', '{"clientSecret":"[redacted]","keySecret":"[redacted]"}'],
		['{ authorization: \'Basic abc\' }', "{ authorization: '[redacted]' }"],
		['grant_type=client_credentials&client_secret=xyz&scope=a', 'grant_type=client_credentials&client_secret=[redacted]&scope=a'],
		['https://x.test/cb?token=abc123&state=s', 'https://x.test/cb?token=[redacted]&state=s'],
		['error: token=abc123', 'error: token=[redacted]'],
		['secret = shh', 'secret = [redacted]'],
	])('redacts the value of secret-named fields: %s', (input, expected) => {
		expect(redactSecrets(input)).toBe(expected);
	});

	it('redacts a field cleanly when its value was already a known secret', () => {
		expect(redactSecrets('client_secret=abc123 and Authorization: Bearer tok-456', ['abc123', 'tok-456'])).toBe(
			'client_secret=[redacted] and Authorization: [redacted]',
		);
	});

	it('leaves fields with ordinary names alone', () => {
		const text = '{"transactionToken":"tx-1","token_type":"Bearer","error":"invalid"}';
		expect(redactSecrets(text)).toBe('{"transactionToken":"tx-1","token_type":"Bearer","error":"invalid"}');
	});
});

describe('redactValue', () => {
	it('returns a deep copy with secret-named fields blanked and strings redacted', () => {
		const input = {
			id: 'req-1',
			clientSecret: 'cs',
			nested: [{ token: { any: 'shape' }, note: 'Bearer abc.def.ghi', ok: 1, flag: true, none: null }],
			message: 'leaked my-secret-value',
		};

		const output = redactValue(input, ['my-secret-value']);

		expect(output).toEqual({
			id: 'req-1',
			clientSecret: '[redacted]',
			nested: [{ token: '[redacted]', note: 'Bearer [redacted]', ok: 1, flag: true, none: null }],
			message: 'leaked [redacted]',
		});
		expect(input.clientSecret).toBe('cs');
	});

	it('keeps empty secret fields as they are', () => {
		expect(redactValue({ password: null, token: undefined })).toEqual({ password: null, token: undefined });
	});

	it('survives circular data', () => {
		const input: Record<string, unknown> = { name: 'loop' };
		input.self = input;

		expect(redactValue(input)).toEqual({ name: 'loop', self: '[circular]' });
	});
});

describe('isSecretFieldName', () => {
	it.each(['password', 'Authorization', 'access_token', 'client-secret', 'KeySecret', 'apiKey', 'x-api-key'])(
		'%s is secret',
		(name) => expect(isSecretFieldName(name)).toBe(true),
	);

	it.each(['transactionToken', 'token_type', 'keyId', 'clientId', 'reference'])('%s is not', (name) =>
		expect(isSecretFieldName(name)).toBe(false),
	);
});
