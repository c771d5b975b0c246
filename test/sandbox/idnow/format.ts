/**
 * Small shared helpers: IDnow's timestamps (German local time with its offset, as the document's examples show),
 * identifiers in the document's shapes, and JSON type guards.
 */
import { randomBytes } from 'node:crypto';

const BERLIN_OFFSET = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', timeZoneName: 'longOffset' });

/** Minutes Europe/Berlin is ahead of UTC at `ms` (60 or 120). */
function berlinOffsetMinutes(ms: number): number {
	const name = BERLIN_OFFSET.formatToParts(new Date(ms)).find((part) => part.type === 'timeZoneName')?.value ?? '';
	const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
	if (match === null) return 0;
	const minutes = Number(match[2]) * 60 + Number(match[3]);
	return match[1] === '-' ? -minutes : minutes;
}

/** `2018-09-05T11:06:21+02:00`: seconds, German local time, explicit offset. */
export function berlinTime(ms: number): string {
	const offset = berlinOffsetMinutes(ms);
	const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
	const sign = offset < 0 ? '-' : '+';
	const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
	const minutes = String(Math.abs(offset) % 60).padStart(2, '0');
	return `${local}${sign}${hours}:${minutes}`;
}

/** `20250516-085942`, German local time, as in the document's image file names. */
export function berlinFileStamp(ms: number): string {
	return berlinTime(ms).slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
}

/** The next 03:00 German local time strictly after `ms` (03:00 exists exactly once on every day, DST or not). */
export function nextBerlinNight(ms: number): number {
	const local = new Date(ms + berlinOffsetMinutes(ms) * 60_000);
	for (let day = 0; day < 3; day++) {
		const candidateLocal = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + day, 3);
		const candidate = candidateLocal - berlinOffsetMinutes(candidateLocal - 2 * 3_600_000) * 60_000;
		if (candidate > ms) return candidate;
	}
	throw new Error('unreachable: a night follows within three days');
}

const HEX = '0123456789ABCDEF';
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomFrom(alphabet: string, length: number): string {
	return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
}

/** 14 characters like the document's `99921269855041`, `99920006C38842`, `9992403897831D`. */
export function newOrderId(): string {
	return `999${randomFrom(HEX, 11)}`;
}

/** 32 upper-case hex characters, like the TargetURL's `37C4B60A72A1C6C74FC038282CED500B`. */
export function newLinkToken(): string {
	return randomFrom(HEX, 32);
}

/** `SHU8T` (5) and `a9PPz-eFcNBifsk--bNJ` (20). */
export function newVideoHashes(): { ShortCode: string; LongCode: string } {
	return {
		ShortCode: randomFrom('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 5),
		LongCode: randomFrom(`${ALPHANUMERIC}-`, 20),
	};
}

export function randomDigits(length: number): string {
	return randomFrom('0123456789', length);
}

export function newPassword(): string {
	return randomFrom(ALPHANUMERIC, 16);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isHttpUrl(value: unknown): value is string {
	return typeof value === 'string' && URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol);
}
