/**
 * putOrder's body checked against the document's table (3.1.4) before it is sent, so a mistake is reported with the
 * node field that holds it instead of as IDnow's 400. The whole body is checked, whether a value came from a field
 * or from "Additional Body (JSON)"; elements the table does not describe pass unchecked (IDnow may know them).
 */
import type { IDataObject } from 'n8n-workflow';

import { isIso3166Alpha2 } from '../shared/countries';
import { InputError } from '../shared/errors';
import { isE164Phone } from '../shared/identity';
import { isCalendarDate, isEmailAddress, isJsonObject } from '../shared/util';

export const ESIGN_PRODUCT = 15;
const SHOP_PRODUCT = 11;

const MAX_ADDITIONAL = { video: 10, shop: 2 };

/** The node field behind each element, so that errors say what to change in the node. */
const FIELD_LABELS: Record<string, string> = {
	Ref: 'Ref',
	Product: 'Product',
	Add: 'Add',
	Email: 'Email',
	Mobile: 'Mobile',
	Phone: 'Phone',
	Lang: 'Language (Lang)',
	Autotest: 'Testrobot Outcome (Autotest)',
	CustomerRouteTag: 'Customer Route Tag',
	IdentDataSigned: 'Signed Identification Data',
	Purpose: 'Purpose',
	'RedirectURL.Success': 'Redirect URL on Success',
	'RedirectURL.Abort': 'Redirect URL on Abort',
	Address: 'Address',
	IdentData: 'Person to Check',
	'IdentData.IDCard': 'Person to Check → ID Card',
	'IdentData.DriverLicence': 'Person to Check → Driver Licence',
	'IdentData.Additional': 'Person to Check → Additional Fields',
	WebhookURL: 'Webhook URLs',
	EmailNotifications: 'Email Notifications',
	eSignPDF: 'eSign Documents',
	eSignHash: 'eSign Hashes',
	LegitimationDocument: 'Legitimation Documents',
};

/** "Person to Check → ID Card → Card Number (IdentData.IDCard.CardNo)"-style names, from the closest known label. */
function fieldName(path: string): string {
	const parts = path.split('.');
	for (let length = parts.length; length > 0; length--) {
		const label = FIELD_LABELS[parts.slice(0, length).join('.').replace(/\[\d+\]/g, '')];
		if (label) {
			const rest = parts.slice(length).join(' → ');
			return `"${rest ? `${label} → ${rest}` : label}" (${path})`;
		}
	}
	return `"${path}"`;
}

function fail(path: string, problem: string, fix: string): never {
	throw new InputError(`${fieldName(path)} ${problem}`, fix);
}

/** Reads one object's elements, naming each by its path. */
class Elements {
	constructor(
		private readonly record: IDataObject,
		private readonly path: string,
	) {}

	private at(name: string): string {
		return this.path === '' ? name : `${this.path}.${name}`;
	}

	value(name: string): unknown {
		const value = this.record[name];
		return value === null ? undefined : value;
	}

	has(name: string): boolean {
		return this.value(name) !== undefined;
	}

	text(name: string, max?: number, required = false): string | undefined {
		const value = this.value(name);
		if (value === undefined || value === '') {
			if (required) fail(this.at(name), 'is required', `Fill in ${fieldName(this.at(name))}.`);
			return undefined;
		}
		if (typeof value !== 'string') fail(this.at(name), `must be text, not ${JSON.stringify(value)}`, 'Enter it as text.');
		if (max !== undefined && value.length > max) {
			fail(this.at(name), `has ${value.length} characters; IDnow allows at most ${max}`, `Shorten it to ${max} characters.`);
		}
		return value;
	}

	/** The text, when `isValid` accepts it; `what` and `example` tell the user what to enter instead. */
	checked(name: string, max: number | undefined, isValid: (value: string) => boolean, what: string, example: string): string | undefined {
		const value = this.text(name, max);
		if (value !== undefined && !isValid(value)) {
			fail(this.at(name), `"${value}" is not ${what}`, `Enter ${what}, e.g. ${example}.`);
		}
		return value;
	}

	matching(name: string, max: number | undefined, pattern: RegExp, what: string, example: string): string | undefined {
		return this.checked(name, max, (value) => pattern.test(value), what, example);
	}

	email(name: string, max: number): void {
		this.checked(name, max, isEmailAddress, 'an e-mail address', 'erika.mustermann@example.com');
	}

