/**
 * Checks for incoming provider webhooks: HMAC signatures, shared secrets, IP allowlists behind proxies.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'crypto';

import { InputError } from './errors';
import { firstText } from './util';

// ---------------------------------------------------------------------------------------------------------------
// Signatures and shared secrets
// ---------------------------------------------------------------------------------------------------------------

/** Per-process key for {@link safeEqual}; its value never matters, only that callers cannot predict it. */
const COMPARISON_KEY = randomBytes(32);

/**
 * Constant-time comparison that also hides the length of the expected value: both sides are reduced to
 * HMAC digests of equal length first, and those are compared with timingSafeEqual.
 */
export function safeEqual(a: string | Buffer, b: string | Buffer): boolean {
	const digestA = createHmac('sha256', COMPARISON_KEY).update(a).digest();
	const digestB = createHmac('sha256', COMPARISON_KEY).update(b).digest();
	return timingSafeEqual(digestA, digestB);
}

export type SignatureEncoding = 'hex' | 'base64';

export function hmacSha256(secret: string | Buffer, payload: string | Buffer, encoding: SignatureEncoding): string {
	return createHmac('sha256', secret).update(payload).digest(encoding);
}

export interface HmacVerification {
	secret: string | Buffer;
	/** Byte variants the provider may have signed, most likely first (eeID: raw body, then body without whitespace). */
	payloads: Array<Buffer | string>;
	signature: string | undefined;
	encoding: SignatureEncoding;
	/** A scheme label in front of the value, e.g. 'sha256='; stripped when present. */
	prefix?: string;
}

export function verifyHmacSha256({ secret, payloads, signature, encoding, prefix }: HmacVerification): boolean {
	if (!signature || secret.length === 0) return false;
	const provided = decodeSignature(stripPrefix(signature.trim(), prefix), encoding);
	if (!provided) return false;
	return payloads.some((payload) => safeEqual(createHmac('sha256', secret).update(payload).digest(), provided));
}

function stripPrefix(signature: string, prefix: string | undefined): string {
	if (!prefix || !signature.toLowerCase().startsWith(prefix.toLowerCase())) return signature;
	return signature.slice(prefix.length).trim();
}

/** Decoding to bytes makes hex case and base64 padding/alphabet variants irrelevant. */
function decodeSignature(signature: string, encoding: SignatureEncoding): Buffer | undefined {
	if (encoding === 'hex') {
		return /^(?:[0-9a-f]{2})+$/i.test(signature) ? Buffer.from(signature, 'hex') : undefined;
	}
	return /^[A-Za-z0-9+/_-]+={0,2}$/.test(signature) ? Buffer.from(signature, 'base64') : undefined;
}

/** A shared secret sent in a header or a URL query parameter; a missing or empty value on either side fails. */
export function checkSharedSecret({ expected, provided }: { expected: string | undefined; provided: unknown }): boolean {
	const value = firstText(provided);
	if (!expected || value === undefined || value === '') return false;
	return safeEqual(expected, value);
}

// ---------------------------------------------------------------------------------------------------------------
// IP allowlists (parsed by hand: community nodes may not import node:net)
// ---------------------------------------------------------------------------------------------------------------

export interface CidrRange {
	family: 4 | 6;
	/** Network address with the host bits cleared. */
	network: bigint;
	prefix: number;
	/** The entry as the user wrote it, for messages. */
	text: string;
}

interface IpAddress {
	family: 4 | 6;
	value: bigint;
}

const FAMILY_BITS = { 4: 32, 6: 128 } as const;

/** ::ffff:0:0/96 holds IPv4 addresses as a dual-stack socket reports them; they are matched as IPv4. */
const IPV4_MAPPED_HIGH_BITS = 0xffffn;
const IPV4_MAPPED_PREFIX_LENGTH = 96;

/** Comma-, whitespace- or newline-separated IPv4/IPv6 addresses, each optionally with a /prefix. */
export function parseCidrList(text: string): CidrRange[] {
	return text
		.split(/[\s,]+/)
		.filter((entry) => entry !== '')
		.map(parseCidr);
}

function parseCidr(entry: string): CidrRange {
	const [addressText, prefixText, extra] = entry.split('/');
	const address = parseRawIp(addressText);
	const bits = address ? FAMILY_BITS[address.family] : 0;
	const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
	const mapped = address !== undefined && isIpv4Mapped(address);
	if (!address || extra !== undefined || !(prefix >= 0 && prefix <= bits) || (mapped && prefix < IPV4_MAPPED_PREFIX_LENGTH)) {
		throw new InputError(
			`"${entry}" is not a valid IP address or range`,
			'Use IPv4 or IPv6 addresses, each optionally with a prefix length, separated by commas or new lines, e.g. 203.0.113.7, 203.0.113.0/24, 2001:db8::/32.',
		);
	}
	if (mapped) return toRange(unmapIpv4(address), prefix - IPV4_MAPPED_PREFIX_LENGTH, entry);
	return toRange(address, prefix, entry);
}

