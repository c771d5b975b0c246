/**
 * putOrder's body from Create's parameters: empty fields are left out, phone numbers compacted, dates from date
 * pickers cut to the day, files read from the input item's binary fields, the trigger's URLs filled in, and
 * "Additional Body (JSON)" merged under it all. Checking is orderValidation's job, on the finished body.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { InputError } from '../../../shared/errors';
import { isJsonObject, isObject, parseJson, text } from '../../../shared/util';
import { IDNOW_CREDENTIAL, type IdnowWebhookKind } from '../../constants';
import { assertTriggerUrl, assertWebhookToken, triggerWebhookUrl } from '../../webhookUrls';

type Values = Record<string, unknown>;

/** Trimmed non-empty text, else undefined (left out of the body). */
function given(value: unknown): string | undefined {
	return text(value) ?? undefined;
}

/** Spaces, dashes, dots, slashes and brackets are how people write numbers; IDnow wants them without. */
function compactPhone(value: unknown): string | undefined {
	return given(value)?.replace(/[\s\-./()]/g, '');
}

/** A date picker gives an ISO date-time; IDnow wants the day as written. */
function dayOf(value: unknown): string | undefined {
	const written = given(value);
	return written && /^\d{4}-\d{2}-\d{2}T/.test(written) ? written.slice(0, 10) : written;
}

/** An object of the given entries, or undefined when none is set. */
function compact(entries: Record<string, unknown>): IDataObject | undefined {
	const kept = Object.entries(entries).filter(([, value]) => value !== undefined);
	return kept.length > 0 ? (Object.fromEntries(kept) as IDataObject) : undefined;
}

/** The values of a single-valued fixedCollection (`{ <group>: { … } }`). */
function group(collection: unknown, name: string): Values {
	return isObject(collection) && isObject(collection[name]) ? (collection[name] as Values) : {};
}

/** The entries of a multi-valued fixedCollection (`{ <group>: [ … ] }`). */
function groups(collection: unknown, name: string): Values[] {
	return isObject(collection) && Array.isArray(collection[name]) ? (collection[name] as Values[]) : [];
}

function texts(values: Values, names: string[], convert: (value: unknown) => string | undefined = given): Values {
	return Object.fromEntries(names.map((name) => [name, convert(values[name])]));
}

async function binaryBase64(ctx: IExecuteFunctions, itemIndex: number, property: string, field: string): Promise<Buffer> {
	const name = property.trim();
	const binary = ctx.getInputData()[itemIndex]?.binary;
	if (!binary?.[name]) {
		const available = Object.keys(binary ?? {});
		throw new InputError(
			`${field}: the input item has no binary field "${name}"`,
			available.length > 0 ? `Use one of: ${available.join(', ')}.` : 'The input item has no binary data: read the file in an earlier node.',
		);
	}
	return await ctx.helpers.getBinaryDataBuffer(itemIndex, name);
}

async function idCard(ctx: IExecuteFunctions, itemIndex: number, person: Values): Promise<IDataObject | undefined> {
	const card = group(person.IDCard, 'card');
	const image = async (property: unknown, label: string) => {
		const name = given(property);
		return name ? (await binaryBase64(ctx, itemIndex, name, `Person to Check → ID Card → ${label}`)).toString('base64') : undefined;
	};
	return compact({
		...texts(card, ['CardNo', 'PlaceOfIssue', 'CountryOfIssue', 'Type']),
		...texts(card, ['DateOfIssue', 'ValidUntil'], dayOf),
		Images: compact({ Front: await image(card.frontImage, 'Front Image'), Back: await image(card.backImage, 'Back Image') }),
	});
}

function additionalIdentFields(person: Values): IDataObject | undefined {
	const fields = groups(person.Additional, 'field');
	const entries: Record<string, unknown> = {};
	for (const field of fields) {
		const name = given(field.name);
		if (!name) throw new InputError('Person to Check → Additional Fields to Check: a field has no name', 'Fill in its Name or remove it.');
		if (name in entries) {
			throw new InputError(`Person to Check → Additional Fields to Check: "${name}" is given twice`, 'Give every field its own name.');
		}
		const value = field.type === 2 ? dayOf(field.value) : given(field.value);
		entries[name] = compact({ Type: field.type, Label: given(field.label), Value: value });
	}
	return compact(entries);
}