	phone(name: string): void {
		this.checked(name, 50, isE164Phone, 'an international phone number (+, country code, number, no spaces)', '+491701234567');
	}

	country(name: string, max: number): void {
		const value = this.text(name, max);
		if (value !== undefined && !isIso3166Alpha2(value)) {
			fail(this.at(name), `"${value}" is not an ISO 3166-1 alpha-2 country code`, 'Enter the two capital letters of the country, e.g. DE, AT or NL.');
		}
	}

	date(name: string): void {
		const value = this.text(name);
		if (value !== undefined && !isCalendarDate(value)) {
			fail(this.at(name), `"${value}" is not a date YYYY-MM-DD`, 'Enter the date as YYYY-MM-DD, e.g. 1964-08-12.');
		}
	}

	url(name: string, max: number): void {
		const value = this.text(name, max);
		if (value !== undefined && !isHttpUrl(value)) {
			fail(this.at(name), `"${value}" is not an absolute http(s) URL`, 'Enter the whole URL, starting with https://.');
		}
	}

	boolean(name: string): void {
		const value = this.value(name);
		if (value !== undefined && typeof value !== 'boolean') fail(this.at(name), 'must be true or false', 'Use true or false.');
	}

	number(name: string, { integer = false, min }: { integer?: boolean; min?: number } = {}): number | undefined {
		const value = this.value(name);
		if (value === undefined) return undefined;
		const fix = `Enter ${integer ? 'a whole number' : 'a number'}${min === undefined ? '' : ` of at least ${min}`}.`;
		if (typeof value !== 'number' || !Number.isFinite(value)) fail(this.at(name), `must be a number, not ${JSON.stringify(value)}`, fix);
		if (integer && !Number.isInteger(value)) fail(this.at(name), `must be a whole number, not ${value}`, fix);
		if (min !== undefined && value < min) fail(this.at(name), `must be at least ${min}, not ${value}`, fix);
		return value;
	}

	object(name: string): Elements | undefined {
		const value = this.value(name);
		if (value === undefined) return undefined;
		if (!isJsonObject(value)) fail(this.at(name), 'must be an object', 'Give it as a JSON object.');
		return new Elements(value, this.at(name));
	}

	/** An element typed O/A: one object or an array of them. */
	objects(name: string): Elements[] {
		const value = this.value(name);
		if (value === undefined) return [];
		const items = Array.isArray(value) ? value : [value];
		return items.map((item, index) => {
			const path = Array.isArray(value) ? `${this.at(name)}[${index}]` : this.at(name);
			if (!isJsonObject(item)) fail(path, 'must be an object', 'Give it as a JSON object.');
			return new Elements(item, path);
		});
	}

	keys(): string[] {
		return Object.keys(this.record).filter((key) => this.has(key));
	}

	fail(name: string, problem: string, fix: string): never {
		return fail(name === '' ? this.path : this.at(name), problem, fix);
	}
}

function isHttpUrl(value: string): boolean {
	return URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);
}

const WEBHOOK_KINDS = ['AfterVideo', 'AfterIdent', 'OnFinal', 'OnError', 'OnVideoError', 'OnStatusChange'];
const EMAIL_NOTIFICATIONS = ['OnPositiveIdent', 'OnNegativeIdent', 'OnTimeOut', 'OnLeave'];
const EID_SETTINGS = ['VerifyMobileNumber', 'EnableOCR', 'CaptureImages', 'NoVideoFallback', 'DisableEID'];
const AUTOTEST = /^(POSITIVE|NEGATIVE|FRAUD)$/;
const ESIGN_ELEMENTS = ['eSignPDF', 'eSignHash', 'eSignOptions', 'MultiSignOptions', 'IdentDataSigned', 'eSignTanSmsText'];

