/** Small helpers every part of the shared core and every provider uses; each exists only here. */

export function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}

/** Trimmed text, or null for anything empty or not text-like (finite numbers count as text). */
export function text(value: unknown): string | null {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') return null;
	const trimmed = value.trim();
	return trimmed === '' ? null : trimmed;
}

/** A header's value by case-insensitive name, from any plain header map. */
export function headerValue(headers: unknown, name: string): unknown {
	if (!isObject(headers)) return undefined;
	const wanted = name.toLowerCase();
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === wanted);
	return key === undefined ? undefined : headers[key];
}

/** The first value of a header as text (Node gives arrays for repeated headers, some clients numbers). */
export function headerText(headers: unknown, name: string): string | undefined {
	const value = headerValue(headers, name);
	const first: unknown = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' || typeof first === 'number' ? String(first) : undefined;
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

/** A base URL as configured, without trailing slashes, or the provider's default when none is set. */
export function baseUrlOf(configured: unknown, fallback: string): string {
	const value = typeof configured === 'string' && configured.trim() !== '' ? configured.trim() : fallback;
	return value.replace(/\/+$/, '');
}
