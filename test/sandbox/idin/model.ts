/**
 * The iDIN invites resources: what is stored, how a request body is validated, and the JSON the API shows.
 * The shapes and key orders are the document's; see README.md for every rule the document leaves open.
 */
import { HttpError } from '../framework';

export const ATTRIBUTE_NAMES = [
	'identity',
	'name',
	'address',
	'18y_or_older',
	'date_of_birth',
	'gender',
	'telephone_number',
	'email_address',
] as const;

export type AttributeName = (typeof ATTRIBUTE_NAMES)[number];
/** As sent: the document shows booleans and the string "true" side by side, and echoes them unchanged. */
export type AttributeValue = boolean | 'true' | 'false';

export type GroupStatus = 'pending' | 'completed' | 'declined' | 'expired';
export type PersonStatus = 'success' | 'cancelled' | 'failure' | 'expired';

export interface StoredGroup {
	id: string;
	keyId: string;
	name: string;
	status: GroupStatus;
	createdAt: number;
	updatedAt: number;
	expiresAt: number;
	personIds: string[];
}

export interface StoredPerson {
	id: string;
	groupId: string;
	name: string;
	emailAddress: string;
	attributes: Record<AttributeName, AttributeValue>;
	redirectUrl: string | null;
	status: PersonStatus | null;
	result: Record<string, unknown> | null;
	createdAt: number;
	updatedAt: number;
}

export interface StoredInvite {
	id: string;
	groupId: string;
	personId: string;
	/** The last path segment of the invite URL. */
	token: string;
	email: boolean;
	createdAt: number;
	expiresAt: number;
}

export interface GroupBody {
	name: string;
}

export interface PersonBody {
	name: string;
	emailAddress: string;
	attributes: Record<AttributeName, AttributeValue>;
	redirectUrl: string | null;
}

const MAX_TEXT_LENGTH = 255;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
	return UUID.test(value);
}

/** The document's timestamp format: seconds, explicit `+00:00` offset (PHP's DATE_ATOM). */
export function atomTime(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export function isHttpUrl(value: unknown): value is string {
	return typeof value === 'string' && URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseGroupBody(body: unknown): GroupBody {
	const record = objectBody(body);
	return { name: requiredText(record, 'name') };
}

export function parsePersonBody(body: unknown): PersonBody {
	const record = objectBody(body);
	const emailAddress = requiredText(record, 'email_address');
	if (!EMAIL.test(emailAddress)) throw new HttpError(400, 'email_address: not a valid e-mail address');
	return {
		name: requiredText(record, 'name'),
		emailAddress,
		attributes: parseAttributes(record.attributes),
		redirectUrl: parseRedirectUrl(record.redirect_url),
	};
}

export function parseInviteBody(body: unknown): { email: boolean } {
	const record = objectBody(body);
	if (typeof record.email !== 'boolean') throw new HttpError(400, 'email: must be a boolean');
	return { email: record.email };
}

/** Whether a person asked for this attribute, whichever of the two spellings the client used. */
export function isRequested(person: StoredPerson, attribute: AttributeName): boolean {
	const value = person.attributes[attribute];
	return value === true || value === 'true';
}

/**
 * The status a pending group's persons give it (README, "Group status"): a refusal decides first, then all
 * identified, then anything that ran out of time; otherwise it is still pending.
 */
export function deriveGroupStatus(group: StoredGroup, persons: StoredPerson[], now: number): GroupStatus {
	const statuses = persons.map((person) => person.status);
	if (statuses.some((status) => status === 'cancelled' || status === 'failure')) return 'declined';
	if (statuses.length > 0 && statuses.every((status) => status === 'success')) return 'completed';
	if (statuses.includes('expired') || now >= group.expiresAt) return 'expired';
	return 'pending';
}

export function presentGroup(group: StoredGroup) {
	return {
		id: group.id,
		name: group.name,
		status: group.status,
		expires_at: atomTime(group.expiresAt),
		updated_at: atomTime(group.updatedAt),
		created_at: atomTime(group.createdAt),
	};
}

/** The answer to adding a person: the document's create shape, attributes echoed as sent. */
export function presentNewPerson(person: StoredPerson) {
	return {
		id: person.id,
		name: person.name,
		email_address: person.emailAddress,
		attributes: { ...person.attributes },
		redirect_url: person.redirectUrl,
		status: person.status,
		result: person.result,
		updated_at: atomTime(person.updatedAt),
		created_at: atomTime(person.createdAt),
	};
}

/** The answer to retrieving a person: the document's retrieve shape, which has no attributes nor redirect_url. */
export function presentPerson(person: StoredPerson) {
	return {
		id: person.id,
		name: person.name,
		email_address: person.emailAddress,
		status: person.status,
		result: person.result,
		updated_at: atomTime(person.updatedAt),
		created_at: atomTime(person.createdAt),
	};
}

export function presentInvite(invite: StoredInvite, url: string) {
	return {
		id: invite.id,
		url,
		email: invite.email,
		expires_at: atomTime(invite.expiresAt),
		updated_at: atomTime(invite.createdAt),
		created_at: atomTime(invite.createdAt),
	};
}

export type GroupJson = ReturnType<typeof presentGroup>;
export type NewPersonJson = ReturnType<typeof presentNewPerson>;
export type PersonJson = ReturnType<typeof presentPerson>;
export type InviteJson = ReturnType<typeof presentInvite>;

function objectBody(body: unknown): Record<string, unknown> {
	if (!isRecord(body)) throw new HttpError(400, 'Request body must be a JSON object');
	return body;
}

function requiredText(record: Record<string, unknown>, field: string): string {
	const value = record[field];
	if (typeof value !== 'string' || value.trim() === '') throw new HttpError(400, `${field}: must be a non-empty string`);
	if (value.length > MAX_TEXT_LENGTH) throw new HttpError(400, `${field}: at most ${MAX_TEXT_LENGTH} characters`);
	return value;
}

/** Every known key, missing ones as false; unknown keys and other types are refused so typos surface. */
function parseAttributes(value: unknown): Record<AttributeName, AttributeValue> {
	if (!isRecord(value)) throw new HttpError(400, 'attributes: must be an object');
	const unknown = Object.keys(value).filter((key) => !(ATTRIBUTE_NAMES as readonly string[]).includes(key));
	if (unknown.length > 0) throw new HttpError(400, `attributes: unknown attribute ${unknown.join(', ')}`);
	const attributes = Object.fromEntries(
		ATTRIBUTE_NAMES.map((name) => [name, attributeValue(name, value[name] ?? false)]),
	) as Record<AttributeName, AttributeValue>;
	if (!Object.values(attributes).some((requested) => requested === true || requested === 'true')) {
		throw new HttpError(400, 'attributes: request at least one attribute');
	}
	return attributes;
}

function attributeValue(name: string, value: unknown): AttributeValue {
	if (typeof value === 'boolean' || value === 'true' || value === 'false') return value;
	throw new HttpError(400, `attributes.${name}: must be a boolean (or "true"/"false")`);
}

function parseRedirectUrl(value: unknown): string | null {
	if (value === undefined || value === null) return null;
	if (!isHttpUrl(value)) throw new HttpError(400, 'redirect_url: must be an absolute http(s) URL or null');
	return value;
}
