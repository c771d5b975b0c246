/**
 * The sandbox's bank customers and the iDIN `result` a bank hands back for them: the document's shape, holding
 * only what the person was asked for and what the bank actually has on file.
 */
import { createHmac, randomInt } from 'node:crypto';

import { isRequested, type AttributeName, type PersonStatus, type StoredPerson } from './model';

export interface IdinIdentity {
	/** Chosen on the bank page or passed to the outcome control. */
	id: string;
	label: string;
	issuerId: string;
	gender: 'male' | 'female';
	initials: string;
	firstName: string;
	lastName: string;
	lastNamePrefix?: string;
	address: {
		street: string;
		houseNumber: string;
		houseNumberSuffix?: string;
		postalCode: string;
		city: string;
		country: string;
	};
	dateOfBirth: string;
	/** Absent when the bank has none on file: a success then lacks the attribute even though it was requested. */
	telephoneNumber?: string;
	emailAddress?: string;
}

/** The first is the document's example person; the others exercise a minor and a bank with sparse records. */
export const IDIN_TEST_IDENTITIES: readonly IdinIdentity[] = [
	{
		id: 'andre',
		label: 'Andre van Dijk (the document example, adult, ABN AMRO)',
		issuerId: 'ABNANL2A',
		gender: 'male',
		initials: 'A',
		firstName: 'Andre',
		lastName: 'Dijk',
		lastNamePrefix: 'van',
		address: {
			street: 'Dijklaan',
			houseNumber: '1',
			houseNumberSuffix: 'b',
			postalCode: '0000AA',
			city: 'Amsterdam',
			country: 'NL',
		},
		dateOfBirth: '1974-01-31',
		telephoneNumber: '0031612345678',
		emailAddress: 'andre.vandijk@example.com',
	},
	{
		id: 'sanne',
		label: 'Sanne de Vries (minor, ING)',
		issuerId: 'INGBNL2A',
		gender: 'female',
		initials: 'S',
		firstName: 'Sanne',
		lastName: 'Vries',
		lastNamePrefix: 'de',
		address: { street: 'Kerkstraat', houseNumber: '12', postalCode: '3511AB', city: 'Utrecht', country: 'NL' },
		dateOfBirth: '2012-03-14',
		telephoneNumber: '0031687654321',
		emailAddress: 'sanne.devries@example.com',
	},
	{
		id: 'jan',
		label: 'Jan Jansen (no prefix, no phone or e-mail on file, Rabobank)',
		issuerId: 'RABONL2U',
		gender: 'male',
		initials: 'J.P.',
		firstName: 'Jan Pieter',
		lastName: 'Jansen',
		address: { street: 'Markt', houseNumber: '7', postalCode: '5611EB', city: 'Eindhoven', country: 'NL' },
		dateOfBirth: '1988-11-02',
	},
];

export const DEFAULT_IDENTITY_ID = IDIN_TEST_IDENTITIES[0].id;

/** The BIN's merchant prefix as in the document's example; the rest is base64 of 52 bytes, unpadded. */
const BIN_PREFIX = 'CMBANL9Z';
const BIN_BODY_BYTES = 52;

export function findIdentity(id: string): IdinIdentity | undefined {
	return IDIN_TEST_IDENTITIES.find((identity) => identity.id === id);
}

export interface ResultOptions {
	status: PersonStatus;
	identity: IdinIdentity;
	/** The Key ID owning the group: a BIN is stable per customer and merchant, like iDIN's. */
	keyId: string;
	now: number;
	/** Requested attributes the bank leaves out of a success anyway. */
	withhold?: readonly AttributeName[];
}

/**
 * A bank transaction's result. Only a success carries attributes; cancelled, failure and a transaction that ran
 * out at the bank carry just the transaction fields.
 */
export function bankResult(person: StoredPerson, options: ResultOptions): Record<string, unknown> {
	const transaction = {
		transaction_id: transactionId(),
		issuer_id: options.identity.issuerId,
		status: options.status,
	};
	if (options.status !== 'success') return transaction;
	const delivered = (attribute: AttributeName) =>
		isRequested(person, attribute) && !(options.withhold ?? []).includes(attribute);
	return { ...transaction, ...attributeFields(options, delivered) };
}

function attributeFields(options: ResultOptions, delivered: (attribute: AttributeName) => boolean) {
	const { identity } = options;
	return dropUndefined({
		bin: delivered('identity') ? bin(options.keyId, identity.id) : undefined,
		name: nameFields(identity, delivered),
		address: delivered('address') ? addressFields(identity) : undefined,
		age: ageFields(identity, options.now, delivered),
		telephone_number: delivered('telephone_number') ? identity.telephoneNumber : undefined,
		email_address: delivered('email_address') ? identity.emailAddress : undefined,
	});
}

/** The document puts gender inside `name`, so a gender without a name still comes as `name: { gender }`. */
function nameFields(identity: IdinIdentity, delivered: (attribute: AttributeName) => boolean) {
	if (!delivered('name') && !delivered('gender')) return undefined;
	const name = delivered('name')
		? {
				initials: identity.initials,
				first_name: identity.firstName,
				last_name: identity.lastName,
				last_name_prefix: identity.lastNamePrefix,
			}
		: {};
	return dropUndefined({ gender: delivered('gender') ? identity.gender : undefined, ...name });
}

function addressFields(identity: IdinIdentity) {
	const { address } = identity;
	return dropUndefined({
		street: address.street,
		house_number: address.houseNumber,
		house_number_suffix: address.houseNumberSuffix,
		postal_code: address.postalCode,
		city: address.city,
		country: address.country,
	});
}

function ageFields(identity: IdinIdentity, now: number, delivered: (attribute: AttributeName) => boolean) {
	if (!delivered('date_of_birth') && !delivered('18y_or_older')) return undefined;
	return dropUndefined({
		date_of_birth: delivered('date_of_birth') ? identity.dateOfBirth : undefined,
		'18y_or_older': delivered('18y_or_older') ? isAdultAt(identity.dateOfBirth, now) : undefined,
	});
}

/** Adult from the 18th birthday on, judged on the sandbox clock so a test can watch a minor come of age. */
function isAdultAt(dateOfBirth: string, now: number): boolean {
	const [year, month, day] = dateOfBirth.split('-').map(Number);
	return Date.UTC(year + 18, month - 1, day) <= now;
}

function bin(keyId: string, identityId: string): string {
	const body = createHmac('sha512', keyId).update(identityId).digest().subarray(0, BIN_BODY_BYTES);
	return BIN_PREFIX + body.toString('base64').replace(/=+$/, '');
}

/** Sixteen digits, like the document's `1241533522837401`. */
function transactionId(): string {
	return String(randomInt(1, 10)) + Array.from({ length: 15 }, () => randomInt(0, 10)).join('');
}

/** Keys with no value are left out rather than sent as null: the bank had nothing to give. */
function dropUndefined<T extends Record<string, unknown>>(record: T): Partial<T> {
	return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>;
}
