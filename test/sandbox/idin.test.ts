import { createHmac } from 'node:crypto';

import { jsonResponse, SandboxClock, SandboxServer } from './framework';
import {
	IDIN_API_PREFIX,
	IDIN_CLOCK_SKEW_SECONDS,
	IDIN_GROUP_LIFETIME_MS,
	IDIN_SECOND_KEY,
	IDIN_TEST_KEY,
	IdinSimulator,
	idinEntry,
	mintIdinToken,
	type IdinEvent,
} from './idin';

const START = Date.UTC(2025, 2, 1, 9, 30, 0);
const START_ATOM = '2025-03-01T09:30:00+00:00';
/** The document's example token, minted with IDIN_TEST_KEY at iat = nbf = 1546300800, exp 60 s later. */
const DOC_TOKEN =
	'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IjNiNDM4NDM3LTA0YTQtNDBiYi04Mzg5LTU0YmIwMjc2NmZiYSJ9.' +
	'eyJpYXQiOjE1NDYzMDA4MDAsIm5iZiI6MTU0NjMwMDgwMCwiZXhwIjoxNTQ2MzAwODYwfQ.' +
	'bwqCUHS1d5d8guAPHDsdd9-a8oXxH1q45O0tDP1asTo';
const DOC_IAT = 1546300800;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UNKNOWN_ID = '497f6eca-6276-4993-bfeb-53cbbbba6f08';
const ALL_ATTRIBUTES = {
	identity: true,
	name: true,
	address: true,
	'18y_or_older': true,
	date_of_birth: true,
	gender: true,
	telephone_number: true,
	email_address: true,
};
/** The document's request body, `"name": "true"` string and all. */
const DOC_PERSON = {
	name: 'Andre van Dijk',
	email_address: 'andre@example.com',
	attributes: {
		identity: false,
		name: 'true',
		address: false,
		'18y_or_older': false,
		date_of_birth: false,
		gender: false,
		telephone_number: false,
		email_address: false,
	},
};
const HOOK_PATH = '/webhook/idin';

let idin: IdinSimulator;
let base: string;

beforeEach(async () => {
	idin = new IdinSimulator({ clock: new SandboxClock({ startMs: START }) });
	base = await idin.start();
});

afterEach(() => idin.stop());

interface Answer {
	status: number;
	headers: Headers;
	body: any;
}

async function call(url: string, init: { method?: string; body?: unknown; headers?: Record<string, string> }) {
	const answer = await fetch(url, {
		method: init.method ?? 'GET',
		headers: { 'content-type': 'application/json', ...init.headers },
		body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
	});
	const text = await answer.text();
	return { status: answer.status, headers: answer.headers, body: text ? JSON.parse(text) : undefined } as Answer;
}

/** An API call; `token` null sends no Authorization header. */
function api(path: string, init: { method?: string; body?: unknown; token?: string | null } = {}): Promise<Answer> {
	const token = init.token === undefined ? idin.tokenFor() : init.token;
	const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
	return call(`${base}${IDIN_API_PREFIX}${path}`, { ...init, headers });
}

function control(method: string, path: string, body?: unknown): Promise<Answer> {
	return call(`${base}/__sandbox/idin${path}`, { method, body });
}

async function created(answer: Promise<Answer>): Promise<any> {
	const { status, body } = await answer;
	expect({ status, body }).toMatchObject({ status: 201 });
	return body;
}

async function setup(attributes: Record<string, unknown> = ALL_ATTRIBUTES, token?: string) {
	const group = await created(api('/groups', { method: 'POST', body: { name: 'Company ABC' }, token }));
	const person = await created(
		api(`/groups/${group.id}/persons`, { method: 'POST', body: { ...DOC_PERSON, attributes }, token }),
	);
	const invite = await created(
		api(`/groups/${group.id}/persons/${person.id}/invites`, { method: 'POST', body: { email: true }, token }),
	);
	return { group, person, invite };
}

/** A token signed like a client would, with whatever header fields or secret a case needs. */
function sign(
	payload: Record<string, unknown>,
	options: { header?: Record<string, unknown>; secret?: string | Buffer } = {},
): string {
	const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const header = { alg: 'HS256', typ: 'JWT', kid: IDIN_TEST_KEY.keyId, ...options.header };
	const input = `${encode(header)}.${encode(payload)}`;
	const signature = createHmac('sha256', options.secret ?? IDIN_TEST_KEY.keySecret)
		.update(input)
		.digest('base64url');
	return `${input}.${signature}`;
}

function claimsAround(offsetSeconds = 0, lifetime = 60) {
	const iat = START / 1000 + offsetSeconds;
	return { iat, nbf: iat, exp: iat + lifetime };
}

async function bankPage(url: string, form?: Record<string, string>) {
	const answer = await fetch(url, {
		method: form ? 'POST' : 'GET',
		headers: form ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
		body: form ? new URLSearchParams(form).toString() : undefined,
	});
	return { status: answer.status, html: await answer.text() };
}

