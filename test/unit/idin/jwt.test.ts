import type { IHttpRequestOptions } from 'n8n-workflow';

import { CmIdinApi } from '../../../credentials/CmIdinApi.credentials';
import { IdinKeyMissing, mintIdinToken, unixSeconds } from '../../../nodes/CmIdin/jwt';
import { IDIN_TEST_KEY } from '../../sandbox/idin';

/** The token printed in CM's document, for its example key at iat = nbf = 1546300800, exp 60 s later. */
const DOCUMENT_TOKEN =
	'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6IjNiNDM4NDM3LTA0YTQtNDBiYi04Mzg5LTU0YmIwMjc2NmZiYSJ9.' +
	'eyJpYXQiOjE1NDYzMDA4MDAsIm5iZiI6MTU0NjMwMDgwMCwiZXhwIjoxNTQ2MzAwODYwfQ.' +
	'bwqCUHS1d5d8guAPHDsdd9-a8oXxH1q45O0tDP1asTo';
const DOCUMENT_IAT = 1546300800;

function decodePart(token: string, index: number): string {
	return Buffer.from(token.split('.')[index], 'base64url').toString('utf8');
}

type AuthenticateFunction = (credentials: Record<string, string>, options: IHttpRequestOptions) => Promise<IHttpRequestOptions>;

describe('CM iDIN token', () => {
	it("reproduces the document's example token byte for byte from its test vector", async () => {
		expect(await mintIdinToken(IDIN_TEST_KEY, DOCUMENT_IAT)).toBe(DOCUMENT_TOKEN);
	});

	it('writes the header keys in the order alg, typ, kid and the claims in seconds', async () => {
		const token = await mintIdinToken({ keyId: 'key-1', keySecret: 'secret' }, 1_700_000_000);
		expect(decodePart(token, 0)).toBe('{"alg":"HS256","typ":"JWT","kid":"key-1"}');
		expect(decodePart(token, 1)).toBe('{"iat":1700000000,"nbf":1700000000,"exp":1700000060}');
	});

	it('counts whole seconds', () => {
		expect(unixSeconds(1_546_300_800_999)).toBe(DOCUMENT_IAT);
	});

	it('names a missing Key ID or Key Secret without signing anything', async () => {
		await expect(mintIdinToken({ keyId: '', keySecret: 'secret' }, DOCUMENT_IAT)).rejects.toThrow(
			new IdinKeyMissing('Key ID'),
		);
		const missingSecret = await mintIdinToken({ keyId: 'key-1', keySecret: '' }, DOCUMENT_IAT).catch((error) => error);
		expect(missingSecret).toBeInstanceOf(IdinKeyMissing);
		expect(missingSecret.message).toBe('The CM iDIN credential has no Key Secret');
		expect(missingSecret.description).toBe('Open the CM iDIN credential and enter the Key Secret CM gave you.');
	});
});

describe('CM iDIN credential authenticate', () => {
	const authenticate = new CmIdinApi().authenticate as unknown as AuthenticateFunction;

	it('adds a fresh 60 s bearer token for the Key ID to every request, keeping the other headers', async () => {
		const before = unixSeconds();
		const options = await authenticate(
			{ keyId: ` ${IDIN_TEST_KEY.keyId}\n`, keySecret: `${IDIN_TEST_KEY.keySecret} ` },
			{ url: '/x', headers: { Accept: 'application/json' } },
		);
		const after = unixSeconds();
		expect(options.headers?.Accept).toBe('application/json');
		const token = String(options.headers?.Authorization).replace(/^Bearer /, '');
		expect(JSON.parse(decodePart(token, 0))).toEqual({ alg: 'HS256', typ: 'JWT', kid: IDIN_TEST_KEY.keyId });
		const { iat, nbf, exp } = JSON.parse(decodePart(token, 1)) as Record<string, number>;
		expect(iat).toBeGreaterThanOrEqual(before);
		expect(iat).toBeLessThanOrEqual(after);
		expect([nbf, exp]).toEqual([iat, iat + 60]);
		// The pasted whitespace was trimmed: the token verifies with the real secret.
		expect(token).toBe(await mintIdinToken(IDIN_TEST_KEY, iat));
	});
});