/** Throws an InputError naming the first element that breaks the document's rules. */
export function validateOrderBody(body: IDataObject): void {
	const root = new Elements(body, '');
	const product = root.number('Product', { integer: true, min: 0 });
	if (product === undefined) return root.fail('Product', 'is required', 'Choose the Product, or enter its number.');
	root.number('Add', { integer: true, min: 0 });
	root.text('Ref', 100);
	root.email('Email', 50);
	root.phone('Mobile');
	root.phone('Phone');
	root.matching('Lang', 2, /^[A-Za-z]{2}$/, 'an ISO 639-1 language code', 'de');
	root.matching('Autotest', 50, AUTOTEST, 'POSITIVE, NEGATIVE or FRAUD', 'POSITIVE');
	root.text('CustomerRouteTag', 250);
	root.text('IdentDataSigned');
	root.text('eSignTanSmsText');
	root.text('verificationSmsText');
	for (const name of ['getTargetLink', 'getDeepLink', 'getVideoHashes']) root.boolean(name);
	checkEidSettings(root);
	checkRedirects(root);
	checkWebhooks(root);
	checkAddress(root);
	checkIdentData(root, product);
	checkLegitimationDocuments(root);
	checkPurpose(root);
	checkEmailNotifications(root);
	checkESign(root, product);
}

function checkEidSettings(root: Elements): void {
	const settings = root.object('eIDSettings');
	for (const name of EID_SETTINGS) settings?.boolean(name);
}

function checkRedirects(root: Elements): void {
	const redirect = root.object('RedirectURL');
	redirect?.url('Success', 150);
	redirect?.url('Abort', 150);
}

function checkWebhooks(root: Elements): void {
	const hooks = root.object('WebhookURL');
	if (!hooks) return;
	const unknown = hooks.keys().find((kind) => !WEBHOOK_KINDS.includes(kind));
	if (unknown) hooks.fail(unknown, 'is not a webhook kind', `Use ${WEBHOOK_KINDS.join(', ')}.`);
	if (hooks.has('AfterVideo') && hooks.has('AfterIdent')) {
		hooks.fail('AfterVideo', 'cannot be used together with AfterIdent', 'Keep one of AfterVideo and AfterIdent: IDnow refuses both.');
	}
	for (const kind of WEBHOOK_KINDS) hooks.url(kind, 250);
}

function checkAddress(root: Elements): void {
	const address = root.object('Address');
	if (!address) return;
	address.text('Firstname', 50, true);
	address.text('Surname', 50, true);
	address.text('CompanyName', 50);
	address.text('Street', 50);
	address.text('ZipCode', 5);
	address.text('City', 100);
	address.text('Country', 3, true);
	address.country('Country', 3);
}

function checkIdentData(root: Elements, product: number): void {
	const data = root.object('IdentData');
	if (!data) return;
	const lengths: Array<[string, number]> = [
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
	];
	for (const [name, max] of lengths) data.text(name, max);
	data.country('Country', 2);
	data.date('Birthdate');
	data.matching('Gender', undefined, /^(female|male|diverse)$/, 'female, male or diverse', 'female');
	data.email('Email', 50);
	data.phone('Mobile');
	checkIdCard(data);
	checkDriverLicence(data);
	checkAdditional(data, product === SHOP_PRODUCT ? MAX_ADDITIONAL.shop : MAX_ADDITIONAL.video);
}

function checkIdCard(data: Elements): void {
	const card = data.object('IDCard');
	if (!card) return;
	card.text('CardNo', 50);
	card.text('PlaceOfIssue', 100);
	card.date('DateOfIssue');
	card.country('CountryOfIssue', 3);
	card.date('ValidUntil');
	card.text('Type');
	const images = card.object('Images');
	images?.text('Front');
	images?.text('Back');
}

function checkDriverLicence(data: Elements): void {
	const licence = data.object('DriverLicence');
	if (!licence) return;
	licence.text('LicenceNo', 50);
	licence.text('Classes', 50);
	licence.country('CountryOfIssue', 3);
	licence.date('DateOfIssue');
	licence.date('ValidUntil');
}

const ADDITIONAL_TYPES: Record<number, (detail: Elements) => void> = {
	1: (detail) => detail.text('Value', 150),
	2: (detail) => detail.date('Value'),
	3: (detail) => detail.matching('Value', 5, /^(true|false)$/, '"true" or "false"', 'true'),
	4: (detail) => detail.country('Value', 150),
};

