/** Small helpers every part of the shared core and every provider uses; each exists only here. */
import type { IDataObject } from 'n8n-workflow';

export function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}

/** A JSON object (`{…}`): an object that is not an array. */
export function isJsonObject(value: unknown): value is IDataObject {
	return isObject(value) && !Array.isArray(value);
}

/** The value of a JSON text, or undefined when it is not JSON (JSON itself never gives undefined). */
export function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

/** What a thrown value says: its message, or the value as text when it has none. */
export function messageOf(error: unknown): string {
	if (isObject(error) && typeof error.message === 'string') return error.message;
	return String(error);
}

/** Trimmed text, or null for anything empty or not text-like (finite numbers count as text). */
export function text(value: unknown): string | null {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') return null;
	const trimmed = value.trim();
	return trimmed === '' ? null : trimmed;
}

/** A value by case-insensitive name, from any plain map: headers, or a query someone typed by hand. */
export function valueByName(map: unknown, name: string): unknown {
	if (!isObject(map)) return undefined;
	const wanted = name.toLowerCase();
	const key = Object.keys(map).find((candidate) => candidate.toLowerCase() === wanted);
	return key === undefined ? undefined : map[key];
}

/** A header's value by case-insensitive name, from any plain header map. */
export function headerValue(headers: unknown, name: string): unknown {
	return valueByName(headers, name);
}

/** The first value of a header as text (Node gives arrays for repeated headers, some clients numbers). */
export function headerText(headers: unknown, name: string): string | undefined {
	const value = headerValue(headers, name);
	const first: unknown = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' || typeof first === 'number' ? String(first) : undefined;
}

/** The first of a value sent more than once (Node gives arrays for repeated query parameters), when it is text. */
export function firstText(value: unknown): string | undefined {
	const first: unknown = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' ? first : undefined;
}

export type ByteStream = AsyncIterable<Buffer | string> & { pipe: unknown };

export function isReadableStream(value: unknown): value is ByteStream {
	return isObject(value) && typeof value.pipe === 'function';
}

/** Reads a stream up to `limit` bytes; leaving the loop early destroys the rest of it, as it should. */
export async function readBounded(stream: ByteStream, limit: number): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream) {
		const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
		chunks.push(bytes);
		size += bytes.length;
		if (size >= limit) break;
	}
	return Buffer.concat(chunks).subarray(0, limit);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `value` is a YYYY-MM-DD date that exists in the calendar (no 31 April, 29 February only in leap years). */
export function isCalendarDate(value: string): boolean {
	const match = ISO_DATE.exec(value);
	if (!match) return false;
	return isCalendarDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

export function isCalendarDay(year: number, month: number, day: number): boolean {
	const date = new Date(0);
	// setUTCFullYear, unlike Date.UTC, does not read the years 0–99 as 1900–1999.
	date.setUTCFullYear(year, month - 1, day);
	return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a UUID (a GUID), written 8-4-4-4-12 in hexadecimal digits of either case. */
export function isUuid(value: string): boolean {
	return UUID.test(value);
}

const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Whether `value` has the shape of an e-mail address: no spaces, one @, a dot in the domain. */
export function isEmailAddress(value: string): boolean {
	return EMAIL_ADDRESS.test(value);
}

/** A base URL as configured, without trailing slashes, or the provider's default when none is set. */
export function baseUrlOf(configured: unknown, fallback: string): string {
	const value = typeof configured === 'string' && configured.trim() !== '' ? configured.trim() : fallback;
	return value.replace(/\/+$/, '');
}

/** For the `baseURL` of a credential's test request: the credential's Base URL, trimmed, without trailing slashes, or the default. */
export function baseUrlExpression(fallback: string): string {
	return `={{ ($credentials.baseUrl || "${fallback}").trim().replace(/\\/+$/, "") }}`;
}