async function identData(ctx: IExecuteFunctions, itemIndex: number, person: Values): Promise<IDataObject | undefined> {
	return compact({
		...texts(person, [
			'Firstname',
			'Surname',
			'Street',
			'ZipCode',
			'City',
			'Country',
			'Birthplace',
			'Birthname',
			'Nationality',
			'Title',
			'Artistname',
			'Gender',
			'Email',
			'CollectedBy',
		]),
		Birthdate: dayOf(person.Birthdate),
		Mobile: compactPhone(person.Mobile),
		IDCard: await idCard(ctx, itemIndex, person),
		DriverLicence: compact({
			...texts(group(person.DriverLicence, 'licence'), ['LicenceNo', 'Classes', 'CountryOfIssue']),
			...texts(group(person.DriverLicence, 'licence'), ['DateOfIssue', 'ValidUntil'], dayOf),
		}),
		Additional: additionalIdentFields(person),
	});
}

/** Add is required by the table (0 is "the correct choice in most cases"), so it is always sent. */
function addMask(fields: Values): number {
	const flags = Array.isArray(fields.add) ? (fields.add as unknown[]).map(Number) : [];
	const raw = typeof fields.addRaw === 'number' ? fields.addRaw : 0;
	if (!Number.isInteger(raw) || raw < 0) {
		throw new InputError(`Add (Raw Value) must be a whole number of at least 0, not ${raw}`, 'Change "Add (Raw Value)".');
	}
	return flags.reduce((mask, flag) => mask | flag, raw);
}

function purpose(fields: Values): string | IDataObject | undefined {
	const byLanguage = groups(fields.purposeByLanguage, 'language');
	const single = given(fields.Purpose);
	if (single && byLanguage.length > 0) {
		throw new InputError('Purpose and Purpose per Language are both set', 'Keep one of them: IDnow takes one text for every language or one per language.');
	}
	if (single) return single;
	return compact(Object.fromEntries(byLanguage.map((entry) => [String(given(entry.code) ?? '').toLowerCase(), given(entry.text)])));
}

async function eSignDocuments(ctx: IExecuteFunctions, itemIndex: number, fields: Values): Promise<IDataObject[] | undefined> {
	const documents = groups(fields.eSignDocuments, 'document');
	if (documents.length === 0) return undefined;
	const read: IDataObject[] = [];
	for (const [index, document] of documents.entries()) {
		read.push(await eSignDocument(ctx, itemIndex, document, `eSign Documents → Document ${index + 1}`));
	}
	return read;
}

const PDF_SIGNATURE = Buffer.from('%PDF-');

async function eSignDocument(ctx: IExecuteFunctions, itemIndex: number, document: Values, label: string): Promise<IDataObject> {
	const property = given(document.binaryProperty) ?? 'data';
	const data = await binaryBase64(ctx, itemIndex, property, label);
	if (!data.subarray(0, PDF_SIGNATURE.length).equals(PDF_SIGNATURE)) {
		throw new InputError(`${label}: the binary field "${property}" holds no PDF`, 'IDnow signs PDFs only: pass a PDF file in that field.');
	}
	if (data.includes('/Encrypt')) {
		throw new InputError(`${label}: the PDF in "${property}" is protected`, 'IDnow signs unprotected PDFs only: remove the password or restrictions first.');
	}
	const fileName = given(document.filename) ?? given(ctx.getInputData()[itemIndex].binary?.[property]?.fileName);
	const placement = String(document.placement ?? 'default');
	const number = (name: string, keepZero = true) => {
		const value = document[name];
		return typeof value === 'number' && (keepZero || value !== 0) ? value : undefined;
	};
	const placed: Record<string, Values> = {
		default: {},
		position: {
			SignaturePosX: number('SignaturePosX'),
			SignaturePosY: number('SignaturePosY'),
			SignatureWidth: number('SignatureWidth', false),
			SignatureHeight: number('SignatureHeight', false),
		},
		fieldName: { SignatureFieldName: given(document.SignatureFieldName) },
		tag: {
			SignatureTag: given(document.SignatureTag),
			SignatureOffsetPosX: number('SignatureOffsetPosX', false),
			SignatureOffsetPosY: number('SignatureOffsetPosY', false),
		},
	};
	return compact({
		Data: data.toString('base64'),
		Filename: fileName,
		...(placement === 'default' ? {} : { SignaturePage: number('page') }),
		...placed[placement],
	}) as IDataObject;
}

function eSignHashes(fields: Values): IDataObject[] | undefined {
	const hashes = groups(fields.eSignHashes, 'hash').map((hash) => compact(texts(hash, ['Hash', 'Filename'])) ?? {});
	return hashes.length > 0 ? hashes : undefined;
}

function legitimationDocuments(fields: Values): string[] | undefined {
	const documents = groups(fields.LegitimationDocument, 'document').map((entry) => given(entry.description) ?? '');
	return documents.length > 0 ? documents : undefined;
}