function toRange(address: IpAddress, prefix: number, text: string): CidrRange {
	return { family: address.family, network: maskTo(address, prefix), prefix, text };
}

function maskTo(address: IpAddress, prefix: number): bigint {
	const hostBits = BigInt(FAMILY_BITS[address.family] - prefix);
	return (address.value >> hostBits) << hostBits;
}

export function isIpAllowed(ip: string, ranges: CidrRange[]): boolean {
	const address = parseIp(ip);
	if (!address) return false;
	return ranges.some((range) => range.family === address.family && maskTo(address, range.prefix) === range.network);
}

export interface ClientIpSources {
	/** The TCP peer, e.g. req.socket.remoteAddress. */
	remoteAddress: string | undefined;
	forwardedFor?: string | string[];
	trustedProxies: CidrRange[];
}

/**
 * The client's address. X-Forwarded-For is anyone's to write, so it only counts when the peer itself is a trusted
 * proxy, and then only up to the first hop (from the right) that is not a trusted proxy: everything left of that
 * was written by the client and proves nothing.
 */
export function resolveClientIp({ remoteAddress, forwardedFor, trustedProxies }: ClientIpSources): string {
	const peer = (remoteAddress ?? '').trim();
	if (!isIpAllowed(peer, trustedProxies)) return peer;
	const hops = [forwardedFor ?? []]
		.flat()
		.join(',')
		.split(',')
		.map((hop) => hop.trim())
		.filter((hop) => hop !== '');
	for (let index = hops.length - 1; index >= 0; index--) {
		if (!isIpAllowed(hops[index], trustedProxies)) return hops[index];
	}
	return hops[0] ?? peer;
}

function parseIp(text: string | undefined): IpAddress | undefined {
	const address = parseRawIp(text);
	return address && isIpv4Mapped(address) ? unmapIpv4(address) : address;
}

function parseRawIp(text: string | undefined): IpAddress | undefined {
	const address = stripPortAndZone((text ?? '').trim());
	const ipv4 = parseIpv4(address);
	if (ipv4 !== undefined) return { family: 4, value: ipv4 };
	const ipv6 = parseIpv6(address);
	return ipv6 === undefined ? undefined : { family: 6, value: ipv6 };
}

/** Proxies sometimes write `1.2.3.4:5678` or `[2001:db8::1]:443`; zone ids (`fe80::1%eth0`) name a local interface. */
function stripPortAndZone(text: string): string {
	const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
	const withoutPort = bracketed ? bracketed[1] : text.replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, '$1');
	return withoutPort.replace(/%[\w.-]+$/, '');
}

function isIpv4Mapped(address: IpAddress): boolean {
	return address.family === 6 && address.value >> 32n === IPV4_MAPPED_HIGH_BITS;
}

function unmapIpv4(address: IpAddress): IpAddress {
	return { family: 4, value: address.value & 0xffffffffn };
}

function parseIpv4(text: string): bigint | undefined {
	const octets = text.split('.');
	if (octets.length !== 4) return undefined;
	let value = 0n;
	for (const octet of octets) {
		// Leading zeros are refused: some parsers read them as octal, so their meaning is ambiguous.
		if (!/^(?:0|[1-9]\d{0,2})$/.test(octet) || Number(octet) > 255) return undefined;
		value = (value << 8n) | BigInt(octet);
	}
	return value;
}

function parseIpv6(text: string): bigint | undefined {
	const halves = text.split('::');
	if (halves.length > 2) return undefined;
	const compressed = halves.length === 2;
	// Only the very last group may be written as a dotted IPv4 address.
	const head = parseIpv6Groups(halves[0], !compressed);
	const tail = compressed ? parseIpv6Groups(halves[1], true) : [];
	if (!head || !tail) return undefined;
	const missing = 8 - head.length - tail.length;
	if (compressed ? missing < 1 : missing !== 0) return undefined;
	return [...head, ...new Array<number>(missing).fill(0), ...tail].reduce(
		(value, group) => (value << 16n) | BigInt(group),
		0n,
	);
}

function parseIpv6Groups(text: string, mayEndWithIpv4: boolean): number[] | undefined {
	if (text === '') return [];
	const parts = text.split(':');
	const groups: number[] = [];
	for (const [index, part] of parts.entries()) {
		const ipv4 = mayEndWithIpv4 && index === parts.length - 1 ? parseIpv4(part) : undefined;
		if (ipv4 !== undefined) {
			groups.push(Number(ipv4 >> 16n), Number(ipv4 & 0xffffn));
		} else if (/^[0-9a-f]{1,4}$/i.test(part)) {
			groups.push(parseInt(part, 16));
		} else {
			return undefined;
		}
	}
	return groups;
}
