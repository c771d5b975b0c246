/** nodes/shared/browserState.ts: the sealing, cookies and process memory the CM itsme Trigger's state rests on. */
import {
	claimState,
	clearedCookie,
	deriveSealingKey,
	holdState,
	isNonce,
	newNonce,
	nonceId,
	readCookies,
	releaseState,
	seal,
	stateCookie,
	unseal,
} from '../../../nodes/shared/browserState';

describe('sealing', () => {
	const key = deriveSealingKey('merchant-token', 'trigger:1:A');

	it('opens what it sealed, under the same name only', () => {
		const payload = { n: 'nonce', t: 'transaction-token-in-clear' };
		const sealed = seal(key, payload, 'cookie-a');
		expect(sealed).toMatch(/^[A-Za-z0-9_-]+$/);
		expect(sealed).not.toContain(Buffer.from(JSON.stringify(payload)).toString('base64url').slice(4, 30));
		expect(unseal(key, sealed, 'cookie-a')).toEqual(payload);
		expect(unseal(key, sealed, 'cookie-b')).toBeUndefined();
	});

	it('does not open a value sealed for another trigger or with another secret', () => {
		const sealed = seal(key, { n: 1 }, 'c');
		expect(unseal(deriveSealingKey('merchant-token', 'trigger:1:B'), sealed, 'c')).toBeUndefined();
		expect(unseal(deriveSealingKey('other-token', 'trigger:1:A'), sealed, 'c')).toBeUndefined();
	});

	it('refuses altered, cut and foreign values', () => {
		const sealed = seal(key, { n: 1 }, 'c');
		const flipped = `${sealed.slice(0, 20)}${sealed[20] === 'A' ? 'B' : 'A'}${sealed.slice(21)}`;
		for (const value of [flipped, sealed.slice(0, -1), sealed.slice(0, 30), '', 'not base64!', 'e30']) {
			expect(unseal(key, value, 'c')).toBeUndefined();
		}
	});
});

describe('nonces and cookies', () => {
	it('makes unguessable URL-safe nonces and short ids that do not repeat them', () => {
		const nonces = new Set(Array.from({ length: 100 }, newNonce));
		expect(nonces.size).toBe(100);
		for (const nonce of nonces) expect(isNonce(nonce)).toBe(true);
		const [first] = nonces;
		expect(nonceId(first)).toHaveLength(22);
		expect(first).not.toContain(nonceId(first));
		expect(isNonce('short')).toBe(false);
	});

	it('writes Lax HttpOnly cookies limited to a path, Secure on https, and reads Cookie headers', () => {
		expect(stateCookie('s_1', 'v', { path: '/webhook/x/return', maxAgeSeconds: 900.7, secure: true })).toBe(
			's_1=v; Path=/webhook/x/return; Max-Age=900; HttpOnly; SameSite=Lax; Secure',
		);
		expect(clearedCookie('s_1', { path: '/r', secure: false })).toBe('s_1=; Path=/r; Max-Age=0; HttpOnly; SameSite=Lax');
		expect(readCookies('a=1; b = 2;c=x=y; a=3; broken')).toEqual(
			new Map([
				['a', '1'],
				['b', '2'],
				['c', 'x=y'],
			]),
		);
		expect(readCookies(undefined).size).toBe(0);
	});
});

describe('the process copy of pending states', () => {
	const now = 1_700_000_000_000;

	it('is claimed once, can be released for a retry, and answers used and expired plainly', () => {
		const nonce = newNonce();
		holdState('scope-1', nonce, { t: 'tx' }, now + 1000, now);
		expect(claimState('scope-2', nonce, now)).toEqual({ outcome: 'unknown' });
		expect(claimState('scope-1', nonce, now)).toEqual({ outcome: 'claimed', value: { t: 'tx' } });
		expect(claimState('scope-1', nonce, now)).toEqual({ outcome: 'used' });
		releaseState('scope-1', nonce);
		expect(claimState('scope-1', nonce, now + 1000)).toEqual({ outcome: 'expired' });
	});

	it('records a state proven elsewhere as claimed, so its second return is refused', () => {
		const nonce = newNonce();
		expect(claimState('scope-1', nonce, now, { value: 'from-cookie', expiresAt: now + 1000 })).toEqual({
			outcome: 'claimed',
			value: 'from-cookie',
		});
		expect(claimState('scope-1', nonce, now, { value: 'from-cookie', expiresAt: now + 1000 })).toEqual({ outcome: 'used' });
	});

	it('forgets states an hour after they expired', () => {
		const nonce = newNonce();
		holdState('scope-3', nonce, 1, now, now);
		expect(claimState('scope-3', nonce, now + 60 * 60 * 1000)).toEqual({ outcome: 'expired' });
		expect(claimState('scope-3', nonce, now + 60 * 60 * 1000 + 1)).toEqual({ outcome: 'unknown' });
	});
});
