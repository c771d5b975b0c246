/**
 * The iDIN invites API's authentication: a JWT signed HS256 with the Key Secret, `kid` in the header naming the
 * Key ID, iat/nbf/exp in seconds. Checked by hand with node:crypto (jose is ESM-only; jest here runs CommonJS).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface IdinKey {
	keyId: string;
	/** Used as raw UTF-8 bytes, not base64-decoded: that is what reproduces the document's token. */
	keySecret: string;
}

export interface IdinTokenClaims {
	iat: number;
	nbf: number;
	exp: number;
}

/** Leeway for clocks that disagree a little, applied to iat, nbf and exp alike. */
export const IDIN_CLOCK_SKEW_SECONDS = 30;
/** Longest accepted exp - iat: the document mints per request for 60 s; a token for days is a leaked key. */
export const IDIN_MAX_TOKEN_LIFETIME_SECONDS = 3600;

/** Why a token was refused; the simulator answers 401 with this message. */
export class TokenRejected extends Error {}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The Key ID of a valid `Authorization: Bearer <JWT>` header at `nowMs`, else throws TokenRejected.
 * The order of checks is the one that leaks least: structure, algorithm, key, signature, and only then claims.
 */
export function verifyBearer(
	authorization: string | undefined,
	keys: ReadonlyMap<string, IdinKey>,
	nowMs: number,
): string {
	const token = bearerToken(authorization);
	const [encodedHeader, encodedPayload, signature] = tokenParts(token);
	const header = decodeJson(encodedHeader, 'header');
	if (header.alg !== 'HS256') throw new TokenRejected('JWT alg must be HS256');
	if (header.typ !== undefined && header.typ !== 'JWT') throw new TokenRejected('JWT typ must be JWT');
	const key = typeof header.kid === 'string' ? keys.get(header.kid) : undefined;
	if (key === undefined) throw new TokenRejected('JWT kid does not name a known key');
	if (!signatureMatches(key.keySecret, `${encodedHeader}.${encodedPayload}`, signature)) {
		throw new TokenRejected('JWT signature does not match');
	}
	checkClaims(decodeJson(encodedPayload, 'payload'), nowMs / 1000);
	return key.keyId;
}

/** A token the way the document builds one: compact JSON, header keys in the order alg, typ, kid. */
export function mintIdinToken(key: IdinKey, claims: IdinTokenClaims, header: Record<string, unknown> = {}): string {
	const encodedHeader = base64urlJson({ alg: 'HS256', typ: 'JWT', kid: key.keyId, ...header });
	const encodedPayload = base64urlJson(claims);
	const signingInput = `${encodedHeader}.${encodedPayload}`;
	return `${signingInput}.${hmac(key.keySecret, signingInput).toString('base64url')}`;
}

function bearerToken(authorization: string | undefined): string {
	const match = /^Bearer +(\S+)\s*$/i.exec(authorization ?? '');
	if (!match) throw new TokenRejected('Authorization header must be "Bearer <JWT>"');
	return match[1];
}

function tokenParts(token: string): [string, string, string] {
	const parts = token.split('.');
	if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) {
		throw new TokenRejected('JWT must be three base64url parts');
	}
	return parts as [string, string, string];
}

function decodeJson(part: string, what: string): Record<string, unknown> {
	try {
		const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
		if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
	} catch {
		// Falls through to the same refusal as a JSON value that is not an object.
	}
	throw new TokenRejected(`JWT ${what} is not a JSON object`);
}

function signatureMatches(secret: string, signingInput: string, signature: string): boolean {
	const expected = hmac(secret, signingInput);
	const given = Buffer.from(signature, 'base64url');
	return given.length === expected.length && timingSafeEqual(given, expected);
}

function checkClaims(payload: Record<string, unknown>, nowSeconds: number): void {
	const { iat, nbf, exp } = payload;
	if (!isNumericDate(iat) || !isNumericDate(nbf) || !isNumericDate(exp)) {
		throw new TokenRejected('JWT payload needs numeric iat, nbf and exp (seconds)');
	}
	if (iat > nowSeconds + IDIN_CLOCK_SKEW_SECONDS) {
		throw new TokenRejected('JWT iat is in the future (timestamps must be in seconds)');
	}
	if (nbf > nowSeconds + IDIN_CLOCK_SKEW_SECONDS) throw new TokenRejected('JWT is not valid yet (nbf)');
	if (exp <= nowSeconds - IDIN_CLOCK_SKEW_SECONDS) throw new TokenRejected('JWT has expired');
	if (exp <= iat || exp - iat > IDIN_MAX_TOKEN_LIFETIME_SECONDS) {
		throw new TokenRejected(`JWT lifetime (exp - iat) must be between 1 and ${IDIN_MAX_TOKEN_LIFETIME_SECONDS} s`);
	}
}

function isNumericDate(value: unknown): value is number {
	return typeof value === 'number' && Number.isFinite(value);
}

function hmac(secret: string, input: string): Buffer {
	return createHmac('sha256', Buffer.from(secret, 'utf8')).update(input).digest();
}

function base64urlJson(value: unknown): string {
	return Buffer.from(JSON.stringify(value)).toString('base64url');
}
