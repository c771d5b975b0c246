/**
 * State for a browser's round trip through a provider's page (start → provider → return), proven at the return
 * without trusting the browser:
 * - an unguessable nonce in the return URL, used once;
 * - a sealed cookie set by the start (AES-256-GCM, key derived with HKDF from a credential secret), so that any
 *   n8n process can check the return (queue mode), and only the browser that started can present it;
 * - a copy in this process's memory, so that a return in another browser (the phone's) is not stranded when the
 *   same process answers. Like the delivery memory of dedupe.ts it lives in the process: n8n 2.40 does not reliably
 *   save static data written inside a webhook call.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'crypto';

import { dropOldest, scopedMemory } from './processMemory';

// ---------------------------------------------------------------------------------------------------------------
// Nonces
// ---------------------------------------------------------------------------------------------------------------

const NONCE_BYTES = 32;
const NONCE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** 256 random bits, base64url: safe in a URL query and in a cookie name's neighbourhood. */
export function newNonce(): string {
	return randomBytes(NONCE_BYTES).toString('base64url');
}

export function isNonce(value: unknown): value is string {
	return typeof value === 'string' && NONCE_PATTERN.test(value);
}

/** A stable short name for a nonce (memory keys, cookie names) that does not repeat the nonce itself. */
export function nonceId(nonce: string): string {
	return createHash('sha256').update(nonce).digest('base64url').slice(0, 22);
}

// ---------------------------------------------------------------------------------------------------------------
// Sealing: AES-256-GCM, IV ‖ ciphertext ‖ tag, base64url
// ---------------------------------------------------------------------------------------------------------------

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HKDF_SALT = 'n8n-nodes-identity-verification/sealed-browser-state/v1';

/**
 * A key for one purpose from a secret the user already keeps (e.g. the provider credential's token). `purpose`
 * should name the provider and the trigger instance, so a cookie sealed for one trigger opens nowhere else.
 */
export function deriveSealingKey(secret: string, purpose: string): Buffer {
	return Buffer.from(hkdfSync('sha256', secret, HKDF_SALT, purpose, KEY_BYTES));
}

/** `associatedData` (e.g. the cookie's name) is authenticated too: the sealed value is valid under that name only. */
export function seal(key: Buffer, payload: unknown, associatedData: string): string {
	const iv = randomBytes(IV_BYTES);
	const cipher = createCipheriv('aes-256-gcm', key, iv);
	cipher.setAAD(Buffer.from(associatedData));
	const ciphertext = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
	return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64url');
}

/** The payload, or undefined for anything not sealed with this key and associated data (forged, altered, cut). */
export function unseal(key: Buffer, sealed: string, associatedData: string): unknown {
	const bytes = /^[A-Za-z0-9_-]+$/.test(sealed) ? Buffer.from(sealed, 'base64url') : Buffer.alloc(0);
	if (bytes.length <= IV_BYTES + TAG_BYTES) return undefined;
	try {
		const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
		decipher.setAAD(Buffer.from(associatedData));
		decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
		const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
		return JSON.parse(plain.toString('utf8')) as unknown;
	} catch {
		return undefined; // the tag did not verify: not ours, whatever it claims
	}
}

// ---------------------------------------------------------------------------------------------------------------
// Cookies
// ---------------------------------------------------------------------------------------------------------------

/** `name=value` pairs of a Cookie header; the first of a repeated name wins, as browsers send the most specific first. */
export function readCookies(header: string | string[] | undefined): Map<string, string> {
	const cookies = new Map<string, string>();
	for (const part of [header ?? []].flat().join(';').split(';')) {
		const separator = part.indexOf('=');
		if (separator <= 0) continue;
		const name = part.slice(0, separator).trim();
		if (!cookies.has(name)) cookies.set(name, part.slice(separator + 1).trim());
	}
	return cookies;
}

export interface StateCookieOptions {
	/** Only requests below this path carry the cookie: the return URL's path. */
	path: string;
	maxAgeSeconds: number;
	/** Set when the return URL is https. */
	secure: boolean;
}

/**
 * HttpOnly (no script reads it) and SameSite=Lax: sent on the top-level GET that brings the person back from the
 * provider's site, which a Strict cookie would not be.
 */
export function stateCookie(name: string, value: string, { path, maxAgeSeconds, secure }: StateCookieOptions): string {
	const attributes = [`Path=${path}`, `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`, 'HttpOnly', 'SameSite=Lax'];
	if (secure) attributes.push('Secure');
	return [`${name}=${value}`, ...attributes].join('; ');
}

/** Tells the browser to forget a state cookie (its state is used up). */
export function clearedCookie(name: string, options: Omit<StateCookieOptions, 'maxAgeSeconds'>): string {
	return stateCookie(name, '', { ...options, maxAgeSeconds: 0 });
}

// ---------------------------------------------------------------------------------------------------------------
// This process's copy of the pending states
// ---------------------------------------------------------------------------------------------------------------

/** Used and expired states are kept this much longer, so a late or repeated return is told what happened. */
const KEEP_AFTER_EXPIRY_MS = 60 * 60 * 1000;
const MAX_STATES_PER_SCOPE = 10_000;
const MAX_SCOPES = 1000;

interface HeldState {
	value: unknown;
	expiresAt: number;
	used: boolean;
}

export type StateClaim<T> =
	| { outcome: 'claimed'; value: T }
	| { outcome: 'used' | 'expired' | 'unknown' };

const memory = scopedMemory<HeldState>(MAX_SCOPES);

function prune(states: Map<string, HeldState>, now: number): void {
	dropOldest(states, MAX_STATES_PER_SCOPE, (state) => now > state.expiresAt + KEEP_AFTER_EXPIRY_MS);
}

/** Keeps `value` for `nonce` until `expiresAt`; `scope` separates triggers (e.g. workflow id + node id). */
export function holdState(scope: string, nonce: string, value: unknown, expiresAt: number, now = Date.now()): void {
	const states = memory.open(scope);
	prune(states, now);
	states.set(nonceId(nonce), { value, expiresAt, used: false });
}

/**
 * Takes the state for this return: once. A claimed state stays known as used until it is pruned, so a second
 * return with the same nonce is refused even when it brings a valid cookie. `provenElsewhere` is a state this
 * process did not hold but the caller proved otherwise (a sealed cookie from a start another process answered):
 * it is claimed here too, so that its second return to this process is refused as well.
 */
export function claimState<T>(
	scope: string,
	nonce: string,
	now = Date.now(),
	provenElsewhere?: { value: T; expiresAt: number },
): StateClaim<T> {
	const states = memory.find(scope);
	if (states) prune(states, now);
	const state = states?.get(nonceId(nonce));
	if (!state) {
		if (!provenElsewhere) return { outcome: 'unknown' };
		holdState(scope, nonce, provenElsewhere.value, provenElsewhere.expiresAt, now);
		return claimState(scope, nonce, now);
	}
	if (state.used) return { outcome: 'used' };
	if (now >= state.expiresAt) return { outcome: 'expired' };
	state.used = true;
	return { outcome: 'claimed', value: state.value as T };
}

/** Gives a claimed state back, when the return could not be completed and may be tried again (a reload). */
export function releaseState(scope: string, nonce: string): void {
	const state = memory.find(scope)?.get(nonceId(nonce));
	if (state) state.used = false;
}