describe('authentication', () => {
	it('accepts the document token at its iat and mints exactly that token from the test vector', async () => {
		expect(mintIdinToken(IDIN_TEST_KEY, { iat: DOC_IAT, nbf: DOC_IAT, exp: DOC_IAT + 60 })).toBe(DOC_TOKEN);
		idin.clock.set(DOC_IAT * 1000);
		const answer = await api('/groups', { method: 'POST', body: { name: 'Company ABC' }, token: DOC_TOKEN });
		expect(answer.status).toBe(201);
		expect(answer.body.created_at).toBe('2019-01-01T00:00:00+00:00');
	});

	it(`allows ${IDIN_CLOCK_SKEW_SECONDS} s of clock skew around nbf and exp, no more`, async () => {
		idin.clock.set((DOC_IAT + 60 + IDIN_CLOCK_SKEW_SECONDS - 1) * 1000);
		expect((await api('/groups', { method: 'POST', body: { name: 'x' }, token: DOC_TOKEN })).status).toBe(201);
		idin.clock.advance(1000);
		const expired = await api('/groups', { method: 'POST', body: { name: 'x' }, token: DOC_TOKEN });
		expect(expired).toMatchObject({ status: 401, body: { code: 401, message: 'JWT has expired' } });
		idin.clock.set((DOC_IAT - IDIN_CLOCK_SKEW_SECONDS) * 1000);
		expect((await api('/groups', { method: 'POST', body: { name: 'x' }, token: DOC_TOKEN })).status).toBe(201);
		idin.clock.set((DOC_IAT - IDIN_CLOCK_SKEW_SECONDS - 1) * 1000);
		const early = await api('/groups', { method: 'POST', body: { name: 'x' }, token: DOC_TOKEN });
		expect(early.body.message).toBe('JWT iat is in the future (timestamps must be in seconds)');
	});

	const now = START / 1000;
	it.each([
		['a token not valid yet', sign({ ...claimsAround(), nbf: now + 31 }), 'JWT is not valid yet (nbf)'],
		['an expired token', sign(claimsAround(-200)), 'JWT has expired'],
		['milliseconds', sign({ iat: START, nbf: START, exp: START + 60_000 }), 'timestamps must be in seconds'],
		['a lifetime over an hour', sign(claimsAround(0, 3601)), 'lifetime'],
		['exp before iat', sign({ ...claimsAround(), exp: now - 1 }), 'lifetime'],
		['a missing exp', sign({ iat: now, nbf: now }), 'numeric iat, nbf and exp'],
		['string timestamps', sign({ iat: '1', nbf: '1', exp: '2' }), 'numeric iat, nbf and exp'],
		['an unknown kid', sign(claimsAround(), { header: { kid: UNKNOWN_ID } }), 'kid does not name a known key'],
		['no kid', sign(claimsAround(), { header: { kid: undefined } }), 'kid does not name a known key'],
		['a wrong signature', sign(claimsAround(), { secret: IDIN_SECOND_KEY.keySecret }), 'signature does not match'],
		[
			'the secret base64-decoded',
			sign(claimsAround(), { secret: Buffer.from(IDIN_TEST_KEY.keySecret, 'base64') }),
			'signature does not match',
		],
		[
			'the kid of the other key',
			sign(claimsAround(), { header: { kid: IDIN_SECOND_KEY.keyId } }),
			'signature does not match',
		],
		['alg none', `${sign(claimsAround(), { header: { alg: 'none' } }).replace(/[^.]+$/, '')}`, 'three base64url parts'],
		['alg none with a signature', sign(claimsAround(), { header: { alg: 'none' } }), 'alg must be HS256'],
		['alg HS512', sign(claimsAround(), { header: { alg: 'HS512' } }), 'alg must be HS256'],
		['typ other than JWT', sign(claimsAround(), { header: { typ: 'at+jwt' } }), 'typ must be JWT'],
		['two parts', 'abc.def', 'three base64url parts'],
		['padding', `${sign(claimsAround())}=`, 'three base64url parts'],
		['a header that is not JSON', `${Buffer.from('nope').toString('base64url')}.e30.c2ln`, 'header is not a JSON object'],
	])('refuses %s with 401 {code, message}', async (_case, token, message) => {
		const answer = await api('/groups', { method: 'POST', body: { name: 'x' }, token });
		expect(answer.status).toBe(401);
		expect(answer.body).toEqual({ code: 401, message: expect.stringContaining(message) });
		expect(answer.headers.get('www-authenticate')).toBe('Bearer');
	});

	it.each([
		['no Authorization header', undefined],
		['a Basic scheme', `Basic ${Buffer.from('a:b').toString('base64')}`],
		['an empty Bearer', 'Bearer '],
	])('refuses %s', async (_case, authorization) => {
		const answer = await call(`${base}${IDIN_API_PREFIX}/groups`, {
			method: 'POST',
			body: { name: 'x' },
			headers: authorization === undefined ? {} : { authorization },
		});
		expect(answer).toMatchObject({ status: 401, body: { code: 401, message: expect.stringContaining('Bearer') } });
	});

	it('accepts a lower-case scheme, the second key and a token at the maximum lifetime', async () => {
		const group = await call(`${base}${IDIN_API_PREFIX}/groups`, {
			method: 'POST',
			body: { name: 'x' },
			headers: { authorization: `bearer ${idin.tokenFor(IDIN_SECOND_KEY.keyId)}` },
		});
		expect(group.status).toBe(201);
		const longest = sign(claimsAround(0, 3600));
		expect((await api('/groups', { method: 'POST', body: { name: 'x' }, token: longest })).status).toBe(201);
	});

	it('checks the token before the body', async () => {
		const answer = await api('/groups', { method: 'POST', body: '{not json', token: null });
		expect(answer.status).toBe(401);
	});
});

