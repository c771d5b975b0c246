/**
 * The identification result and how getIdentData shows it (3.3): the checked data (Type 1) built from putOrder's
 * IdentData (the Testrobot echoes it) or from the document's example person, the initial data (Type 2) with the
 * example's quirks, the two shapes of IdentData (array, or object with Images), the eID extras, and the signed
 * ident data of chapter 7 (opaque to the customer, sealed with a sandbox-only key).
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

import { berlinFileStamp, berlinTime, isRecord, randomDigits } from './format';
import { SAMPLE_IMAGES } from './media';
import { ADD, PRODUCT, type IdentDataFormat, type IdentifyMethod, type Image, type StoredOrder } from './types';

/** The document's example person (3.3.7 and the PDF of 3.4.6), with an ID card valid into the future. */
export const DEFAULT_PERSON = {
	Firstname: 'Erika',
	Surname: 'Mustermann',
	Street: 'Heidestr. 17',
	ZipCode: '51147',
	City: 'Köln',
	Country: 'DE',
	Birthdate: '1964-08-12',
	Birthplace: 'Berlin',
	Nationality: 'DE',
	Gender: 'female',
	IDCard: {
		CardNo: 'T22000129',
		PlaceOfIssue: 'Stadt Köln',
		DateOfIssue: '2021-11-01',
		ValidUntil: '2031-10-31',
		Type: 'IDCard',
		CountryOfIssue: 'DE',
	},
} as const;

/**
 * The checked data's fields in the document's key order: `required` ones (Occ Y) fall back to the example person,
 * `given` ones appear only when known, `nullable` ones are null otherwise (the Testrobot example's Birthname).
 */
const CHECKED_FIELDS: ReadonlyArray<[field: string, rule: 'required' | 'given' | 'nullable']> = [
	['Firstname', 'required'],
	['Surname', 'required'],
	['Street', 'required'],
	['ZipCode', 'required'],
	['City', 'required'],
	['Country', 'given'],
	['Birthdate', 'required'],
	['Birthplace', 'required'],
	['Birthname', 'nullable'],
	['Nationality', 'given'],
	['Title', 'given'],
	['Artistname', 'given'],
	['Gender', 'given'],
];

/** The agent of the document's PDF example ("Identifizierer 1872"). */
const AGENT_ID = 1872;
/** Where the sandbox says the person identified from (TEST-NET-3). */
export const SANDBOX_USER_IP = '203.0.113.7';

export function identifyMethodOf(product: number): IdentifyMethod {
	if (product === PRODUCT.eid) return 'eID';
	if (product === PRODUCT.autoId) return 'AutoID';
	if (product === PRODUCT.shop || product === PRODUCT.reader) return 'Shop';
	return 'Video';
}

function givenIdentData(order: StoredOrder): Record<string, unknown> | undefined {
	return isRecord(order.body.IdentData) ? order.body.IdentData : undefined;
}

/** The checked data (Type 1): what was given, required fields the person did not give from the example person. */
export function checkedData(order: StoredOrder, method: IdentifyMethod): Record<string, unknown> {
	const given = givenIdentData(order);
	if (method === 'eID' && (order.add & ADD.eidRestrictedIdentifierOnly) !== 0) {
		return { Type: 1, IDCard: { eidRestrictedIdentifier: restrictedIdentifier(given) } };
	}
	const person: Record<string, unknown> = given ?? DEFAULT_PERSON;
	const fallback: Record<string, unknown> = DEFAULT_PERSON;
	const checked: Record<string, unknown> = { Type: 1 };
	for (const [field, rule] of CHECKED_FIELDS) {
		const value = person[field] ?? (rule === 'required' ? fallback[field] : rule === 'nullable' ? null : undefined);
		if (value !== undefined) checked[field] = value;
	}
	if (order.phone?.verified && order.mobile !== null) checked.Mobile = order.mobile;
	if (person.Email !== undefined) checked.Email = person.Email;
	checked.IDCard = checkedCard(person, method, given);
	if (isRecord(person.DriverLicence)) checked.DriverLicence = { ...person.DriverLicence };
	if (isRecord(person.Additional)) checked.Additional = additionalValues(person.Additional);
	return checked;
}

function checkedCard(
	person: Record<string, unknown>,
	method: IdentifyMethod,
	given: Record<string, unknown> | undefined,
): Record<string, unknown> {
	const { Images: _images, ...card } = (isRecord(person.IDCard) ? person.IDCard : DEFAULT_PERSON.IDCard) as Record<
		string,
		unknown
	>;
	const type = typeof card.Type === 'string' ? card.Type : 'IDCard';
	const documentType = { extDocumentType: type === 'Passport' ? 2 : 1 };
	if (method !== 'eID') return { ...card, Type: type, ...documentType };
	// An eID-only identification has no card number, place or date of issue, but the restricted identifier.
	const { CardNo: _cardNo, PlaceOfIssue: _place, DateOfIssue: _date, ...rest } = card;
	return { eidRestrictedIdentifier: restrictedIdentifier(given), ...rest, Type: type, ...documentType };
}

/** Random, unless the putOrder gave a CardNo: then derived from it (9.5). */
function restrictedIdentifier(given: Record<string, unknown> | undefined): string {
	const cardNo = isRecord(given?.IDCard) ? given.IDCard.CardNo : undefined;
	const source = typeof cardNo === 'string' ? `card:${cardNo}` : randomBytes(16).toString('hex');
	return createHash('sha256').update(source).digest('hex').toUpperCase();
}

function additionalValues(additional: Record<string, unknown>): Record<string, string> {
	return Object.fromEntries(
		Object.entries(additional).map(([name, detail]) => [name, isRecord(detail) ? String(detail.Value ?? '') : '']),
	);
}