function checkAdditional(data: Elements, maxItems: number): void {
	const additional = data.object('Additional');
	if (!additional) return;
	const names = additional.keys();
	if (names.length > maxItems) {
		data.fail('Additional', `has ${names.length} fields; IDnow allows at most ${maxItems} for this product`, `Remove fields until ${maxItems} are left.`);
	}
	for (const name of names) {
		if (name.length > 50) additional.fail(name, 'has a name longer than 50 characters', 'Shorten the field name.');
		const detail = additional.object(name) as Elements;
		const type = detail.number('Type', { integer: true });
		const check = type === undefined ? undefined : ADDITIONAL_TYPES[type];
		if (!check) return detail.fail('Type', 'must be 1 (text), 2 (date), 3 (boolean) or 4 (country)', 'Choose the field type.');
		detail.text('Label', 100, true);
		check(detail);
	}
}

function checkLegitimationDocuments(root: Elements): void {
	const documents = root.value('LegitimationDocument');
	if (documents === undefined) return;
	if (!Array.isArray(documents)) root.fail('LegitimationDocument', 'must be a list', 'Give one description per document.');
	documents.forEach((document, index) => {
		const text = isJsonObject(document) ? document.Document : document;
		if (typeof text !== 'string' || text.trim() === '' || text.length > 50) {
			root.fail(`LegitimationDocument[${index}]`, 'must be a description of 1 to 50 characters', 'Shorten or fill in the description.');
		}
	});
}

function checkPurpose(root: Elements): void {
	const purpose = root.value('Purpose');
	if (purpose === undefined || typeof purpose === 'string') {
		root.text('Purpose', 150);
		return;
	}
	const languages = root.object('Purpose') as Elements;
	for (const language of languages.keys()) {
		if (!/^[a-z]{2}$/i.test(language)) {
			languages.fail(language, 'is not a two-letter language code', 'Use codes such as de, en, fr for the languages.');
		}
		languages.text(language, 150);
	}
}

function checkEmailNotifications(root: Elements): void {
	const notifications = root.object('EmailNotifications');
	if (!notifications) return;
	const unknown = notifications.keys().find((name) => !EMAIL_NOTIFICATIONS.includes(name));
	if (unknown) notifications.fail(unknown, 'is not an e-mail notification', `Use ${EMAIL_NOTIFICATIONS.join(', ')}.`);
	for (const name of EMAIL_NOTIFICATIONS) notifications.email(name, 150);
}

function checkESign(root: Elements, product: number): void {
	if (product !== ESIGN_PRODUCT) {
		const given = ESIGN_ELEMENTS.find((name) => root.has(name));
		if (given) root.fail(given, `is for eSign orders only, but the Product is ${product}`, `Choose Product ${ESIGN_PRODUCT} (eSign), or remove it.`);
	}
	for (const document of root.objects('eSignPDF')) checkESignDocument(document);
	for (const hash of root.objects('eSignHash')) {
		hash.text('Hash', undefined, true);
		hash.text('Filename', 50, true);
	}
	const options = root.object('eSignOptions');
	const checkboxes = options?.value('AdditionalCheckboxes');
	if (Array.isArray(checkboxes)) {
		checkboxes.forEach((text, index) => {
			if (typeof text !== 'string' || text.length > 300) {
				options?.fail(`AdditionalCheckboxes[${index}]`, 'must be a text of at most 300 characters', 'Shorten the checkbox text.');
			}
		});
	}
	const multi = root.object('MultiSignOptions');
	multi?.text('FirstOrderID', 14, true);
}

function checkESignDocument(document: Elements): void {
	document.text('Data', undefined, true);
	document.text('Filename', 50);
	for (const name of ['SignaturePosX', 'SignaturePosY', 'SignatureHeight', 'SignatureWidth']) document.number(name, { min: 0 });
	document.number('SignaturePage', { integer: true, min: 1 });
	document.number('SignatureOffsetPosX', { integer: true });
	document.number('SignatureOffsetPosY', { integer: true });
	const byPosition = document.has('SignaturePosX') || document.has('SignaturePosY');
	const byField = document.has('SignatureFieldName');
	const byTag = document.has('SignatureTag');
	if (byPosition && byField) {
		document.fail('SignatureFieldName', 'cannot be used together with a signature position', 'Place the signature either by position or by field name.');
	}
	if (byTag && (byPosition || byField)) {
		document.fail('SignatureTag', 'cannot be used together with a position or field name', 'Place the signature by one of position, field name or tag.');
	}
	if (!byTag && (document.has('SignatureOffsetPosX') || document.has('SignatureOffsetPosY'))) {
		document.fail('SignatureOffsetPosX', 'can only be used with a signature tag', 'Remove the offsets, or place the signature by tag.');
	}
}