describe('endpoints', () => {
	it('creates a group: 201 with the document shape, expiring 31 days later', async () => {
		const answer = await api('/groups', { method: 'POST', body: { name: 'Company ABC' } });
		expect(answer.status).toBe(201);
		expect(Object.keys(answer.body)).toEqual(['id', 'name', 'status', 'expires_at', 'updated_at', 'created_at']);
		expect(answer.body).toEqual({
			id: expect.stringMatching(UUID),
			name: 'Company ABC',
			status: 'pending',
			expires_at: '2025-04-01T09:30:00+00:00',
			updated_at: START_ATOM,
			created_at: START_ATOM,
		});
		expect(Date.parse(answer.body.expires_at) - START).toBe(IDIN_GROUP_LIFETIME_MS);
	});

	it('adds a person: 201 echoing the attributes as sent, status and result null', async () => {
		const group = await created(api('/groups', { method: 'POST', body: { name: 'Company ABC' } }));
		idin.clock.advance(5000);
		const answer = await api(`/groups/${group.id}/persons`, { method: 'POST', body: DOC_PERSON });
		expect(answer.status).toBe(201);
		expect(Object.keys(answer.body)).toEqual([
			'id',
			'name',
			'email_address',
			'attributes',
			'redirect_url',
			'status',
			'result',
			'updated_at',
			'created_at',
		]);
		expect(answer.body).toEqual({
			id: expect.stringMatching(UUID),
			name: 'Andre van Dijk',
			email_address: 'andre@example.com',
			attributes: DOC_PERSON.attributes,
			redirect_url: null,
			status: null,
			result: null,
			updated_at: '2025-03-01T09:30:05+00:00',
			created_at: '2025-03-01T09:30:05+00:00',
		});
	});

	it('fills attributes left out as false and keeps a redirect_url', async () => {
		const group = await created(api('/groups', { method: 'POST', body: { name: 'g' } }));
		const person = await created(
			api(`/groups/${group.id}/persons`, {
				method: 'POST',
				body: { ...DOC_PERSON, attributes: { identity: true }, redirect_url: 'https://example.com/done' },
			}),
		);
		expect(person.attributes).toEqual({
			identity: true,
			name: false,
			address: false,
			'18y_or_older': false,
			date_of_birth: false,
			gender: false,
			telephone_number: false,
			email_address: false,
		});
		expect(person.redirect_url).toBe('https://example.com/done');
	});

	it('sends an invite: 201 with a URL on the sandbox, expiring with the group; e-mail only when asked', async () => {
		const group = await created(api('/groups', { method: 'POST', body: { name: 'Company ABC' } }));
		const person = await created(api(`/groups/${group.id}/persons`, { method: 'POST', body: DOC_PERSON }));
		const path = `/groups/${group.id}/persons/${person.id}/invites`;
		const mailed = await api(path, { method: 'POST', body: { email: true } });
		expect(mailed.status).toBe(201);
		expect(Object.keys(mailed.body)).toEqual(['id', 'url', 'email', 'expires_at', 'updated_at', 'created_at']);
		expect(mailed.body).toEqual({
			id: expect.stringMatching(UUID),
			url: expect.stringMatching(new RegExp(`^${base}/app/idin-invite/[A-Za-z0-9]{70}$`)),
			email: true,
			expires_at: group.expires_at,
			updated_at: START_ATOM,
			created_at: START_ATOM,
		});
		const silent = await created(api(path, { method: 'POST', body: { email: false } }));
		expect(silent.url).not.toBe(mailed.body.url);
		expect(idin.invitationEmails()).toEqual([
			{
				to: 'andre@example.com',
				personName: 'Andre van Dijk',
				groupName: 'Company ABC',
				url: mailed.body.url,
				inviteId: mailed.body.id,
				groupId: group.id,
				personId: person.id,
				sentAt: START_ATOM,
			},
		]);
	});

	it('retrieves a person in the document shape: no attributes, no redirect_url', async () => {
		const { group, person } = await setup();
		const answer = await api(`/groups/${group.id}/persons/${person.id}`);
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({
			id: person.id,
			name: 'Andre van Dijk',
			email_address: 'andre@example.com',
			status: null,
			result: null,
			updated_at: START_ATOM,
			created_at: START_ATOM,
		});
		expect(Object.keys(answer.body)).toEqual(['id', 'name', 'email_address', 'status', 'result', 'updated_at', 'created_at']);
	});

	it('answers 404 {code, message} for undocumented routes and methods', async () => {
		expect(await api('/groups')).toMatchObject({ status: 404, body: { code: 404, message: 'Not found' } });
		const { group } = await setup();
		expect((await api(`/groups/${group.id}`)).status).toBe(404);
		expect((await api(`/groups/${group.id}/persons`, { method: 'GET' })).status).toBe(404);
	});
});

describe('validation and ownership', () => {
	it.each([
		['malformed JSON', '{"name":', 'Malformed JSON body'],
		['an array', [], 'Request body must be a JSON object'],
		['no name', {}, 'name: must be a non-empty string'],
		['a blank name', { name: '  ' }, 'name: must be a non-empty string'],
		['a numeric name', { name: 42 }, 'name: must be a non-empty string'],
		['a name over 255 characters', { name: 'x'.repeat(256) }, 'name: at most 255 characters'],
	])('refuses a group with %s: 400', async (_case, body, message) => {
		const answer = await api('/groups', { method: 'POST', body });
		expect(answer).toEqual({ status: 400, headers: expect.anything(), body: { code: 400, message } });
	});

	it.each([
		['no email_address', { ...DOC_PERSON, email_address: undefined }, 'email_address: must be a non-empty string'],
		['a malformed email_address', { ...DOC_PERSON, email_address: 'andre' }, 'email_address: not a valid e-mail address'],
		['no attributes', { ...DOC_PERSON, attributes: undefined }, 'attributes: must be an object'],
		['an unknown attribute', { ...DOC_PERSON, attributes: { identity: true, bsn: true } }, 'attributes: unknown attribute bsn'],
		['a numeric attribute', { ...DOC_PERSON, attributes: { identity: 1 } }, 'attributes.identity: must be a boolean'],
		['a "yes" attribute', { ...DOC_PERSON, attributes: { identity: 'yes' } }, 'attributes.identity: must be a boolean'],
		['nothing requested', { ...DOC_PERSON, attributes: { identity: false, name: 'false' } }, 'request at least one'],
		['a relative redirect_url', { ...DOC_PERSON, redirect_url: '/done' }, 'redirect_url: must be an absolute'],
		['a javascript: redirect_url', { ...DOC_PERSON, redirect_url: 'javascript:alert(1)' }, 'redirect_url'],
	])('refuses a person with %s: 400', async (_case, body, message) => {
		const group = await created(api('/groups', { method: 'POST', body: { name: 'g' } }));
		const answer = await api(`/groups/${group.id}/persons`, { method: 'POST', body });
		expect(answer).toMatchObject({ status: 400, body: { code: 400, message: expect.stringContaining(message) } });
	});

	it.each([[{}], [{ email: 'true' }], [{ email: 1 }], [null]])('refuses the invite body %j: 400', async (body) => {
		const { group, person } = await setup();
		const answer = await api(`/groups/${group.id}/persons/${person.id}/invites`, { method: 'POST', body });
		expect(answer.status).toBe(400);
	});

	it('answers 404 for unknown, malformed and foreign ids alike', async () => {
		const { group, person } = await setup();
		const other = await setup();
		const personPath = (groupId: string, personId: string) => `/groups/${groupId}/persons/${personId}`;
		for (const path of [
			personPath(UNKNOWN_ID, person.id),
			personPath(group.id, UNKNOWN_ID),
			personPath('not-a-uuid', person.id),
			personPath(group.id, other.person.id),
		]) {
			expect(await api(path)).toMatchObject({ status: 404, body: { code: 404 } });
		}
		expect((await api(`/groups/${UNKNOWN_ID}/persons`, { method: 'POST', body: DOC_PERSON })).body).toEqual({
			code: 404,
			message: 'Group not found',
		});
	});

	it("hides one key's groups and persons from another key", async () => {
		const { group, person } = await setup();
		const second = idin.tokenFor(IDIN_SECOND_KEY.keyId);
		expect((await api(`/groups/${group.id}/persons/${person.id}`, { token: second })).status).toBe(404);
		expect((await api(`/groups/${group.id}/persons`, { method: 'POST', body: DOC_PERSON, token: second })).status).toBe(404);
		const invite = await api(`/groups/${group.id}/persons/${person.id}/invites`, {
			method: 'POST',
			body: { email: false },
			token: second,
		});
		expect(invite.status).toBe(404);
		expect(idin.inspectGroup(group.id).key_id).toBe(IDIN_TEST_KEY.keyId);
	});

	it('refuses with 409 what a finished identification or group no longer allows', async () => {
		const { group, person } = await setup();
		await idin.settlePerson(person.id, { status: 'success' });
		const again = await api(`/groups/${group.id}/persons/${person.id}/invites`, { method: 'POST', body: { email: true } });
		expect(again).toMatchObject({ status: 409, body: { code: 409, message: "The person's identification is already success" } });
		const more = await api(`/groups/${group.id}/persons`, { method: 'POST', body: DOC_PERSON });
		expect(more).toMatchObject({ status: 409, body: { message: 'Cannot add persons to a group that is completed' } });
		await expect(idin.settlePerson(person.id, { status: 'cancelled' })).rejects.toThrow('already success');
	});
});

