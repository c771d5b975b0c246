/**
 * The package's public contract: one identity shape for every provider, and the normalizers that map each
 * provider's formats onto it. Every key is always present; unknown values are null, never missing.
 */
import { isCalendarDay, text } from './util';

export type Provider = 'itsme' | 'idin' | 'eeid' | 'idnow';

export type IdentityStatus = 'pending' | 'verified' | 'failed' | 'cancelled' | 'expired' | 'review';

export const IDENTITY_STATUSES: readonly IdentityStatus[] = [
	'pending',
	'verified',
	'failed',
	'cancelled',
	'expired',
	'review',
];

export type Gender = 'male' | 'female' | 'diverse';

export interface IdentityAddress {
	street: string | null;
	houseNumber: string | null;
	postalCode: string | null;
	city: string | null;
	/** ISO 3166-1 alpha-2. */
	country: string | null;
}

export interface IdentityPerson {
	subjectId: string | null;
	/** The national identification number (personal code), where the provider states one. */
	nationalId: string | null;
	givenName: string | null;
	familyName: string | null;
	fullName: string | null;
	/** YYYY-MM-DD. */
	birthDate: string | null;
	gender: Gender | null;
	/** ISO 3166-1 alpha-2. */
	nationality: string | null;
	email: string | null;
	/** E.164. */
	phone: string | null;
	address: IdentityAddress;
	isAdult: boolean | null;
}

export interface IdentityDocument {
	type: string | null;
	number: string | null;
	/** ISO 3166-1 alpha-2. */
	issuingCountry: string | null;
	/** YYYY-MM-DD. */
	validUntil: string | null;
}

export type AssuranceLevel = 'low' | 'substantial' | 'high';

export const ASSURANCE_LEVELS: readonly AssuranceLevel[] = ['low', 'substantial', 'high'];

/** How strongly the person was identified: the eIDAS level of assurance, and the means the provider used. */
export interface IdentityAssurance {
	level: AssuranceLevel | null;
	/** e.g. SMART_ID, ID_CARD (eeID), iDIN, itsme, VIDEO_IDENT (IDnow). */
	method: string | null;
}

export interface NormalizedIdentity {
	provider: Provider;
	transactionId: string | null;
	reference: string | null;
	status: IdentityStatus;
	/** Always `status === 'verified'`: true only on the provider's positive answer about this person. */
	verified: boolean;
	/** Why the identity is not verified, in the provider's words; null when verified or when the provider says nothing. */
	reason: string | null;
	assurance: IdentityAssurance;
	/** ISO 8601, UTC. */
	completedAt: string | null;
	person: IdentityPerson;
	document: IdentityDocument;
	raw: unknown;
}