function eidSettings(fields: Values): IDataObject | undefined {
	const chosen = Array.isArray(fields.eidSettings) ? (fields.eidSettings as string[]) : [];
	return compact(Object.fromEntries(chosen.map((setting) => [setting, true])));
}

export interface TriggerWebhooks {
	triggerUrl: unknown;
	kinds: IdnowWebhookKind[];
}

/** The order's webhook URLs: the trigger's for the chosen kinds, then the ones typed in, which win per kind. */
async function webhookUrls(ctx: IExecuteFunctions, itemIndex: number, fields: Values, trigger?: TriggerWebhooks): Promise<IDataObject | undefined> {
	const urls: Record<string, unknown> = {};
	if (trigger) {
		const base = assertTriggerUrl(trigger.triggerUrl, 'IDnow Trigger URL');
		const credentials = (await ctx.getCredentials(IDNOW_CREDENTIAL, itemIndex)) as ICredentialDataDecryptedObject;
		const token = assertWebhookToken(credentials.webhookToken);
		for (const kind of trigger.kinds) urls[kind] = triggerWebhookUrl(base, kind, token);
	}
	for (const webhook of groups(fields.webhookUrls, 'webhook')) urls[String(webhook.kind)] = given(webhook.url);
	return compact(urls);
}

/**
 * Merges the JSON escape hatch under the fields' body. Objects are merged element by element; an element both
 * give is refused, because either silently winning would surprise someone.
 */
function mergeJsonBody(body: IDataObject, json: IDataObject, path = ''): IDataObject {
	const merged: IDataObject = { ...json };
	for (const [name, value] of Object.entries(body)) {
		const at = path === '' ? name : `${path}.${name}`;
		const other = json[name];
		if (other === undefined) merged[name] = value;
		else if (isJsonObject(value) && isJsonObject(other)) merged[name] = mergeJsonBody(value, other, at);
		else {
			throw new InputError(
				`"${at}" is set both by a field and in Additional Body (JSON)`,
				'Remove it from one of the two: the node does not guess which one you meant.',
			);
		}
	}
	return merged;
}

function parseJsonBody(value: unknown): IDataObject {
	if (value === undefined || value === null || value === '') return {};
	const parsed = isJsonObject(value) ? value : parseJson(String(value));
	if (!isJsonObject(parsed)) {
		throw new InputError('Additional Body (JSON) is not a JSON object', 'Write it as {"Element": value, …}, or leave it as {}.');
	}
	return parsed;
}

export interface OrderParameters {
	product: number;
	ref: unknown;
	email: unknown;
	getTargetLink: boolean;
	trigger?: TriggerWebhooks;
	person: Values;
	fields: Values;
}

export async function buildOrderBody(ctx: IExecuteFunctions, itemIndex: number, parameters: OrderParameters): Promise<IDataObject> {
	const { fields } = parameters;
	const body = compact({
		Ref: given(parameters.ref),
		Product: parameters.product,
		Add: addMask(fields),
		Autotest: given(fields.Autotest),
		Lang: given(fields.Lang)?.toLowerCase(),
		eIDSettings: eidSettings(fields),
		getTargetLink: parameters.getTargetLink || undefined,
		getDeepLink: fields.getDeepLink === true || undefined,
		getVideoHashes: fields.getVideoHashes === true || undefined,
		RedirectURL: compact({ Success: given(fields.redirectSuccess), Abort: given(fields.redirectAbort) }),
		WebhookURL: await webhookUrls(ctx, itemIndex, fields, parameters.trigger),
		Phone: compactPhone(fields.Phone),
		Mobile: compactPhone(fields.Mobile),
		Email: given(parameters.email),
		Address: compact(texts(group(fields.Address, 'address'), ['Firstname', 'Surname', 'CompanyName', 'Street', 'ZipCode', 'City', 'Country'])),
		IdentData: await identData(ctx, itemIndex, parameters.person),
		LegitimationDocument: legitimationDocuments(fields),
		eSignPDF: await eSignDocuments(ctx, itemIndex, fields),
		eSignHash: eSignHashes(fields),
		IdentDataSigned: given(fields.IdentDataSigned),
		EmailNotifications: compact(texts(group(fields.EmailNotifications, 'notify'), ['OnPositiveIdent', 'OnNegativeIdent', 'OnTimeOut', 'OnLeave'])),
		Purpose: purpose(fields),
		eSignTanSmsText: given(fields.eSignTanSmsText),
		verificationSmsText: given(fields.verificationSmsText),
		CustomerRouteTag: given(fields.CustomerRouteTag),
	}) as IDataObject;
	return mergeJsonBody(body, parseJsonBody(fields.jsonBody));
}