describe('identification outcomes', () => {
	it('a success on the bank page fills the result in the document shape', async () => {
		const { group, person, invite } = await setup();
		const page = await bankPage(invite.url);
		expect(page.status).toBe(200);
		expect(page.html).toContain('Company ABC');
		expect(page.html).toContain('value="andre" checked');
		expect(page.html).toContain('name="withhold_telephone_number"');
		idin.clock.advance(60_000);
		const done = await bankPage(invite.url, { outcome: 'success', identity: 'andre' });
		expect(done).toMatchObject({ status: 200, html: expect.stringContaining('Identification success.') });
		const answer = await api(`/groups/${group.id}/persons/${person.id}`);
		expect(answer.body).toMatchObject({ status: 'success', updated_at: '2025-03-01T09:31:00+00:00', created_at: START_ATOM });
		expect(answer.body.result).toEqual({
			transaction_id: expect.stringMatching(/^[1-9]\d{15}$/),
			issuer_id: 'ABNANL2A',
			status: 'success',
			bin: expect.stringMatching(/^CMBANL9Z[A-Za-z0-9+/]{70}$/),
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
			email_address: 'andre.vandijk@example.com',
		});
		expect(Object.keys(answer.body.result)).toEqual([
			'transaction_id',
			'issuer_id',
			'status',
			'bin',
			'name',
			'address',
			'age',
			'telephone_number',
			'email_address',
		]);
		expect(idin.inspectGroup(group.id).status).toBe('completed');
	});

	it('gives only the requested attributes, whichever spelling requested them', async () => {
		const { person } = await setup({ name: 'true', gender: true, identity: 'false', '18y_or_older': true });
		const { person: settled } = await idin.settlePerson(person.id, { status: 'success' });
		expect(settled.result).toEqual({
			transaction_id: expect.any(String),
			issuer_id: 'ABNANL2A',
			status: 'success',
			name: { gender: 'male', initials: 'A', first_name: 'Andre', last_name: 'Dijk', last_name_prefix: 'van' },
			age: { '18y_or_older': true },
		});
	});

	it('puts a gender requested without a name inside name, as the document does', async () => {
		const { person } = await setup({ gender: true });
		expect((await idin.settlePerson(person.id, { status: 'success' })).person.result?.name).toEqual({ gender: 'male' });
	});

	it('keeps the BIN stable per identity and key, and different across keys', async () => {
		const bin = async (token?: string, identity = 'andre') => {
			const { person } = await setup({ identity: true }, token);
			return (await idin.settlePerson(person.id, { status: 'success', identity })).person.result?.bin;
		};
		const first = await bin();
		expect(await bin()).toBe(first);
		expect(await bin(undefined, 'jan')).not.toBe(first);
		expect(await bin(idin.tokenFor(IDIN_SECOND_KEY.keyId))).not.toBe(first);
	});

	it('lacks what the bank withholds or does not have on file', async () => {
		const { invite, person } = await setup();
		await bankPage(invite.url, { outcome: 'success', identity: 'andre', withhold_address: 'on', withhold_identity: 'on' });
		const result = idin.person(person.id).result as Record<string, unknown>;
		expect(result).not.toHaveProperty('address');
		expect(result).not.toHaveProperty('bin');
		expect(result).toHaveProperty('telephone_number');
		const jan = await setup();
		const janResult = (await idin.settlePerson(jan.person.id, { status: 'success', identity: 'jan' })).person.result;
		expect(janResult).toMatchObject({ issuer_id: 'RABONL2U', name: { first_name: 'Jan Pieter', last_name: 'Jansen' } });
		expect(janResult).not.toHaveProperty('telephone_number');
		expect(janResult).not.toHaveProperty('email_address');
		expect(janResult).not.toHaveProperty('name.last_name_prefix');
		expect(janResult).not.toHaveProperty('address.house_number_suffix');
	});

	it('judges 18y_or_older on the sandbox clock', async () => {
		const minor = await setup({ '18y_or_older': true });
		const now = await idin.settlePerson(minor.person.id, { status: 'success', identity: 'sanne' });
		expect(now.person.result?.age).toEqual({ '18y_or_older': false });
		idin.clock.set(Date.UTC(2030, 2, 14));
		const adult = await setup({ '18y_or_older': true });
		const later = await idin.settlePerson(adult.person.id, { status: 'success', identity: 'sanne' });
		expect(later.person.result?.age).toEqual({ '18y_or_older': true });
	});

	it.each([
		['Cancel', 'cancelled', 'declined'],
		['Fail at the bank', 'failure', 'declined'],
		['Let it expire', 'expired', 'expired'],
	] as const)('%s on the bank page: person %s with a bare transaction, group %s', async (_label, status, groupStatus) => {
		const { group, person, invite } = await setup();
		const done = await bankPage(invite.url, { outcome: status, identity: 'sanne' });
		expect(done.html).toContain(`Identification ${status}.`);
		const answer = await api(`/groups/${group.id}/persons/${person.id}`);
		expect(answer.body.status).toBe(status);
		expect(answer.body.result).toEqual({ transaction_id: expect.any(String), issuer_id: 'INGBNL2A', status });
		expect(idin.inspectGroup(group.id).status).toBe(groupStatus);
	});

	it('refuses a used, unknown or malformed invite on the bank page', async () => {
		const { invite } = await setup();
		expect((await bankPage(invite.url, { outcome: 'bogus' })).status).toBe(400);
		expect((await bankPage(invite.url, { outcome: 'success', identity: 'nobody' })).status).toBe(400);
		await bankPage(invite.url, { outcome: 'cancelled' });
		expect(await bankPage(invite.url)).toMatchObject({ status: 409, html: expect.stringContaining('already cancelled') });
		expect((await bankPage(invite.url, { outcome: 'success' })).status).toBe(409);
		expect((await bankPage(`${base}/app/idin-invite/nothing`)).status).toBe(404);
	});

	it('links back to the redirect_url after the bank', async () => {
		const group = idin.createGroupDirect({ name: 'g' });
		const person = idin.addPersonDirect(group.id, { ...DOC_PERSON, redirect_url: 'https://example.com/back?x=1&y=2' });
		const invite = idin.sendInviteDirect(group.id, person.id, { email: false });
		const done = await bankPage(invite.url, { outcome: 'success' });
		expect(done.html).toContain('href="https://example.com/back?x=1&#38;y=2"');
	});

	it('expires untried persons and the group when the sandbox clock passes expires_at', async () => {
		const { group, person, invite } = await setup();
		idin.clock.advance(IDIN_GROUP_LIFETIME_MS - 1);
		expect((await api(`/groups/${group.id}/persons/${person.id}`)).body.status).toBeNull();
		idin.clock.advance(1);
		const answer = await api(`/groups/${group.id}/persons/${person.id}`);
		expect(answer.body).toMatchObject({ status: 'expired', result: null, updated_at: group.expires_at });
		expect(idin.inspectGroup(group.id)).toMatchObject({ status: 'expired', updated_at: group.expires_at });
		expect(await bankPage(invite.url)).toMatchObject({ status: 410, html: expect.stringContaining('expired') });
		const late = await api(`/groups/${group.id}/persons`, { method: 'POST', body: DOC_PERSON });
		expect(late.status).toBe(409);
	});

	it('settles the group status once: a refusal declines, an expiry expires, all success completes', async () => {
		const group = idin.createGroupDirect({ name: 'g' });
		const [first, second, third] = [1, 2, 3].map(() => idin.addPersonDirect(group.id, DOC_PERSON));
		await idin.settlePerson(first.id, { status: 'success' });
		expect(idin.inspectGroup(group.id).status).toBe('pending');
		await idin.settlePerson(second.id, { status: 'cancelled' });
		expect(idin.inspectGroup(group.id).status).toBe('declined');
		await idin.settlePerson(third.id, { status: 'expired' });
		expect(idin.inspectGroup(group.id).status).toBe('declined');
		const late = idin.createGroupDirect({ name: 'late' });
		const [slow, quick] = [1, 2].map(() => idin.addPersonDirect(late.id, DOC_PERSON));
		await idin.settlePerson(slow.id, { status: 'expired' });
		await idin.settlePerson(quick.id, { status: 'success' });
		expect(idin.inspectGroup(late.id).status).toBe('expired');
		const done = idin.createGroupDirect({ name: 'done' });
		const only = idin.addPersonDirect(done.id, DOC_PERSON);
		await idin.settlePerson(only.id, { status: 'success' });
		idin.clock.advance(IDIN_GROUP_LIFETIME_MS);
		expect(idin.inspectGroup(done.id).status).toBe('completed');
	});

	it('stores a given result verbatim: a success without any result', async () => {
		const { person } = await setup();
		const { person: settled } = await idin.settlePerson(person.id, { status: 'success', result: null });
		expect(settled).toMatchObject({ status: 'success', result: null });
	});

	it('refuses a bad outcome with 400', async () => {
		const { person } = await setup();
		await expect(idin.settlePerson(person.id, { status: 'open' as never })).rejects.toThrow('status must be one of');
		await expect(idin.settlePerson(person.id, { status: 'success', identity: 'x' })).rejects.toThrow('unknown identity x');
		await expect(idin.settlePerson(person.id, { status: 'success', withhold: ['bsn'] })).rejects.toThrow('withhold');
		expect(idin.person(person.id).status).toBeNull();
	});
});

