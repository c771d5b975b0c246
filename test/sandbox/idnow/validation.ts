/**
 * putOrder's request body, checked against the document's table (3.1.4): types, lengths, formats, required
 * elements and the stated exclusions. Every refusal is a 400 whose message names the element by its path
 * (`IdentData.IDCard.CardNo: at most 50 characters`). Rules the document leaves open are listed in README.md.
 */
import { HttpError } from '../framework';
import { ISO_3166_ALPHA2 } from '../iso3166';
import { isHttpUrl, isRecord } from './format';
import {
	IDNOW_PRODUCTS,
	PRODUCT,
	WEBHOOK_KINDS,
	type ESignDocument,
	type ESignHash,
	type IdnowAccountSettings,
	type Outcome,
	type WebhookKind,
} from './types';

export const PHONE_NUMBER = /^\+[1-9][0-9]{6,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const AUTOTEST_VALUES: Readonly<Record<string, Outcome>> = {
	POSITIVE: 'positive',
	NEGATIVE: 'negative',
	FRAUD: 'fraud',
};
const DEPRECATED_AUTOTEST_REFS: Readonly<Record<string, Outcome>> = {
	'X-AUTOTEST-POSITIVE': 'positive',
	'X-AUTOTEST-NEGATIVE': 'negative',
	'X-AUTOTEST-FRAUD': 'fraud',
};
const MAX_ADDITIONAL_VIDEO = 10;
const MAX_ADDITIONAL_SHOP = 2;

export interface OrderInput {
	ref: string;
	product: number;
	add: number;
	autotest: Outcome | null;
	webhookUrls: Partial<Record<WebhookKind, string>>;
	redirect: { success?: string; abort?: string };
	mobile: string | null;
	email: string | null;
	getTargetLink: boolean;
	getDeepLink: boolean;
	getVideoHashes: boolean;
	getAutoIdLink: boolean;
	documents: ESignDocument[];
	hashes: ESignHash[];
	firstOrderId: string | null;
	identDataSigned: string | null;
}

/** Reads one JSON object's elements, naming them by their path in every error. */
class Fields {
	constructor(
		readonly record: Record<string, unknown>,
		private readonly path: string,
	) {}

	/** `name` '' names the object itself. */
	fail(name: string, problem: string): never {
		const where = name === '' ? this.path.replace(/\.$/, '') : `${this.path}${name}`;
		throw new HttpError(400, `${where}: ${problem}`);
	}

	has(name: string): boolean {
		return this.record[name] !== undefined && this.record[name] !== null;
	}

	/** A string of at most `max` characters; null counts as absent ("empty fields will be picked if possible"). */
	string(name: string, max?: number, required = false): string | undefined {
		const value = this.record[name];
		if (value === undefined || value === null) {
			if (required) this.fail(name, 'is required');
			return undefined;
		}
		if (typeof value !== 'string') this.fail(name, 'must be a string');
		if (required && value.trim() === '') this.fail(name, 'is required');
		if (max !== undefined && value.length > max) this.fail(name, `at most ${max} characters`);
		return value;
	}

	matching(name: string, max: number, pattern: RegExp, what: string, required = false): string | undefined {
		const value = this.string(name, max, required);
		if (value !== undefined && !pattern.test(value)) this.fail(name, `must be ${what}`);
		return value;
	}

	email(name: string, max: number, required = false): string | undefined {
		return this.matching(name, max, EMAIL, 'an e-mail address', required);
	}

	phone(name: string): string | undefined {
		return this.matching(name, 50, PHONE_NUMBER, 'an international number without blanks, e.g. +491701234567');
	}

	date(name: string): string | undefined {
		const value = this.string(name);
		if (value !== undefined && !isCalendarDate(value)) this.fail(name, 'must be a date YYYY-MM-DD');
		return value;
	}

	country(name: string, max: number, required = false): string | undefined {
		const value = this.string(name, max, required);
		if (value !== undefined && !ISO_3166_ALPHA2.has(value)) {
			this.fail(name, 'must be an ISO 3166 country code, e.g. DE');
		}
		return value;
	}

	url(name: string, max: number): string | undefined {
		const value = this.string(name, max);
		if (value !== undefined && !isHttpUrl(value)) this.fail(name, 'must be an absolute http(s) URL');
		return value;
	}

	base64(name: string, required = false): string | undefined {
		const value = this.string(name, undefined, required);
		if (value !== undefined && (value.length % 4 !== 0 || !BASE64.test(value))) this.fail(name, 'must be Base64');
		return value;
	}

	boolean(name: string): boolean {
		const value = this.record[name];
		if (value === undefined || value === null) return false;
		if (typeof value !== 'boolean') this.fail(name, 'must be a boolean');
		return value;
	}

	number(name: string, options: { integer?: boolean; min?: number; required?: boolean } = {}): number | undefined {
		const value = this.record[name];
		if (value === undefined || value === null) {
			if (options.required) this.fail(name, 'is required');
			return undefined;
		}
		if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(name, 'must be a number');
		if (options.integer && !Number.isInteger(value)) this.fail(name, 'must be an integer');
		if (options.min !== undefined && value < options.min) this.fail(name, `must be at least ${options.min}`);
		return value;
	}

	object(name: string, required = false): Fields | undefined {
		const value = this.record[name];
		if (value === undefined || value === null) {
			if (required) this.fail(name, 'is required');
			return undefined;
		}
		if (!isRecord(value)) this.fail(name, 'must be an object');
		return new Fields(value, `${this.path}${name}.`);
	}

	/** An element typed O/A: one object or an array of them. */
	objects(name: string): Fields[] {
		const value = this.record[name];
		if (value === undefined || value === null) return [];
		const items = Array.isArray(value) ? value : [value];
		if (items.length === 0) this.fail(name, 'must not be empty');
		return items.map((item, index) => {
			const path = Array.isArray(value) ? `${this.path}${name}[${index}]` : `${this.path}${name}`;
			if (!isRecord(item)) throw new HttpError(400, `${path}: must be an object`);
			return new Fields(item, `${path}.`);
		});
	}

	array(name: string): unknown[] | undefined {
		const value = this.record[name];
		if (value === undefined || value === null) return undefined;
		if (!Array.isArray(value)) this.fail(name, 'must be an array');
		return value;
	}

	only(name: string, allowed: readonly string[]): void {
		const unknown = Object.keys(this.record).filter((key) => !allowed.includes(key));
		if (unknown.length > 0) this.fail(name, `unknown element ${unknown.join(', ')}; known: ${allowed.join(', ')}`);
	}
}

export function isCalendarDate(value: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
	const date = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/** The whole putOrder body; `account` decides which products exist and how strict the required elements are. */
export function parsePutOrder(body: unknown, account: IdnowAccountSettings): OrderInput {
	if (!isRecord(body)) throw new HttpError(400, 'Request body must be a JSON object');
	const root = new Fields(body, '');
	const product = parseProduct(root, account);
	const add = root.number('Add', { integer: true, min: 0, required: account.strictRequired }) ?? 0;
	const ref = root.string('Ref', 100) ?? '';
	const email = root.email('Email', 50, account.strictRequired) ?? null;
	root.matching('Lang', 2, /^[A-Za-z]{2}$/, 'an ISO 639-1 language code');
	parseEidSettings(root);
	const redirect = parseRedirect(root);
	const webhookUrls = parseWebhookUrls(root);
	root.phone('Phone');
	const mobile = root.phone('Mobile') ?? null;
	parseAddress(root, product === PRODUCT.shop || (account.strictRequired && account.products.includes(PRODUCT.shop)));
	parseIdentData(root, product);
	parseLegitimationDocuments(root);
	requireESignProduct(root, product, ['eSignPDF', 'eSignHash', 'MultiSignOptions', 'IdentDataSigned']);
	const documents = parseESignPdfs(root);
	const hashes = parseESignHashes(root);
	parseESignOptions(root);
	const firstOrderId = parseMultiSign(root);
	const identDataSigned = root.string('IdentDataSigned') ?? null;
	parseEmailNotifications(root);
	parsePurpose(root);
	root.string('eSignTanSmsText');
	root.string('verificationSmsText');
	root.string('CustomerRouteTag', 250);
	return {
		ref,
		product,
		add,
		autotest: parseAutotest(root, ref, account),
		webhookUrls,
		redirect,
		mobile,
		email,
		getTargetLink: root.boolean('getTargetLink'),
		getDeepLink: root.boolean('getDeepLink'),
		getVideoHashes: root.boolean('getVideoHashes'),
		getAutoIdLink: root.boolean('getAutoIdLink'),
		documents,
		hashes,
		firstOrderId,
		identDataSigned,
	};
}

function parseProduct(root: Fields, account: IdnowAccountSettings): number {
	const product = root.number('Product', { integer: true, required: true }) as number;
	if (!account.products.includes(product)) {
		const known = IDNOW_PRODUCTS[product] === undefined ? 'an unknown product' : 'not enabled for this account';
		root.fail('Product', `${product} is ${known}; enabled: ${account.products.join(', ')}`);
	}
	return product;
}

function parseEidSettings(root: Fields): void {
	const settings = root.object('eIDSettings');
	if (settings === undefined) return;
	for (const name of ['VerifyMobileNumber', 'EnableOCR', 'CaptureImages', 'NoVideoFallback', 'DisableEID']) {
		settings.boolean(name);
	}
}

function parseRedirect(root: Fields): OrderInput['redirect'] {
	const redirect = root.object('RedirectURL');
	if (redirect === undefined) return {};
	return { success: redirect.url('Success', 150), abort: redirect.url('Abort', 150) };
}

function parseWebhookUrls(root: Fields): OrderInput['webhookUrls'] {
	const hooks = root.object('WebhookURL');
	if (hooks === undefined) return {};
	hooks.only('', WEBHOOK_KINDS);
	if (hooks.has('AfterVideo') && hooks.has('AfterIdent')) {
		hooks.fail('AfterVideo', 'cannot be used together with AfterIdent');
	}
	const urls: OrderInput['webhookUrls'] = {};
	for (const kind of WEBHOOK_KINDS) {
		const url = hooks.url(kind, 250);
		if (url !== undefined) urls[kind] = url;
	}
	return urls;
}

function parseAddress(root: Fields, required: boolean): void {
	const address = root.object('Address', required);
	if (address === undefined) return;
	address.string('Firstname', 50, true);
	address.string('Surname', 50, true);
	address.string('CompanyName', 50);
	address.string('Street', 50);
	address.string('ZipCode', 5);
	address.string('City', 100);
	address.country('Country', 3, true);
}

function parseIdentData(root: Fields, product: number): void {
	const data = root.object('IdentData');
	if (data === undefined) return;
	for (const [name, max] of [
		['Firstname', 50],
		['Surname', 50],
		['Street', 100],
		['ZipCode', 5],
		['City', 100],
		['Birthplace', 100],
		['Birthname', 75],
		['Nationality', 50],
		['Title', 50],
		['Artistname', 50],
		['CollectedBy', 255],
	] as const) {
		data.string(name, max);
	}
	data.country('Country', 2);
	data.date('Birthdate');
	data.matching('Gender', 7, /^(female|male|diverse)$/, 'female, male or diverse');
	data.email('Email', 50);
	data.phone('Mobile');
	parseIdCard(data);
	parseDriverLicence(data);
	parseAdditional(data, product === PRODUCT.shop ? MAX_ADDITIONAL_SHOP : MAX_ADDITIONAL_VIDEO);
}

function parseIdCard(data: Fields): void {
	const card = data.object('IDCard');
	if (card === undefined) return;
	card.string('CardNo', 50);
	card.string('PlaceOfIssue', 100);
	card.date('DateOfIssue');
	card.country('CountryOfIssue', 3);
	card.date('ValidUntil');
	card.string('Type', 50);
	const images = card.object('Images');
	images?.base64('Front');
	images?.base64('Back');
}

function parseDriverLicence(data: Fields): void {
	const licence = data.object('DriverLicence');
	if (licence === undefined) return;
	licence.string('LicenceNo', 50);
	licence.string('Classes', 50);
	licence.country('CountryOfIssue', 3);
	licence.date('DateOfIssue');
	licence.date('ValidUntil');
}

function parseAdditional(data: Fields, maxItems: number): void {
	const additional = data.object('Additional');
	if (additional === undefined) return;
	const names = Object.keys(additional.record);
	if (names.length > maxItems) data.fail('Additional', `at most ${maxItems} items for this product`);
	for (const name of names) {
		if (name.length > 50) additional.fail(name, 'the name of an additional field has at most 50 characters');
		const detail = additional.object(name, true) as Fields;
		const type = detail.number('Type', { integer: true, required: true });
		if (![1, 2, 3, 4].includes(type as number)) {
			detail.fail('Type', 'must be 1 (string), 2 (date), 3 (boolean) or 4 (country)');
		}
		detail.string('Label', 100, true);
		if (type === 2) detail.date('Value');
		else if (type === 3) detail.matching('Value', 5, /^(true|false)$/, '"true" or "false"');
		else if (type === 4) detail.country('Value', 150);
		else detail.string('Value', 150);
	}
}

function parseLegitimationDocuments(root: Fields): void {
	const documents = root.array('LegitimationDocument');
	documents?.forEach((item, index) => {
		const text = isRecord(item) ? item.Document : item;
		if (typeof text !== 'string' || text.length > 50) {
			root.fail(`LegitimationDocument[${index}]`, 'must be a description of at most 50 characters');
		}
	});
}

function parseESignPdfs(root: Fields): ESignDocument[] {
	return root.objects('eSignPDF').map((document, index) => {
		const data = Buffer.from(document.base64('Data', true) as string, 'base64');
		if (!data.subarray(0, 5).equals(Buffer.from('%PDF-'))) document.fail('Data', 'is not a PDF');
		if (data.includes('/Encrypt')) document.fail('Data', 'the PDF must be unprotected');
		const filename = document.string('Filename', 50) ?? `document${index + 1}.pdf`;
		checkSignaturePlacement(document, data);
		return { filename, data };
	});
}

function checkSignaturePlacement(document: Fields, data: Buffer): void {
	for (const name of ['SignaturePosX', 'SignaturePosY', 'SignatureHeight', 'SignatureWidth']) {
		document.number(name, { min: 0 });
	}
	document.number('SignaturePage', { integer: true, min: 1 });
	const byPosition = document.has('SignaturePosX') || document.has('SignaturePosY');
	const fieldName = document.string('SignatureFieldName');
	const tag = document.string('SignatureTag');
	document.number('SignatureOffsetPosX', { integer: true });
	document.number('SignatureOffsetPosY', { integer: true });
	if (byPosition && fieldName !== undefined) {
		document.fail('SignatureFieldName', 'position and field name cannot be used at the same time');
	}
	if (tag !== undefined && (byPosition || fieldName !== undefined)) {
		document.fail('SignatureTag', 'a tag is an alternative to position and field name');
	}
	if (tag === undefined && (document.has('SignatureOffsetPosX') || document.has('SignatureOffsetPosY'))) {
		document.fail('SignatureOffsetPosX', 'offsets can only be used with SignatureTag');
	}
	if (tag !== undefined && countOccurrences(data, tag) > 1) {
		document.fail('SignatureTag', 'the tag appears more than once in the document');
	}
	document.objects('Stamping').forEach((stamp) => {
		stamp.number('Page', { integer: true, min: 1 });
		for (const name of ['PosX', 'PosY', 'Width', 'Height']) stamp.number(name, { min: 0 });
		stamp.string('Tag');
		stamp.number('OffsetPosX', { integer: true });
		stamp.number('OffsetPosY', { integer: true });
		stamp.string('Content', 500);
	});
}

function countOccurrences(data: Buffer, text: string): number {
	let count = 0;
	for (let at = data.indexOf(text); at >= 0; at = data.indexOf(text, at + 1)) count++;
	return count;
}

function parseESignHashes(root: Fields): ESignHash[] {
	return root.objects('eSignHash').map((entry) => ({
		hash: entry.base64('Hash', true) as string,
		filename: entry.string('Filename', 50, true) as string,
	}));
}

function parseESignOptions(root: Fields): void {
	const options = root.object('eSignOptions');
	const checkboxes = options?.array('AdditionalCheckboxes');
	checkboxes?.forEach((text, index) => {
		if (typeof text !== 'string' || text.length > 300) {
			options?.fail(`AdditionalCheckboxes[${index}]`, 'must be a text of at most 300 characters');
		}
	});
}

function parseMultiSign(root: Fields): string | null {
	const multi = root.object('MultiSignOptions');
	if (multi === undefined) return null;
	multi.objects('SignParameters').forEach((parameters) => {
		parameters.string('Filename', 50);
		for (const name of ['SignaturePosX', 'SignaturePosY', 'SignatureWidth', 'SignatureHeight']) {
			parameters.number(name, { min: 0 });
		}
		parameters.number('SignaturePage', { integer: true, min: 1 });
		parameters.string('SignatureFieldName');
	});
	return multi.string('FirstOrderID', 14, true) as string;
}

function requireESignProduct(root: Fields, product: number, names: string[]): void {
	if (product === PRODUCT.eSign) return;
	const given = names.find((name) => root.has(name));
	if (given !== undefined) root.fail(given, `requires Product ${PRODUCT.eSign} (eSign)`);
}

function parseEmailNotifications(root: Fields): void {
	const notifications = root.object('EmailNotifications');
	if (notifications === undefined) return;
	notifications.only('', ['OnPositiveIdent', 'OnNegativeIdent', 'OnTimeOut', 'OnLeave']);
	for (const name of ['OnPositiveIdent', 'OnNegativeIdent', 'OnTimeOut', 'OnLeave']) notifications.email(name, 150);
}

function parsePurpose(root: Fields): void {
	if (typeof root.record.Purpose === 'string' || !root.has('Purpose')) {
		root.string('Purpose', 150);
		return;
	}
	const purpose = root.object('Purpose') as Fields;
	for (const language of Object.keys(purpose.record)) {
		if (!/^[A-Za-z]{2}$/.test(language)) purpose.fail(language, 'the key must be a two-letter language code');
		purpose.string(language, 150);
	}
}

/** Autotest wins; the deprecated Ref values only count without it. Integration accounts only. */
function parseAutotest(root: Fields, ref: string, account: IdnowAccountSettings): Outcome | null {
	const autotest = root.string('Autotest', 50);
	if (autotest !== undefined) {
		const outcome = AUTOTEST_VALUES[autotest];
		if (outcome === undefined) root.fail('Autotest', 'must be POSITIVE, NEGATIVE or FRAUD');
		if (!account.integration) root.fail('Autotest', 'the Testrobot is available for integration accounts only');
		return outcome;
	}
	return account.integration ? (DEPRECATED_AUTOTEST_REFS[ref] ?? null) : null;
}
