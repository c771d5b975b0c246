/**
 * The bearer token CM's iDIN invites API wants on every request, exactly as its document builds one: HS256 over the
 * Key Secret's UTF-8 bytes (not base64-decoded), header alg, typ, kid in that order, payload iat, nbf, exp in seconds.
 * Pure: the time is passed in, so a test reproduces the document's example token byte for byte.
 */
import { SignJWT } from 'jose';

import { IDIN_TOKEN_LIFETIME_SECONDS } from './constants';

export interface IdinKey {
	keyId: string;
	keySecret: string;
}

/** A credential without its Key ID or Key Secret: said before any request, in the credential's words. */
export class IdinKeyMissing extends Error {
	/** Read by the shared error handling as the hint that tells the user what to change. */
	readonly description: string;

	constructor(field: 'Key ID' | 'Key Secret') {
		super(`The CM iDIN credential has no ${field}`);
		this.description = `Open the CM iDIN credential and enter the ${field} CM gave you.`;
	}
}

export async function mintIdinToken(key: IdinKey, nowSeconds: number): Promise<string> {
	if (key.keyId === '') throw new IdinKeyMissing('Key ID');
	if (key.keySecret === '') throw new IdinKeyMissing('Key Secret');
	return await new SignJWT({ iat: nowSeconds, nbf: nowSeconds, exp: nowSeconds + IDIN_TOKEN_LIFETIME_SECONDS })
		.setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: key.keyId })
		.sign(new TextEncoder().encode(key.keySecret));
}

/** JWT times are whole seconds since the epoch; a millisecond value would be a token valid in the far future. */
export function unixSeconds(nowMs: number = Date.now()): number {
	return Math.floor(nowMs / 1000);
}
