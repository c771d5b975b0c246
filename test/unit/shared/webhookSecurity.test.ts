import { createHmac } from 'node:crypto';

import { InputError } from '../../../nodes/shared/errors';
import {
	checkSharedSecret,
	hmacSha256,
	isIpAllowed,
	parseCidrList,
	resolveClientIp,
	safeEqual,
	verifyHmacSha256,
} from '../../../nodes/shared/webhookSecurity';

const SECRET = 'eeid-client-secret';
const RAW_BODY = Buffer.from('{\n  "identification_request_id": "abc",\n  "client_id": "c1",\n  "reference": null\n}');
const COMPACT_BODY = Buffer.from(RAW_BODY.toString('utf8').replace(/\s+/g, ''));

const hex = (payload: Buffer | string, secret = SECRET) => createHmac('sha256', secret).update(payload).digest('hex');
const base64 = (payload: Buffer | string) => createHmac('sha256', SECRET).update(payload).digest('base64');

describe('safeEqual', () => {
	it('compares strings and buffers by content', () => {
		expect(safeEqual('abc', 'abc')).toBe(true);
		expect(safeEqual(Buffer.from('abc'), 'abc')).toBe(true);
		expect(safeEqual('abc', 'abd')).toBe(false);
	});

	it('handles different lengths without throwing', () => {
		expect(safeEqual('abc', 'abcd')).toBe(false);
		expect(safeEqual('', 'a')).toBe(false);
	});
});

describe('hmacSha256', () => {
	it('signs like node:crypto in hex and base64', () => {
		expect(hmacSha256(SECRET, RAW_BODY, 'hex')).toBe(hex(RAW_BODY));
		expect(hmacSha256(SECRET, RAW_BODY, 'base64')).toBe(base64(RAW_BODY));
	});
});

