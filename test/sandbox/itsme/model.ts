/**
 * What the CM.com itsme API deals in, as /work/shared/seeds/000_e855d8466e8322e2.txt documents it: the fields of
 * `POST /transactions` and their checks, the statuses, the test people and the user info `GET /status` hands out.
 * Choices the document leaves open are listed in ./README.md.
 */
import { HttpError } from '../framework';

export const ITSME_SERVICES = ['login', 'register'] as const;
export const ITSME_SCOPES = ['profile', 'email', 'phone', 'address'] as const;
export const ITSME_LOCALES = ['en', 'nl', 'fr', 'de'] as const;

export type ItsmeService = (typeof ITSME_SERVICES)[number];
export type ItsmeScope = (typeof ITSME_SCOPES)[number];
export type ItsmeLocale = (typeof ITSME_LOCALES)[number];
export type ItsmeStatus = 'open' | 'success' | 'cancelled' | 'failure' | 'expired';
/** How an open transaction ends. */
export type ItsmeOutcome = Exclude<ItsmeStatus, 'open'>;

/** The fields of a valid `POST /transactions`, the merchant token excepted. */
export interface TransactionRequest {
	service: ItsmeService;
	scopes: ItsmeScope[];
	locale: ItsmeLocale | null;
	redirectUrl: string;
	phoneNumber: string | null;
}

export interface ItsmeAddress {
	/** May hold several lines separated by `\n`, as the document allows. */
	streetAddress: string;
	postalCode: string;
	city: string;
	countryCode: string;
}

/** A person with an itsme account, as the sandbox knows them. */
export interface ItsmeIdentity {
	/** The sandbox's handle for this person (page radio value, control argument); never sent by the API. */
	id: string;
	userId: string;
	givenName: string;
	familyName: string;
	gender: 'male' | 'female';
	birthdate: string;
	locale: ItsmeLocale;
	phoneNumber: string;
	emailAddress: string;
	address: ItsmeAddress;
}

/** The people who can approve a transaction; the first is the document's own example person. */
export const ITSME_IDENTITIES: readonly ItsmeIdentity[] = [
	{
		id: 'lucas',
		userId: 'QC1JJ6AgPTnDWTP3p6p3S1kMzPkLCVN41vzfaTxw',
		givenName: 'Lucas',
		familyName: 'Maes',
		gender: 'male',
		birthdate: '1974-01-31',
		locale: 'nl',
		phoneNumber: '+32471234567',
		emailAddress: 'lucas.maes@example.com',
		address: { streetAddress: 'Rue Neuve 1', postalCode: '1000', city: 'Bruxelles', countryCode: 'BE' },
	},
	{
		id: 'elise',
		userId: 'Hn7Qe2LwZp4Vb9XcKd3RtY6uMa8SfJg1Ez5NoPiW',
		givenName: 'Élise',
		familyName: 'Van der Meulen',
		gender: 'female',
		birthdate: '1988-06-15',
		locale: 'fr',
		phoneNumber: '+32478112233',
		emailAddress: 'elise.vandermeulen@example.org',
		address: {
			streetAddress: 'Rue de la Loi 16\nBoîte 3',
			postalCode: '1000',
			city: 'Bruxelles',
			countryCode: 'BE',
		},
	},
	{
		id: 'lena',
		userId: 'Tb4Kx9PqWm2Zr7Jc5Vn8Ly3Hd6Fs1Gu0Ae4Bo7Ci',
		givenName: 'Lena',
		familyName: 'Schmitz',
		gender: 'female',
		birthdate: '2001-12-03',
		locale: 'de',
		phoneNumber: '+32491556677',
		emailAddress: 'lena.schmitz@example.net',
		address: { streetAddress: 'Kirchgasse', postalCode: '4780', city: 'Sankt Vith', countryCode: 'BE' },
	},
];

export const DEFAULT_IDENTITY_ID = ITSME_IDENTITIES[0].id;

export function findIdentity(id: string): ItsmeIdentity | undefined {
	return ITSME_IDENTITIES.find((identity) => identity.id === id);
}