/**
 * The initial data (Type 2) as the document's example shows it: the given fields, and an IDCard that is always
 * there, with CardNo and PlaceOfIssue null and ValidUntil 1970-01-01 when they were not given.
 */
export function initialData(order: StoredOrder): Record<string, unknown> {
	const { IDCard, ...given } = givenIdentData(order) ?? {};
	const { Images: _images, ...card } = isRecord(IDCard) ? IDCard : {};
	return {
		Type: 2,
		...given,
		IDCard: { CardNo: null, PlaceOfIssue: null, ValidUntil: '1970-01-01', ...card },
	};
}

/** The Testrobot's "sample images", named like the document's (`front_20250516-085942-865344415.jpg`). */
export function recordedImages(at: number): Image[] {
	return SAMPLE_IMAGES.map((image) => ({
		Image: image.jpeg.toString('base64'),
		Filename: `${image.kind}_${berlinFileStamp(at)}-${randomDigits(9)}.jpg`,
	}));
}

export function agentIdFor(method: IdentifyMethod): number | undefined {
	return method === 'eID' ? undefined : AGENT_ID;
}

export interface IdentDataView {
	includeInitialData: boolean;
	includeIdentifyMethod: boolean;
	includeIdentifier: boolean;
	includeEidJwt: boolean;
	format: IdentDataFormat;
	collectUserIp: boolean;
}

/** The getIdentData answer, in the document's key order. */
export function presentIdentData(order: StoredOrder, view: IdentDataView): Record<string, unknown> {
	const result = order.result;
	if (result === null) throw new Error(`order ${order.id} has no identification result`);
	const answer: Record<string, unknown> = { Identitfied: berlinTime(result.identifiedAt) };
	if (view.includeIdentifyMethod) answer.IdentifyMethod = result.method;
	if (view.includeIdentifier && result.identifier !== undefined) answer.Identifier = result.identifier;
	if (view.collectUserIp) answer.UserIp = SANDBOX_USER_IP;
	if (order.product === PRODUCT.reader) {
		Object.assign(answer, { OcrStatus: 0, eIdUsed: false, SecurityCheckFailed: false });
	}
	if (order.fraudAttempt) answer.FraudAttempt = true;
	if (view.includeEidJwt && result.method === 'eID') answer.eidJwt = eidJwt(order);
	const entries = view.includeInitialData ? [result.checked, initialData(order)] : [result.checked];
	answer.IdentData =
		view.format === 'array'
			? entries
			: { ...Object.fromEntries(entries.map((entry, index) => [String(index), entry])), Images: result.images };
	return answer;
}

const JWT_SECRET = 'idnow-sandbox-eid-attestation';

/** The eID transaction attestation: an HS256 JWT with a sandbox-only secret (the real key is IDnow's). */
function eidJwt(order: StoredOrder): string {
	const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const card = isRecord(order.result?.checked.IDCard) ? order.result?.checked.IDCard : {};
	const payload = {
		iss: 'https://customer.identity.tm',
		sub: order.id,
		iat: Math.floor((order.result?.identifiedAt ?? 0) / 1000),
		eidRestrictedIdentifier: card?.eidRestrictedIdentifier,
	};
	const input = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
	return `${input}.${createHmac('sha256', JWT_SECRET).update(input).digest('base64url')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Signed ident data (chapter 7)

const SEAL_KEY = createHash('sha256').update('idnow-sandbox-signed-ident-data').digest();
const SEAL_IV_BYTES = 12;

export interface SignedIdentData {
	account: string;
	orderId: string;
	checked: Record<string, unknown>;
	signedAt: string;
}

/** getIdentData/Signed: the checked data, encrypted and authenticated with a key only "IDnow" holds. */
export function sealIdentData(order: StoredOrder, now: number): string {
	if (order.result === null) throw new Error(`order ${order.id} has no identification result`);
	const payload: SignedIdentData = {
		account: order.account,
		orderId: order.id,
		checked: order.result.checked,
		signedAt: berlinTime(now),
	};
	const iv = randomBytes(SEAL_IV_BYTES);
	const cipher = createCipheriv('aes-256-gcm', SEAL_KEY, iv);
	const sealed = Buffer.concat([iv, cipher.update(JSON.stringify(payload)), cipher.final(), cipher.getAuthTag()]);
	return sealed.toString('base64');
}

/** The sealed data, or undefined when it was tampered with or was never sealed here. */
export function openIdentData(token: string): SignedIdentData | undefined {
	try {
		const sealed = Buffer.from(token, 'base64');
		const decipher = createDecipheriv('aes-256-gcm', SEAL_KEY, sealed.subarray(0, SEAL_IV_BYTES));
		decipher.setAuthTag(sealed.subarray(sealed.length - 16));
		const plain = Buffer.concat([
			decipher.update(sealed.subarray(SEAL_IV_BYTES, sealed.length - 16)),
			decipher.final(),
		]);
		return JSON.parse(plain.toString('utf8')) as SignedIdentData;
	} catch {
		return undefined;
	}
}

/** Chapter 7's checks: untampered (opened), sufficient for signing (names and birth date), document still valid. */
export function acceptsSignedData(data: SignedIdentData | undefined, account: string, today: string): boolean {
	if (data === undefined || data.account !== account) return false;
	const { Firstname, Surname, Birthdate, IDCard } = data.checked;
	const validUntil = isRecord(IDCard) ? IDCard.ValidUntil : undefined;
	const sufficient = [Firstname, Surname, Birthdate].every((value) => typeof value === 'string' && value !== '');
	return sufficient && typeof validUntil === 'string' && validUntil >= today;
}