describe('verifyHmacSha256', () => {
	const verify = (signature: string | undefined, extra: Partial<Parameters<typeof verifyHmacSha256>[0]> = {}) =>
		verifyHmacSha256({ secret: SECRET, payloads: [RAW_BODY, COMPACT_BODY], signature, encoding: 'hex', ...extra });

	it('accepts a hex signature of the raw body', () => {
		expect(verify(hex(RAW_BODY))).toBe(true);
	});

	it('accepts a signature of the whitespace-free variant (eeID signs bytes that may differ in whitespace)', () => {
		expect(verify(hex(COMPACT_BODY))).toBe(true);
	});

	it('ignores hex case and surrounding whitespace', () => {
		expect(verify(`  ${hex(RAW_BODY).toUpperCase()}\n`)).toBe(true);
	});

	it('strips a scheme prefix such as sha256=', () => {
		expect(verify(`sha256=${hex(RAW_BODY)}`, { prefix: 'sha256=' })).toBe(true);
		expect(verify(`SHA256=${hex(RAW_BODY)}`, { prefix: 'sha256=' })).toBe(true);
	});

	it('accepts base64 signatures, padded or URL-safe', () => {
		const signature = base64(RAW_BODY);
		expect(verify(signature, { encoding: 'base64' })).toBe(true);
		expect(verify(signature.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'), { encoding: 'base64' })).toBe(true);
	});

	it.each([
		['a signature made with another secret', hex(RAW_BODY, 'other-secret')],
		['a signature of other content', hex('{"identification_request_id":"evil"}')],
		['a truncated signature', hex(RAW_BODY).slice(0, 40)],
		['something that is not hex', 'zz'.repeat(32)],
		['an empty signature', ''],
		['a missing signature', undefined],
	])('refuses %s', (_case, signature) => {
		expect(verify(signature)).toBe(false);
	});

	it('refuses a base64 signature checked as hex', () => {
		expect(verify(base64(RAW_BODY))).toBe(false);
	});

	it('refuses everything when the secret is empty', () => {
		expect(verify(hex(RAW_BODY, ''), { secret: '' })).toBe(false);
	});
});

describe('checkSharedSecret', () => {
	it('accepts the expected value only', () => {
		expect(checkSharedSecret({ expected: 'hook-secret-1', provided: 'hook-secret-1' })).toBe(true);
		expect(checkSharedSecret({ expected: 'hook-secret-1', provided: 'hook-secret-2' })).toBe(false);
		expect(checkSharedSecret({ expected: 'hook-secret-1', provided: 'hook-secret-1x' })).toBe(false);
	});

	it('takes the first value of a repeated header or query parameter', () => {
		expect(checkSharedSecret({ expected: 'hook-secret-1', provided: ['hook-secret-1', 'other'] })).toBe(true);
	});

	it.each([
		[undefined, 'x'],
		['', ''],
		['expected', undefined],
		['expected', ''],
		['expected', 42],
	])('fails when either side is missing or empty (%j, %j)', (expected, provided) => {
		expect(checkSharedSecret({ expected, provided })).toBe(false);
	});
});

describe('parseCidrList and isIpAllowed', () => {
	const idnowRanges = parseCidrList('212.211.189.136/29, 212.211.206.240/29\n212.211.181.64/29\n212.211.191.96/29');

	it.each(['212.211.189.136', '212.211.189.143', '212.211.206.244', '212.211.191.103'])('allows %s from IDnow', (ip) => {
		expect(isIpAllowed(ip, idnowRanges)).toBe(true);
	});

	it.each(['212.211.189.135', '212.211.189.144', '10.0.0.1', '', 'not-an-ip'])('refuses %j', (ip) => {
		expect(isIpAllowed(ip, idnowRanges)).toBe(false);
	});

	it('treats a single address as /32 and /128', () => {
		const ranges = parseCidrList('203.0.113.7 2001:db8::1');
		expect(isIpAllowed('203.0.113.7', ranges)).toBe(true);
		expect(isIpAllowed('203.0.113.8', ranges)).toBe(false);
		expect(isIpAllowed('2001:db8:0:0:0:0:0:1', ranges)).toBe(true);
		expect(isIpAllowed('2001:db8::2', ranges)).toBe(false);
	});

	it('matches IPv4-mapped IPv6 peers (a dual-stack socket) against IPv4 ranges', () => {
		expect(isIpAllowed('::ffff:212.211.189.140', idnowRanges)).toBe(true);
		expect(isIpAllowed('::FFFF:d4d3:bd8c', idnowRanges)).toBe(true);
		expect(isIpAllowed('::ffff:10.0.0.1', idnowRanges)).toBe(false);
	});

	it('accepts IPv4-mapped ranges and turns them into IPv4 ranges', () => {
		expect(isIpAllowed('10.1.2.3', parseCidrList('::ffff:10.0.0.0/104'))).toBe(true);
	});

	it('understands compressed and full IPv6 forms', () => {
		const ranges = parseCidrList('2001:db8:abcd::/48, fe80::/10, ::1');
		expect(isIpAllowed('2001:0db8:abcd:0012:0000:0000:0000:0001', ranges)).toBe(true);
		expect(isIpAllowed('2001:db8:abce::1', ranges)).toBe(false);
		expect(isIpAllowed('fe80::1%eth0', ranges)).toBe(true);
		expect(isIpAllowed('febf:ffff::1', ranges)).toBe(true);
		expect(isIpAllowed('fec0::1', ranges)).toBe(false);
		expect(isIpAllowed('::1', ranges)).toBe(true);
		expect(isIpAllowed('[::1]:443', ranges)).toBe(true);
		expect(isIpAllowed('0:0:0:0:0:0:0:1', ranges)).toBe(true);
	});

	it('never lets IPv4 and IPv6 ranges match each other', () => {
		expect(isIpAllowed('::1', parseCidrList('0.0.0.0/0'))).toBe(false);
		expect(isIpAllowed('10.0.0.1', parseCidrList('::/0'))).toBe(false);
	});

	it('clears host bits written into a range', () => {
		expect(isIpAllowed('10.20.30.40', parseCidrList('10.99.99.99/8'))).toBe(true);
	});

	it('ignores empty entries', () => {
		expect(parseCidrList(' , \n ')).toEqual([]);
	});

	it.each([
		'10.0.0.256',
		'10.0.0',
		'10.0.0.1/33',
		'10.0.0.1/-1',
		'10.0.0.1/8/8',
		'010.0.0.1',
		'2001:db8::1::1',
		'2001:db8:1:2:3:4:5:6:7',
		'2001:db8::/129',
		'12345::',
		'1.2.3.4::',
		'::ffff:10.0.0.0/95',
		'example.com',
	])('refuses %j with an error naming the entry', (entry) => {
		const parse = () => parseCidrList(`203.0.113.0/24, ${entry}`);
		expect(parse).toThrow(InputError);
		expect(parse).toThrow(`"${entry}" is not a valid IP address or range`);
	});
});

describe('resolveClientIp', () => {
	const trustedProxies = parseCidrList('10.0.0.0/8, fd00::/8');

	it('uses the peer address when the peer is not a trusted proxy, whatever X-Forwarded-For says', () => {
		expect(resolveClientIp({ remoteAddress: '198.51.100.9', forwardedFor: '212.211.189.136', trustedProxies })).toBe(
			'198.51.100.9',
		);
	});

	it('takes the hop in front of a trusted proxy', () => {
		expect(resolveClientIp({ remoteAddress: '10.0.0.5', forwardedFor: '212.211.189.136', trustedProxies })).toBe(
			'212.211.189.136',
		);
	});

	it('walks right to left past every trusted proxy and stops at the first untrusted hop', () => {
		expect(
			resolveClientIp({
				remoteAddress: '10.0.0.5',
				forwardedFor: '1.1.1.1, 212.211.189.136, 10.0.0.7',
				trustedProxies,
			}),
		).toBe('212.211.189.136');
	});

	it('does not let a client forge its address by prepending to the header', () => {
		expect(
			resolveClientIp({ remoteAddress: '10.0.0.5', forwardedFor: ['212.211.189.136', '198.51.100.9'], trustedProxies }),
		).toBe('198.51.100.9');
	});

	it('handles IPv4-mapped peers and IPv6 proxies', () => {
		expect(resolveClientIp({ remoteAddress: '::ffff:10.0.0.5', forwardedFor: '203.0.113.1', trustedProxies })).toBe(
			'203.0.113.1',
		);
		expect(resolveClientIp({ remoteAddress: 'fd00::2', forwardedFor: '2001:db8::9', trustedProxies })).toBe('2001:db8::9');
	});

	it('returns an unparseable hop as it is, so that no allowlist accepts it', () => {
		const ip = resolveClientIp({ remoteAddress: '10.0.0.5', forwardedFor: 'unknown', trustedProxies });
		expect(ip).toBe('unknown');
		expect(isIpAllowed(ip, parseCidrList('0.0.0.0/0, ::/0'))).toBe(false);
	});

	it('falls back to the leftmost hop when every hop is a trusted proxy', () => {
		expect(resolveClientIp({ remoteAddress: '10.0.0.5', forwardedFor: '10.0.0.9, 10.0.0.8', trustedProxies })).toBe('10.0.0.9');
	});

	it('uses the peer when a trusted proxy sent no X-Forwarded-For', () => {
		expect(resolveClientIp({ remoteAddress: '10.0.0.5', trustedProxies })).toBe('10.0.0.5');
	});
});