/** The identity the merchant's prefilled phone number belongs to, so the page can preselect that person. */
export function identityByPhone(phoneNumber: string | null): ItsmeIdentity | undefined {
	return ITSME_IDENTITIES.find((identity) => identity.phoneNumber === phoneNumber);
}

/**
 * The user info of a successful transaction, limited to what the scopes asked for, keys in the document's order.
 * `userId` belongs to no scope: it identifies the person across transactions, so it always comes along.
 */
export function userInfo(identity: ItsmeIdentity, scopes: readonly ItsmeScope[]): Record<string, unknown> {
	const info: Record<string, unknown> = { userId: identity.userId };
	if (scopes.includes('profile')) {
		info.name = {
			givenName: identity.givenName,
			familyName: identity.familyName,
			fullName: `${identity.givenName} ${identity.familyName}`,
		};
		info.gender = identity.gender;
		info.birthdate = identity.birthdate;
		info.locale = identity.locale;
	}
	if (scopes.includes('phone')) info.phoneNumber = identity.phoneNumber;
	if (scopes.includes('email')) info.emailAddress = identity.emailAddress;
	if (scopes.includes('address')) info.address = { ...identity.address };
	return info;
}

/** The merchant token of a create request; its value never appears in an error message. */
export function merchantTokenOf(body: unknown): string {
	if (!isRecord(body)) throw new HttpError(400, 'Request body must be a JSON object');
	if (body.token === undefined) throw new HttpError(400, 'token is required');
	if (typeof body.token !== 'string' || body.token === '') throw new HttpError(400, 'token must be a non-empty string');
	return body.token;
}

/**
 * The remaining fields of `POST /transactions`, checked in the document's order; the first problem found is the
 * answer. Optional fields may be left out, but when present (null included) they must be valid.
 */
export function validateTransactionRequest(body: Record<string, unknown>): TransactionRequest {
	return {
		service: requiredChoice(body, 'service', ITSME_SERVICES),
		scopes: scopesOf(body.scopes),
		locale: body.locale === undefined ? null : choice('locale', body.locale, ITSME_LOCALES),
		redirectUrl: redirectUrlOf(body.redirectUrl),
		phoneNumber: body.phoneNumber === undefined ? null : phoneNumberOf(body.phoneNumber),
	};
}

function requiredChoice<T extends string>(body: Record<string, unknown>, field: string, allowed: readonly T[]): T {
	if (body[field] === undefined) throw new HttpError(400, `${field} is required`);
	return choice(field, body[field], allowed);
}

function choice<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
	if (typeof value !== 'string' || !allowed.includes(value as T)) {
		throw new HttpError(400, `${field} must be one of ${allowed.join(', ')}`);
	}
	return value as T;
}

/** A repeated scope asks for the same data twice, so it counts once. */
function scopesOf(value: unknown): ItsmeScope[] {
	if (value === undefined) return [];
	if (!Array.isArray(value)) throw new HttpError(400, `scopes must be an array of ${ITSME_SCOPES.join(', ')}`);
	const scopes = value.map((scope, index) => choice(`scopes[${index}]`, scope, ITSME_SCOPES));
	return [...new Set(scopes)];
}

/**
 * An absolute http(s) URL in printable ASCII: it goes back verbatim in a `Location` header, which cannot carry
 * anything else. Plain http is allowed because merchants test on localhost.
 */
function redirectUrlOf(value: unknown): string {
	if (value === undefined) throw new HttpError(400, 'redirectUrl is required');
	const valid =
		typeof value === 'string' &&
		/^[\x21-\x7e]+$/.test(value) &&
		URL.canParse(value) &&
		['http:', 'https:'].includes(new URL(value).protocol);
	if (!valid) throw new HttpError(400, 'redirectUrl must be an absolute http or https URL');
	return value;
}

function phoneNumberOf(value: unknown): string {
	if (typeof value !== 'string' || !/^\+[1-9]\d{1,14}$/.test(value)) {
		throw new HttpError(400, 'phoneNumber must be in E.164 format, e.g. +32471234567');
	}
	return value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