describe('webhooks', () => {
	let receiver: SandboxServer;
	let hookUrl: string;

	beforeEach(async () => {
		receiver = new SandboxServer({ name: 'n8n webhook' }).route('POST', HOOK_PATH, () => jsonResponse(200, {}));
		hookUrl = `${await receiver.start()}${HOOK_PATH}`;
		idin.setWebhook(IDIN_TEST_KEY.keyId, { url: hookUrl, header: { name: 'X-CM-Secret', value: 's3cret' } });
	});

	afterEach(() => receiver.stop());

	function received(): Array<{ event: IdinEvent; secret: string | undefined; contentType: string | undefined }> {
		return receiver.requests({ path: HOOK_PATH }).map((entry) => ({
			event: JSON.parse(entry.body.toString('utf8')),
			secret: entry.headers['x-cm-secret'] as string | undefined,
			contentType: entry.headers['content-type'],
		}));
	}

	it('posts person.updated then group.updated with the custom header, in the document shape', async () => {
		const { group, person } = await setup();
		idin.clock.advance(1000);
		const { deliveries } = await idin.settlePerson(person.id, { status: 'success' });
		const created = '2025-03-01T09:30:01+00:00';
		expect(received()).toEqual([
			{
				event: { id: expect.stringMatching(UUID), event: 'person.updated', group: group.id, person: person.id, status: 'success', created },
				secret: 's3cret',
				contentType: 'application/json',
			},
			{
				event: { id: expect.stringMatching(UUID), event: 'group.updated', group: group.id, status: 'completed', created },
				secret: 's3cret',
				contentType: 'application/json',
			},
		]);
		const [personBody, groupBody] = receiver.requests().map((entry) => entry.body.toString('utf8'));
		expect(Object.keys(JSON.parse(personBody))).toEqual(['id', 'event', 'group', 'person', 'status', 'created']);
		expect(Object.keys(JSON.parse(groupBody))).toEqual(['id', 'event', 'group', 'status', 'created']);
		expect(deliveries.map((delivery) => [delivery.kind, delivery.attempt, delivery.status])).toEqual([
			['event', 1, 200],
			['event', 1, 200],
		]);
		expect(idin.webhookEvents().map(({ keyId }) => keyId)).toEqual([IDIN_TEST_KEY.keyId, IDIN_TEST_KEY.keyId]);
	});

	it('retries at once until the receiver answers 2xx, so the receiver sees duplicates', async () => {
		const { person } = await setup();
		receiver.queueFault({ kind: 'status', status: 500, times: 2 });
		const { deliveries } = await idin.settlePerson(person.id, { status: 'cancelled' });
		expect(deliveries.map((delivery) => delivery.status)).toEqual([500, 500, 200, 200]);
		expect(deliveries.map((delivery) => delivery.attempt)).toEqual([1, 2, 3, 1]);
		const ids = received().map(({ event }) => event.id);
		expect(ids[0]).toBe(ids[1]);
		expect(ids[1]).toBe(ids[2]);
		expect(received().map(({ event }) => event.event)).toEqual([
			'person.updated',
			'person.updated',
			'person.updated',
			'group.updated',
		]);
	});

	it('counts any 2xx as acknowledged and gives up after 5 attempts', async () => {
		receiver.queueFault({ kind: 'status', status: 202 });
		const first = await setup();
		expect((await idin.settlePerson(first.person.id, { status: 'failure' })).deliveries).toHaveLength(2);
		receiver.queueFault({ kind: 'status', status: 503, times: 20 });
		const second = await setup();
		const { deliveries } = await idin.settlePerson(second.person.id, { status: 'failure' });
		expect(deliveries.map((delivery) => delivery.attempt)).toEqual([1, 2, 3, 4, 5, 1, 2, 3, 4, 5]);
		expect(deliveries.every((delivery) => !delivery.acknowledged)).toBe(true);
	});

	it('records an unreachable receiver instead of failing the transition', async () => {
		await receiver.stop();
		const { person } = await setup();
		const { person: settled, deliveries } = await idin.settlePerson(person.id, { status: 'success' });
		expect(settled.status).toBe('success');
		expect(deliveries[0]).toMatchObject({ status: null, acknowledged: false, error: expect.stringContaining('ECONNREFUSED') });
	});

	it('delivers expiry noticed during an API call in the background', async () => {
		const { group, person } = await setup();
		idin.clock.advance(IDIN_GROUP_LIFETIME_MS);
		expect((await api(`/groups/${group.id}/persons/${person.id}`)).body.status).toBe('expired');
		await idin.webhooksIdle();
		expect(received().map(({ event }) => [event.event, event.status, event.created])).toEqual([
			['person.updated', 'expired', group.expires_at],
			['group.updated', 'expired', group.expires_at],
		]);
	});

	it('runs the expiry job on demand and sends nothing twice', async () => {
		await setup();
		expect(await idin.expireDue()).toEqual([]);
		idin.clock.advance(IDIN_GROUP_LIFETIME_MS);
		expect(await idin.expireDue()).toHaveLength(2);
		expect(await idin.expireDue()).toEqual([]);
		expect(received()).toHaveLength(2);
	});

	it('sends group.deleted after a person.deleted per person, and the API forgets them', async () => {
		const { group, person } = await setup();
		await idin.settlePerson(person.id, { status: 'success' });
		receiver.clearRequests();
		await idin.deleteGroup(group.id);
		expect(received().map(({ event }) => [event.event, event.status])).toEqual([
			['person.deleted', 'success'],
			['group.deleted', 'completed'],
		]);
		expect((await api(`/groups/${group.id}/persons/${person.id}`)).status).toBe(404);
	});

	it('sends person.deleted with a null status for an untried person, and re-derives the group', async () => {
		const group = idin.createGroupDirect({ name: 'g' });
		const done = idin.addPersonDirect(group.id, DOC_PERSON);
		const untried = idin.addPersonDirect(group.id, DOC_PERSON);
		await idin.settlePerson(done.id, { status: 'success' });
		receiver.clearRequests();
		await idin.deletePerson(untried.id);
		expect(received().map(({ event }) => [event.event, event.person, event.status])).toEqual([
			['person.deleted', untried.id, null],
			['group.updated', undefined, 'completed'],
		]);
	});

	it('only sends to the key that owns the group; without a URL events are only recorded', async () => {
		const second = await setup(ALL_ATTRIBUTES, idin.tokenFor(IDIN_SECOND_KEY.keyId));
		const { deliveries } = await idin.settlePerson(second.person.id, { status: 'success' });
		expect(deliveries).toEqual([]);
		expect(received()).toEqual([]);
		expect(idin.webhookEvents().map(({ keyId, event }) => [keyId, event.event])).toEqual([
			[IDIN_SECOND_KEY.keyId, 'person.updated'],
			[IDIN_SECOND_KEY.keyId, 'group.updated'],
		]);
	});

	it('redelivers an event with the same id on demand', async () => {
		const { person } = await setup();
		await idin.settlePerson(person.id, { status: 'success' });
		const [first] = idin.webhookEvents();
		const again = await idin.redeliverEvent(first.event.id, { times: 2 });
		expect(again.map((delivery) => [delivery.kind, delivery.eventId])).toEqual([
			['redelivery', first.event.id],
			['redelivery', first.event.id],
		]);
		expect(received().filter(({ event }) => event.id === first.event.id)).toHaveLength(3);
		await expect(idin.redeliverEvent(UNKNOWN_ID)).rejects.toThrow('no webhook event');
	});

	it('forges events: wrong header, no header, unknown person, an unconfirmed status, a replayed id, raw bytes', async () => {
		const { group, person } = await setup();
		await idin.forgeWebhook({ header: { name: 'X-CM-Secret', value: 'guess' } });
		await idin.forgeWebhook({ header: null, event: { person: person.id, group: group.id } });
		await idin.forgeWebhook({ event: { id: 'same', status: 'success', person: person.id, group: group.id }, times: 2 });
		await idin.forgeWebhook({ rawBody: 'not json' });
		const requests = receiver.requests();
		expect(requests.map((entry) => entry.headers['x-cm-secret'])).toEqual(['guess', undefined, 's3cret', 's3cret', 's3cret']);
		const bodies = requests.slice(0, 4).map((entry) => JSON.parse(entry.body.toString('utf8')));
		expect(bodies[0]).toMatchObject({ event: 'person.updated', status: 'success', created: START_ATOM });
		expect(bodies[0].person).not.toBe(person.id);
		expect(bodies[2]).toEqual(bodies[3]);
		expect(requests[4].body.toString('utf8')).toBe('not json');
		expect(idin.person(person.id).status).toBeNull();
		expect(idin.webhookEvents()).toEqual([]);
		expect(idin.webhookDeliveries().map((delivery) => delivery.kind)).toEqual(Array(5).fill('forged'));
	});

	it('refuses unusable webhook settings', async () => {
		expect(() => idin.setWebhook(IDIN_TEST_KEY.keyId, { url: 'ftp://x' })).toThrow('http(s) URL');
		expect(() => idin.setWebhook(IDIN_TEST_KEY.keyId, { header: { name: 'bad name', value: 'v' } })).toThrow('header');
		expect(() => idin.setWebhook(IDIN_TEST_KEY.keyId, { header: { name: 'X', value: 'a\r\nb' } })).toThrow('header');
		expect(() => idin.setWebhook(UNKNOWN_ID, { url: null })).toThrow('no iDIN key');
		await expect(idin.forgeWebhook({ times: 0 })).rejects.toThrow('times must be an integer');
		idin.setWebhook(IDIN_TEST_KEY.keyId, { url: null });
		await expect(idin.forgeWebhook()).rejects.toThrow('has no webhook URL');
		expect(idin.webhookConfig()).toEqual({ url: null, header: { name: 'X-CM-Secret', value: 's3cret' } });
	});

	it('takes webhook settings from the constructor and restores them on reset', async () => {
		const configured = new IdinSimulator({
			keys: [{ ...IDIN_TEST_KEY, webhookUrl: hookUrl, webhookHeader: { name: 'X-Token', value: 't' } }],
		});
		await configured.start();
		try {
			configured.setWebhook(IDIN_TEST_KEY.keyId, { url: null });
			configured.reset();
			expect(configured.webhookConfig()).toEqual({ url: hookUrl, header: { name: 'X-Token', value: 't' } });
			expect(configured.keyIds()).toEqual([IDIN_TEST_KEY.keyId]);
		} finally {
			await configured.stop();
		}
	});
});

