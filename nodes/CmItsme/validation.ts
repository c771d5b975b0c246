/**
 * Checks of what the user (or, for the trigger, the start URL's query) gives, before anything is sent to CM:
 * a typo never costs a transaction or a person's time.
 */
import { InputError } from '../shared/errors';
import { normalizePhone } from '../shared/identity';
import { ITSME_LOCALES, ITSME_SCOPES, ITSME_SERVICES, type ItsmeLocale, type ItsmeScope, type ItsmeService } from './constants';

/** Plenty for an order or customer number; it travels in a cookie and in every output item. */
export const MAX_REFERENCE_LENGTH = 200;

function textOf(value: unknown): string {
	return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
}

/**
 * An absolute http(s) URL, returned in its canonical form: CM sends the person back to it verbatim, so spaces and
 * non-ASCII characters are percent-encoded (and a host name punycoded) here rather than refused there.
 */
export function checkUrl(value: unknown, label: string, example: string): string {
	const url = textOf(value);
	if (url === '') throw new InputError(`No ${label} given`, `Enter the full address, e.g. ${example}.`);
	const parsed = URL.canParse(url) ? new URL(url) : undefined;
	if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) {
		throw new InputError(
			`The ${label} "${url}" is not an absolute http or https URL`,
			`Enter the full address, starting with https:// or http://, e.g. ${example}.`,
		);
	}
	return parsed.href;
}

export function checkRedirectUrl(value: unknown): string {
	return checkUrl(
		value,
		'redirect URL',
		"https://example.com/itsme/return (with n8n's Wait node: {{ $execution.resumeUrl }})",
	);
}

/**
 * E.164 (`+32471234567`); spaces, dots, dashes and a leading 00 are tolerated, national numbers are not guessed.
 * A `+` written unencoded in a URL's query arrives as a space: it is put back.
 */
export function checkPhoneNumber(value: unknown): string | undefined {
	const given = textOf(typeof value === 'string' ? value.replace(/^ (?=\d)/, '+') : value);
	if (given === '') return undefined;
	const phone = normalizePhone(given);
	if (phone === null) {
		throw new InputError(
			`The phone number "${given}" is not in E.164 format`,
			'Write it with + and the country code, e.g. +32471234567, or leave it empty.',
		);
	}
	return phone;
}

export function checkLocale(value: unknown): ItsmeLocale | undefined {
	const locale = textOf(value).toLowerCase();
	if (locale === '') return undefined;
	if (!(ITSME_LOCALES as readonly string[]).includes(locale)) {
		throw new InputError(
			`The locale "${locale}" is not one itsme offers`,
			`Use one of ${ITSME_LOCALES.join(', ')}, or leave it empty for itsme's default.`,
		);
	}
	return locale as ItsmeLocale;
}

export function checkService(value: unknown): ItsmeService {
	const service = textOf(value);
	if (!(ITSME_SERVICES as readonly string[]).includes(service)) {
		throw new InputError(`The service "${service}" is not one itsme offers`, `Use ${ITSME_SERVICES.join(' or ')}.`);
	}
	return service as ItsmeService;
}

/** The scopes once each, in the document's order. */
export function checkScopes(value: unknown): ItsmeScope[] {
	const given = Array.isArray(value) ? value.map(textOf) : [];
	const unknown = given.filter((scope) => !(ITSME_SCOPES as readonly string[]).includes(scope));
	if (!Array.isArray(value) || unknown.length > 0) {
		throw new InputError(
			`The scopes ${JSON.stringify(unknown.length > 0 ? unknown : value)} are not ones itsme offers`,
			`Choose among ${ITSME_SCOPES.join(', ')}.`,
		);
	}
	return ITSME_SCOPES.filter((scope) => given.includes(scope));
}

export function checkTransactionToken(value: unknown): string {
	const token = textOf(value);
	if (token === '') {
		throw new InputError('No transaction token given', 'Map the transactionToken that the Create operation returned.');
	}
	if (/[\s/?#]/.test(token)) {
		throw new InputError(
			`"${token}" is not a transaction token`,
			'Map the transactionToken that the Create operation returned; it has no spaces or slashes.',
		);
	}
	return token;
}

function hasControlCharacters(value: string): boolean {
	return [...value].some((character) => character <= '\u001f' || character === '\u007f');
}

/** The caller's reference from a start URL: printable text of a bounded length, or none. */
export function checkReference(value: unknown): string | null {
	const reference = textOf(value);
	if (reference === '') return null;
	if (reference.length > MAX_REFERENCE_LENGTH || hasControlCharacters(reference)) {
		throw new InputError(
			`The reference is longer than ${MAX_REFERENCE_LENGTH} characters or holds control characters`,
			`Use a short reference, such as an order or customer number (at most ${MAX_REFERENCE_LENGTH} characters).`,
		);
	}
	return reference;
}
