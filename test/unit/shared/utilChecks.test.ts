import {
	baseUrlExpression,
	firstText,
	headerValue,
	isEmailAddress,
	isJsonObject,
	isUuid,
	messageOf,
	parseJson,
	valueByName,
} from '../../../nodes/shared/util';

describe('isJsonObject', () => {
	it.each([{}, { a: 1 }, Object.create(null)])('accepts %p', (value) => {
		expect(isJsonObject(value)).toBe(true);
	});

	it.each([[], [{}], null, undefined, 'x', 1])('refuses %p', (value) => {
		expect(isJsonObject(value)).toBe(false);
	});
});

describe('parseJson', () => {
	it.each([
		['{"a":1}', { a: 1 }],
		['[1,2]', [1, 2]],
		['null', null],
		['"x"', 'x'],
		[' 5 ', 5],
	])('%s → its value', (text, expected) => {
		expect(parseJson(text)).toEqual(expected);
	});

	it.each(['', '{', 'undefined', "{'a':1}", 'x'])('%j → undefined', (text) => {
		expect(parseJson(text)).toBeUndefined();
	});
});

describe('messageOf', () => {
	it('gives an error’s message, or any object’s', () => {
		expect(messageOf(new TypeError('broken'))).toBe('broken');
		expect(messageOf({ message: 'said so' })).toBe('said so');
	});

	it('gives anything else as text', () => {
		expect(messageOf('plain')).toBe('plain');
		expect(messageOf(42)).toBe('42');
		expect(messageOf(undefined)).toBe('undefined');
		expect(messageOf({ message: 7 })).toBe('[object Object]');
	});
});

describe('valueByName', () => {
	const query = { orderID: '42', Kind: ['OnFinal', 'OnError'] };

	it('finds a value whatever the case of its name', () => {
		expect(valueByName(query, 'orderId')).toBe('42');
		expect(valueByName(query, 'kind')).toEqual(['OnFinal', 'OnError']);
		expect(valueByName(query, 'ref')).toBeUndefined();
	});

	it('is what headerValue does', () => {
		expect(headerValue(query, 'ORDERID')).toBe(valueByName(query, 'ORDERID'));
	});

	it('finds nothing in what is no map', () => {
		expect(valueByName(undefined, 'a')).toBeUndefined();
		expect(valueByName('a=b', 'a')).toBeUndefined();
	});
});

describe('firstText', () => {
	it.each([
		['x', 'x'],
		['', ''],
		[['first', 'second'], 'first'],
		[[' spaced '], ' spaced '],
	])('%j → %j', (value, expected) => {
		expect(firstText(value)).toBe(expected);
	});

	it.each([undefined, null, 5, [], [5, 'x'], { 0: 'x' }])('%j → undefined', (value) => {
		expect(firstText(value)).toBeUndefined();
	});
});

describe('isUuid', () => {
	it.each(['497f6eca-6276-4993-bfeb-53cbbbba6f08', '1F7D7D18-3B0E-4322-8919-49E51D40C38B'])('accepts %s', (value) => {
		expect(isUuid(value)).toBe(true);
	});

	it.each(['', '497f6eca62764993bfeb53cbbbba6f08', '497f6eca-6276-4993-bfeb-53cbbbba6f0', ' 497f6eca-6276-4993-bfeb-53cbbbba6f08', 'g97f6eca-6276-4993-bfeb-53cbbbba6f08'])(
		'refuses %j',
		(value) => {
			expect(isUuid(value)).toBe(false);
		},
	);
});

describe('isEmailAddress', () => {
	it.each(['andre@example.com', 'e.mustermann@mail.example.de', 'a+b@c.io'])('accepts %s', (value) => {
		expect(isEmailAddress(value)).toBe(true);
	});

	it.each(['', 'andre', 'andre@example', '@example.com', 'an dre@example.com', 'a@b@c.com'])('refuses %j', (value) => {
		expect(isEmailAddress(value)).toBe(false);
	});
});

describe('baseUrlExpression', () => {
	it('is an n8n expression taking the credential’s Base URL, trimmed and without trailing slashes, or the default', () => {
		expect(baseUrlExpression('https://api.example.com')).toBe(
			'={{ ($credentials.baseUrl || "https://api.example.com").trim().replace(/\\/+$/, "") }}',
		);
	});

	it('gives the configured URL without spaces and trailing slashes, or the default, when n8n evaluates it', () => {
		const expression = baseUrlExpression('https://api.example.com').slice(3, -2);
		// The same JavaScript n8n evaluates, with $credentials in scope.
		const evaluate = (baseUrl: string) => new Function('$credentials', `return ${expression};`)({ baseUrl }) as string;

		expect(evaluate('')).toBe('https://api.example.com');
		expect(evaluate(' http://127.0.0.1:8080/api// ')).toBe('http://127.0.0.1:8080/api');
	});
});