describe('control surface', () => {
	it('drives a whole identification over HTTP', async () => {
		const receiver = new SandboxServer({ name: 'hook' }).route('POST', HOOK_PATH, () => jsonResponse(204, {}));
		const hookUrl = `${await receiver.start()}${HOOK_PATH}`;
		try {
			const webhook = await control('PUT', `/keys/${IDIN_TEST_KEY.keyId}/webhook`, {
				url: hookUrl,
				header: { name: 'X-CM-Secret', value: 'v' },
			});
			expect(webhook).toMatchObject({ status: 200, body: { url: hookUrl, header: { name: 'X-CM-Secret', value: 'v' } } });
			const group = (await control('POST', '/groups', { name: 'Company ABC' })).body;
			const person = (await control('POST', `/groups/${group.id}/persons`, DOC_PERSON)).body;
			const invite = await control('POST', `/groups/${group.id}/persons/${person.id}/invites`, { email: true });
			expect(invite.status).toBe(201);
			expect((await control('GET', '/emails')).body.emails).toHaveLength(1);
			const outcome = await control('POST', `/persons/${person.id}/outcome`, {
				status: 'success',
				identity: 'jan',
				withhold: ['name'],
			});
			expect(outcome.status).toBe(200);
			expect(outcome.body.person).toMatchObject({ status: 'success', result: { issuer_id: 'RABONL2U' } });
			expect(outcome.body.deliveries.map((delivery: { status: number }) => delivery.status)).toEqual([204, 204]);
			const listed = await control('GET', '/groups');
			expect(listed.body.groups).toEqual([expect.objectContaining({ id: group.id, status: 'completed', key_id: IDIN_TEST_KEY.keyId })]);
			expect(listed.body.groups[0].persons[0].invites).toHaveLength(1);
			const logged = await control('GET', '/webhooks');
			expect(logged.body.events).toHaveLength(2);
			const eventId = logged.body.events[0].event.id;
			const replay = await control('POST', `/webhooks/${eventId}/redeliver`, { times: 2 });
			expect(replay.body.deliveries).toHaveLength(2);
			const forged = await control('POST', '/webhooks/forge', { header: null, event: { status: 'expired' } });
			expect(forged.body.deliveries[0]).toMatchObject({ kind: 'forged', headers: { 'content-type': 'application/json' } });
			expect(receiver.countRequests()).toBe(5);
			expect((await control('DELETE', `/persons/${person.id}`)).body.deliveries).toHaveLength(1);
			expect((await control('DELETE', `/groups/${group.id}`)).body.deliveries).toHaveLength(1);
		} finally {
			await receiver.stop();
		}
	});

	it('mints tokens, lists keys and identities, runs the expiry job', async () => {
		const { token } = (await control('POST', '/token', { keyId: IDIN_SECOND_KEY.keyId })).body;
		const group = await created(api('/groups', { method: 'POST', body: { name: 'g' }, token }));
		expect(idin.inspectGroup(group.id).key_id).toBe(IDIN_SECOND_KEY.keyId);
		expect((await control('GET', '/keys')).body.keys).toEqual([
			{ keyId: IDIN_TEST_KEY.keyId, webhook: { url: null, header: null } },
			{ keyId: IDIN_SECOND_KEY.keyId, webhook: { url: null, header: null } },
		]);
		expect((await control('GET', '/identities')).body.identities.map((identity: { id: string }) => identity.id)).toEqual([
			'andre',
			'sanne',
			'jan',
		]);
		await call(`${base}/__sandbox/clock/advance`, { method: 'POST', body: { ms: IDIN_GROUP_LIFETIME_MS } });
		expect((await control('POST', '/expire-due')).body).toEqual({ deliveries: [] });
		expect((await control('GET', `/groups/${group.id}`)).body.status).toBe('expired');
	});

	it('answers bad control input with 400 and unknown things with 404', async () => {
		expect((await control('POST', '/groups', { name: '' })).status).toBe(400);
		expect((await control('POST', '/groups', { name: 'g', keyId: 5 })).status).toBe(400);
		expect((await control('POST', '/groups', { name: 'g', keyId: UNKNOWN_ID })).status).toBe(404);
		expect((await control('POST', '/groups', '[1]')).status).toBe(400);
		expect((await control('POST', `/persons/${UNKNOWN_ID}/outcome`, { status: 'success' })).status).toBe(404);
		expect((await control('PUT', `/keys/${IDIN_TEST_KEY.keyId}/webhook`, { url: 'nope' })).status).toBe(400);
		expect((await control('POST', '/webhooks/forge', { rawBody: 5, url: 'http://127.0.0.1:1/' })).status).toBe(400);
		expect((await control('POST', `/webhooks/${UNKNOWN_ID}/redeliver`, { times: 'x' })).status).toBe(400);
		expect((await control('POST', '/token', { lifetimeSeconds: '60' })).status).toBe(400);
		const overview = await call(`${base}/__sandbox`, {});
		expect(overview.body.controls).toContain('POST /__sandbox/idin/persons/:personId/outcome');
	});
});