export interface WebhookEnvelope {
	provider: Provider;
	event: string;
	/** The same for every delivery of one event: feed it to n8n's Remove Duplicates node for exactly-once across processes. */
	deliveryId: string | null;
	transactionId: string | null;
	reference: string | null;
	/** Null when the trigger did not ask the provider: a delivery alone never claims a status. */
	status: IdentityStatus | null;
	/** Always `status === 'verified'`; null with the status. */
	verified: boolean | null;
	/** Why the event carries no identity or no positive answer (e.g. the provider could not be asked in time). */
	reason: string | null;
	/** ISO 8601, UTC. */
	receivedAt: string;
	signatureVerified: boolean;
	identity: NormalizedIdentity | null;
	raw: unknown;
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/**
 * `verified` is not accepted: it is derived from the status, so the two can never disagree. The assurance level
 * may be given in the provider's spelling; it is normalized like every other field.
 */
export type IdentityInput = DeepPartial<Omit<NormalizedIdentity, 'provider' | 'status' | 'verified' | 'assurance'>> & {
	provider: Provider;
	status: IdentityStatus;
	assurance?: { level?: string | null; method?: string | null };
};

/**
 * Completes a provider's partial mapping into the full contract, passing every field through its normalizer,
 * so a provider cannot emit a date, country, gender or phone number in its own format by mistake.
 */
export function buildIdentity(input: IdentityInput): NormalizedIdentity {
	const status = checkStatus(input.status);
	const person = input.person ?? {};
	const address = person.address ?? {};
	const document = input.document ?? {};
	const givenName = text(person.givenName);
	const familyName = text(person.familyName);
	return {
		provider: input.provider,
		transactionId: text(input.transactionId),
		reference: text(input.reference),
		status,
		verified: status === 'verified',
		reason: status === 'verified' ? null : text(input.reason),
		assurance: {
			level: normalizeAssuranceLevel(input.assurance?.level),
			method: text(input.assurance?.method),
		},
		completedAt: normalizeDateTime(input.completedAt),
		person: {
			subjectId: text(person.subjectId),
			nationalId: text(person.nationalId),
			givenName,
			familyName,
			fullName: text(person.fullName) ?? text([givenName, familyName].filter(Boolean).join(' ')),
			birthDate: normalizeDate(person.birthDate),
			gender: normalizeGender(person.gender),
			nationality: normalizeCountry(person.nationality),
			email: text(person.email),
			phone: normalizePhone(person.phone),
			address: {
				street: text(address.street),
				houseNumber: text(address.houseNumber),
				postalCode: text(address.postalCode),
				city: text(address.city),
				country: normalizeCountry(address.country),
			},
			isAdult: typeof person.isAdult === 'boolean' ? person.isAdult : null,
		},
		document: {
			type: text(document.type),
			number: text(document.number),
			issuingCountry: normalizeCountry(document.issuingCountry),
			validUntil: normalizeDate(document.validUntil),
		},
		raw: input.raw ?? null,
	};
}

export interface EnvelopeInput {
	provider: Provider;
	event: string;
	deliveryId?: string | null;
	transactionId?: string | null;
	reference?: string | null;
	status?: IdentityStatus | null;
	/** Defaults to now. */
	receivedAt?: string | number | Date;
	signatureVerified: boolean;
	identity?: NormalizedIdentity | null;
	reason?: string | null;
	raw?: unknown;
}

/** What a trigger emits per delivery; ids, status and reason fall back to the resolved identity's. */
export function buildEnvelope(input: EnvelopeInput): WebhookEnvelope {
	const identity = input.identity ?? null;
	const status = input.status ?? identity?.status ?? null;
	return {
		provider: input.provider,
		event: input.event,
		deliveryId: text(input.deliveryId),
		transactionId: text(input.transactionId) ?? identity?.transactionId ?? null,
		reference: text(input.reference) ?? identity?.reference ?? null,
		status: status === null ? null : checkStatus(status),
		verified: status === null ? null : status === 'verified',
		reason: text(input.reason) ?? identity?.reason ?? null,
		receivedAt: normalizeDateTime(input.receivedAt ?? new Date()) ?? new Date().toISOString(),
		signatureVerified: input.signatureVerified,
		identity,
		raw: input.raw ?? null,
	};
}

function checkStatus(status: IdentityStatus): IdentityStatus {
	if (IDENTITY_STATUSES.includes(status)) return status;
	throw new TypeError(`Unknown identity status "${String(status)}": map it to one of ${IDENTITY_STATUSES.join(', ')}`);
}

/**
 * eIDAS levels of assurance from the spellings providers use: the bare level, or a URI or code ending in it
 * (e.g. `http://eidas.europa.eu/LoA/high`, `eidas3` is not one of them and gives null).
 */
export function normalizeAssuranceLevel(value: unknown): AssuranceLevel | null {
	const word = /(?:^|[^a-z])(low|substantial|high)$/i.exec(text(value) ?? '')?.[1]?.toLowerCase();
	return ASSURANCE_LEVELS.find((level) => level === word) ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------------------------

/** YYYY-MM-DD from 'YYYY-MM-DD', 'YYYYMMDD', 'DD.MM.YYYY', an ISO date-time (its date as written) or a Date (UTC). */
export function normalizeDate(value: unknown): string | null {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
	const input = typeof value === 'number' && Number.isInteger(value) ? String(value) : value;
	if (typeof input !== 'string') return null;
	const trimmed = input.trim();
	const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(trimmed);
	if (iso) return formatDate(iso[1], iso[2], iso[3]);
	const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(trimmed);
	if (compact) return formatDate(compact[1], compact[2], compact[3]);
	const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(trimmed);
	if (german) return formatDate(german[3], german[2], german[1]);
	return null;
}

function formatDate(year: string, month: string, day: string): string | null {
	const valid = isCalendarDay(Number(year), Number(month), Number(day));
	return valid ? `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}` : null;
}

/** Seconds vs milliseconds for epoch numbers: anything below this is seconds (it is year 5138 in seconds). */
const EPOCH_SECONDS_LIMIT = 1e11;

/**
 * ISO 8601 in UTC from a Date, epoch seconds or milliseconds, a date (midnight UTC) or an ISO date-time.
 * A date-time without zone is read as UTC: reading it in the server's zone would make output depend on the host.
 */
export function normalizeDateTime(value: unknown): string | null {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
	if (typeof value === 'number') return fromEpoch(value);
	if (typeof value !== 'string') return null;
	const trimmed = value.trim();
	if (/^\d{9,}$/.test(trimmed)) return fromEpoch(Number(trimmed));
	const match =
		/^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i.exec(trimmed);
	if (!match) return null;
	const [, date, hours = '00', minutes = '00', seconds = '00', fraction = '', zone = 'Z'] = match;
	if (!normalizeDate(date) || Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59) return null;
	const parsed = Date.parse(`${date}T${hours}:${minutes}:${seconds}${fraction}${isoZone(zone)}`);
	return Number.isNaN(parsed) ? null : new Date(parsed).toISOString();
}

function fromEpoch(value: number): string | null {
	if (!Number.isFinite(value)) return null;
	const date = new Date(Math.abs(value) < EPOCH_SECONDS_LIMIT ? value * 1000 : value);
	return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** '+0200' and '+02' become '+02:00', the form Date.parse reliably accepts. */
function isoZone(zone: string): string {
	if (/^z$/i.test(zone)) return 'Z';
	const digits = zone.slice(1).replace(':', '').padEnd(4, '0');
	return `${zone[0]}${digits.slice(0, 2)}:${digits.slice(2)}`;
}

/**
 * Whether someone born on `birthDate` is at least `minimumAge` on `today` (both anything normalizeDate reads).
 * Someone born on 29 February comes of age on 1 March in non-leap years. Null when either date is unknown.
 */
export function isAdultOn(birthDate: unknown, today: unknown, minimumAge = 18): boolean | null {
	const birth = normalizeDate(birthDate);
	const on = normalizeDate(today);
	if (!birth || !on) return null;
	const comingOfAge = `${String(Number(birth.slice(0, 4)) + minimumAge).padStart(4, '0')}${birth.slice(4)}`;
	// Zero-padded YYYY-MM-DD strings compare like the dates they stand for.
	return on >= comingOfAge;
}

/**
 * Whether the person was of age when the provider finished with them, or today when the provider states no time
 * for that. Null when the birth date is unknown.
 */
export function isAdultWhenCompleted(birthDate: unknown, completedAt: string | null): boolean | null {
	return isAdultOn(birthDate, completedAt ?? new Date().toISOString());
}

// ---------------------------------------------------------------------------------------------------------------
// Gender
// ---------------------------------------------------------------------------------------------------------------

/** English, German, Dutch and French spellings and ISO/IEC 5218 codes (1 male, 2 female; 0 and 9 say nothing). */
const GENDERS: Record<string, Gender> = {
	m: 'male',
	male: 'male',
	man: 'male',
	mann: 'male',
	männlich: 'male',
	h: 'male',
	homme: 'male',
	'1': 'male',
	f: 'female',
	female: 'female',
	woman: 'female',
	w: 'female',
	frau: 'female',
	weiblich: 'female',
	v: 'female',
	vrouw: 'female',
	femme: 'female',
	'2': 'female',
	x: 'diverse',
	d: 'diverse',
	diverse: 'diverse',
	divers: 'diverse',
	other: 'diverse',
	'non-binary': 'diverse',
	nonbinary: 'diverse',
};

export function normalizeGender(value: unknown): Gender | null {
	const key = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim().toLowerCase() : '';
	return GENDERS[key] ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// Countries
// ---------------------------------------------------------------------------------------------------------------

/** Alpha-3 codes of Europe and of frequent other nationalities, plus common non-ISO spellings. */
const COUNTRY_ALIASES: Record<string, string> = {
	// Non-ISO: EU's code for Greece, the UK, and Germany's code in passports' machine-readable zone.
	EL: 'GR',
	UK: 'GB',
	D: 'DE',
	ALA: 'AX',
	ALB: 'AL',
	AND: 'AD',
	ARM: 'AM',
	AUT: 'AT',
	AZE: 'AZ',
	BEL: 'BE',
	BGR: 'BG',
	BIH: 'BA',
	BLR: 'BY',
	CHE: 'CH',
	CYP: 'CY',
	CZE: 'CZ',
	DEU: 'DE',
	DNK: 'DK',
	ESP: 'ES',
	EST: 'EE',
	FIN: 'FI',
	FRA: 'FR',
	FRO: 'FO',
	GBR: 'GB',
	GEO: 'GE',
	GGY: 'GG',
	GIB: 'GI',
	GRC: 'GR',
	GRL: 'GL',
	HRV: 'HR',
	HUN: 'HU',
	IMN: 'IM',
	IRL: 'IE',
	ISL: 'IS',
	ITA: 'IT',
	JEY: 'JE',
	LIE: 'LI',
	LTU: 'LT',
	LUX: 'LU',
	LVA: 'LV',
	MCO: 'MC',
	MDA: 'MD',
	MKD: 'MK',
	MLT: 'MT',
	MNE: 'ME',
	NLD: 'NL',
	NOR: 'NO',
	POL: 'PL',
	PRT: 'PT',
	ROU: 'RO',
	RUS: 'RU',
	SJM: 'SJ',
	SMR: 'SM',
	SRB: 'RS',
	SVK: 'SK',
	SVN: 'SI',
	SWE: 'SE',
	TUR: 'TR',
	UKR: 'UA',
	VAT: 'VA',
	XKX: 'XK',
	AFG: 'AF',
	ARE: 'AE',
	ARG: 'AR',
	AUS: 'AU',
	BRA: 'BR',
	CAN: 'CA',
	CHN: 'CN',
	DZA: 'DZ',
	EGY: 'EG',
	ERI: 'ER',
	ETH: 'ET',
	IDN: 'ID',
	IND: 'IN',
	IRN: 'IR',
	IRQ: 'IQ',
	ISR: 'IL',
	JPN: 'JP',
	KAZ: 'KZ',
	KOR: 'KR',
	LBN: 'LB',
	MAR: 'MA',
	MEX: 'MX',
	NGA: 'NG',
	NZL: 'NZ',
	PAK: 'PK',
	PHL: 'PH',
	SAU: 'SA',
	SOM: 'SO',
	SYR: 'SY',
	THA: 'TH',
	TUN: 'TN',
	USA: 'US',
	VNM: 'VN',
	ZAF: 'ZA',
};

/** ISO 3166-1 alpha-2, upper-case, from alpha-2 or a known alpha-3; null otherwise. */
export function normalizeCountry(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	const code = value.trim().toUpperCase();
	return COUNTRY_ALIASES[code] ?? (/^[A-Z]{2}$/.test(code) ? code : null);
}

// ---------------------------------------------------------------------------------------------------------------
// Phone numbers
// ---------------------------------------------------------------------------------------------------------------

const CALLING_CODES: Record<string, string> = {
	AD: '376',
	AL: '355',
	AT: '43',
	BA: '387',
	BE: '32',
	BG: '359',
	BY: '375',
	CH: '41',
	CY: '357',
	CZ: '420',
	DE: '49',
	DK: '45',
	EE: '372',
	ES: '34',
	FI: '358',
	FR: '33',
	GB: '44',
	GR: '30',
	HR: '385',
	HU: '36',
	IE: '353',
	IS: '354',
	IT: '39',
	LI: '423',
	LT: '370',
	LU: '352',
	LV: '371',
	MC: '377',
	MD: '373',
	ME: '382',
	MK: '389',
	MT: '356',
	NL: '31',
	NO: '47',
	PL: '48',
	PT: '351',
	RO: '40',
	RS: '381',
	SE: '46',
	SI: '386',
	SK: '421',
	SM: '378',
	TR: '90',
	UA: '380',
	VA: '379',
};

/** Countries whose national numbers have no trunk prefix: a national number is simply appended to the code. */
const WITHOUT_TRUNK_PREFIX = new Set(['AD', 'CY', 'CZ', 'DK', 'EE', 'ES', 'GR', 'IS', 'LI', 'LU', 'LV', 'MC', 'MT', 'NO', 'PL', 'PT']);

/** Countries whose leading 0 belongs to the number and stays after the calling code. */
const KEEPS_LEADING_ZERO = new Set(['IT', 'SM', 'VA']);

const E164 = /^\+[1-9]\d{6,14}$/;

/** Whether `value` is written in E.164: "+", the country code and the number, 7 to 15 digits in all, nothing else. */
export function isE164Phone(value: string): boolean {
	return E164.test(value);
}

/**
 * E.164 from international forms (+…, 00…) or, given the country, from national forms. Null when the number
 * cannot be placed with certainty: a wrong country code is worse than no phone number.
 */
export function normalizePhone(value: unknown, defaultCountry?: string): string | null {
	const input = typeof value === 'number' && Number.isInteger(value) ? String(value) : value;
	if (typeof input !== 'string') return null;
	// "+49 (0)30 …": the (0) is the trunk prefix, written for callers inside the country.
	const compact = input.replace(/\(0\)/g, '').replace(/[\s\-./()]/g, '');
	if (!/^\+?\d+$/.test(compact)) return null;
	const international = compact.startsWith('+')
		? compact
		: compact.startsWith('00')
			? `+${compact.slice(2)}`
			: fromNational(compact, normalizeCountry(defaultCountry));
	return international !== null && isE164Phone(international) ? international : null;
}

function fromNational(digits: string, country: string | null): string | null {
	const code = country ? CALLING_CODES[country] : undefined;
	if (!country || !code) return null;
	if (KEEPS_LEADING_ZERO.has(country)) return `+${code}${digits}`;
	if (WITHOUT_TRUNK_PREFIX.has(country)) return digits.startsWith('0') ? null : `+${code}${digits}`;
	return digits.startsWith('0') ? `+${code}${digits.slice(1)}` : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Addresses
// ---------------------------------------------------------------------------------------------------------------

/**
 * 12, 12a, 12 A, 12-14, 12/3, Dutch floors and parts (123-II, 12-hs), French "5 bis", optionally followed by a
 * Belgian/French box ("bus 3", "bte 5", "box 2").
 */
const HOUSE_NUMBER = String.raw`\d+(?:\s*[a-z](?![a-z]))?(?:\s*[-/]\s*(?:\d+(?:\s*[a-z](?![a-z]))?|[ivx]{1,4}|hs?)(?![a-z]))?(?:\s+(?:bis|ter))?(?:\s+(?:bus|box|bte|boîte)\.?\s*\w+)?`;
const NUMBER_LAST = new RegExp(String.raw`^(.+?)[\s,]+(${HOUSE_NUMBER})$`, 'i');
const NUMBER_FIRST = new RegExp(String.raw`^(${HOUSE_NUMBER}),?\s+(.+)$`, 'i');

/**
 * "Hauptstraße 12a" → street "Hauptstraße", house number "12a"; also the French/English order "16 rue de la Loi".
 * Line breaks (itsme puts them into streetAddress) count as spaces. Without a recognisable number the whole
 * text is the street.
 */
export function splitStreetAndHouseNumber(value: unknown): { street: string | null; houseNumber: string | null } {
	const line = typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : '';
	if (line === '') return { street: null, houseNumber: null };
	const numberLast = NUMBER_LAST.exec(line);
	if (numberLast) return { street: numberLast[1].replace(/,$/, ''), houseNumber: numberLast[2] };
	const numberFirst = NUMBER_FIRST.exec(line);
	if (numberFirst) return { street: numberFirst[2], houseNumber: numberFirst[1] };
	return { street: line, houseNumber: null };
}