describe('framework features', () => {
	it('renders injected faults in the provider error shape and logs requests with their token', async () => {
		idin.queueFault({ kind: 'status', status: 503, retryAfter: 7, method: 'POST', path: '/idin-invites/v1/groups' });
		const failed = await api('/groups', { method: 'POST', body: { name: 'g' } });
		expect(failed).toMatchObject({ status: 503, body: { code: 503, message: 'Service Unavailable' } });
		expect(failed.headers.get('retry-after')).toBe('7');
		idin.queueFault({ kind: 'status', status: 429 });
		expect((await api('/groups', { method: 'POST', body: { name: 'g' } })).body).toEqual({ code: 429, message: 'Too many requests' });
		expect((await api('/groups', { method: 'POST', body: { name: 'g' } })).status).toBe(201);
		const logged = idin.requests({ method: 'POST', path: '/idin-invites/v1/groups' });
		expect(logged.map((entry) => entry.fault)).toEqual(['status', 'status', undefined]);
		expect(logged[2].headers.authorization).toMatch(/^Bearer ey/);
	});

	it('truncates an answer after the handler ran: the group exists', async () => {
		idin.queueFault({ kind: 'truncate', path: '/idin-invites/v1/groups' });
		await expect(api('/groups', { method: 'POST', body: { name: 'g' } })).rejects.toThrow();
		expect(idin.inspectGroups()).toHaveLength(1);
	});

	it('forgets groups, events and e-mails on reset', async () => {
		await setup();
		await call(`${base}/__sandbox/reset`, { method: 'POST' });
		expect(idin.inspectGroups()).toEqual([]);
		expect(idin.invitationEmails()).toEqual([]);
		expect(idin.webhookEvents()).toEqual([]);
	});
});

describe('registry entry', () => {
	it('starts a simulator and describes the n8n credential pointing at it', async () => {
		const running = await idinEntry.start();
		try {
			expect(running).toMatchObject({ provider: 'idin', title: 'CM.com iDIN invites' });
			expect(running.credential).toEqual({
				type: 'cmIdinApi',
				name: 'CM iDIN sandbox',
				data: { keyId: IDIN_TEST_KEY.keyId, keySecret: IDIN_TEST_KEY.keySecret, baseUrl: running.baseUrl },
			});
			const token = running.simulator.tokenFor();
			const answer = await fetch(`${running.baseUrl}${IDIN_API_PREFIX}/groups`, {
				method: 'POST',
				headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
				body: JSON.stringify({ name: 'g' }),
			});
			expect(answer.status).toBe(201);
		} finally {
			await running.stop();
		}
	});
});
