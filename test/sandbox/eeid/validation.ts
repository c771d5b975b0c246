/**
 * Input checks: the API's own (422 {error}, as eeID answers bad claims) and the control surface's (400 with the
 * reason, like every sandbox control).
 */
import { HttpError, type SandboxRequest } from '../framework';
import { ISO_3166_ALPHA2 } from '../iso3166';
import {
	AUTHENTICATION_TYPES,
	CLAIM_TYPES,
	type EeIdClaim,
	type EeIdCreateBody,
	type EeIdPerson,
	type EeIdSettings,
} from './types';

const REASON_LANGUAGES = ['en', 'et', 'ru'];

/** The current public spec's own example of a 422. */
export const SUB_REQUIRED_MESSAGE = 'Claims required must include at least one claim of type "sub" with a non-empty value';

export interface CreateValidation {
	/**
	 * The current spec's rule that a non-blank `sub` claim is required. The API always applies it; seeding through
	 * `createRequestDirect` does not, as requests created before the rule still show up in the listing.
	 */
	requireSub: boolean;
}

export function validateCreateBody(body: unknown, { requireSub }: CreateValidation): EeIdCreateBody {
	if (!isRecord(body)) throw new HttpError(422, 'Request body must be a JSON object');
	const claims = body.claims_required;
	if (!Array.isArray(claims) || claims.length === 0) {
		throw new HttpError(422, 'claims_required must be a non-empty array of {type, value}');
	}
	claims.forEach(validateClaim);
	const hasSub = (claims as EeIdClaim[]).some((claim) => claim.type === 'sub' && claim.value.trim() !== '');
	if (requireSub && !hasSub) throw new HttpError(422, SUB_REQUIRED_MESSAGE);
	optionalString(body, 'reference');
	optionalString(body, 'reason');
	validateReasonTranslations(body.reason_translations);
	return body as unknown as EeIdCreateBody;
}

function validateClaim(claim: unknown, index: number): void {
	const where = `claims_required[${index}]`;
	if (!isRecord(claim) || typeof claim.type !== 'string' || typeof claim.value !== 'string') {
		throw new HttpError(422, `${where} must be an object with string type and value`);
	}
	const problem = claimProblem(claim.type, claim.value);
	if (problem) throw new HttpError(422, `${where}: ${problem}`);
}

function claimProblem(type: string, value: string): string | undefined {
	switch (type) {
		case 'sub':
			// A blank sub is left to the "at least one sub" rule, which words it as eeID does.
			if (value.trim() === '') return undefined;
			return ISO_3166_ALPHA2.has(value.slice(0, 2)) && value.length > 2
				? undefined
				: `sub must start with a two-letter country code, e.g. EE30303039914 (got "${value}")`;
		case 'name':
			return value.trim() === '' ? 'name must not be empty' : undefined;
		case 'birthdate':
			return isCalendarDate(value) ? undefined : `birthdate must be a date as YYYY-MM-DD (got "${value}")`;
		case 'country':
			return ISO_3166_ALPHA2.has(value)
				? undefined
				: `country must be an ISO 3166-1 alpha-2 code (got "${value}")`;
		default:
			return `unknown claim type "${type}"; allowed: ${CLAIM_TYPES.join(', ')}`;
	}
}

export function isCalendarDate(value: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
	const date = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

function optionalString(body: Record<string, unknown>, field: string): void {
	const value = body[field];
	if (value !== undefined && value !== null && typeof value !== 'string') {
		throw new HttpError(422, `${field} must be a string`);
	}
}

function validateReasonTranslations(translations: unknown): void {
	if (translations === undefined || translations === null) return;
	const valid =
		isRecord(translations) &&
		Object.entries(translations).every(
			([language, text]) => REASON_LANGUAGES.includes(language) && typeof text === 'string',
		);
	if (!valid) throw new HttpError(422, `reason_translations must map ${REASON_LANGUAGES.join(', ')} to strings`);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A query integer; absent (or empty) means the default, anything else not an integer >= minimum is a 422. */
export function integerParam(raw: string | undefined, fallback: number, name: string, minimum: number): number {
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < minimum) {
		throw new HttpError(422, `${name} must be an integer >= ${minimum}`);
	}
	return value;
}

/** The eeID manager refuses webhook URLs without the documented path; so does the sandbox (422). */
export function checkedWebhookUrl(url: string, marker: string): string {
	if (!URL.canParse(url)) throw new HttpError(422, `webhook URL ${url} is not a URL`);
	if (!url.includes(marker)) {
		throw new HttpError(422, `the eeID manager only accepts webhook URLs containing the path ${marker}`);
	}
	return url;
}

type SettingCheck = (value: unknown) => boolean;

const SETTING_CHECKS: { [K in keyof EeIdSettings]: [SettingCheck, string] } = {
	pageBase: [(value) => value === 0 || value === 1, 'pageBase must be 0 or 1'],
	proofPaddingBytes: [isNonNegativeInteger, 'proofPaddingBytes must be an integer >= 0'],
	familyNameKey: [
		(value) => value === 'family_name' || value === 'last_name',
		'familyNameKey must be "family_name" or "last_name"',
	],
	birthDateKey: [
		(value) => value === 'date_of_birth' || value === 'birthdate',
		'birthDateKey must be "date_of_birth" or "birthdate"',
	],
	claimsComparison: [(value) => typeof value === 'boolean', 'claimsComparison must be true or false'],
	uniqueReferences: [(value) => typeof value === 'boolean', 'uniqueReferences must be true or false'],
	webhookTimeoutMs: [
		(value) => isNonNegativeInteger(value) && (value as number) > 0,
		'webhookTimeoutMs must be an integer > 0',
	],
};

/** Only known settings with valid values; 400 naming the first bad one. Undefined values are left out. */
export function checkedSettings(changes: Record<string, unknown>): Partial<EeIdSettings> {
	const checked: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(changes)) {
		if (value === undefined) continue;
		const rule = SETTING_CHECKS[name as keyof EeIdSettings];
		if (rule === undefined) {
			throw new HttpError(400, `unknown setting "${name}"; known: ${Object.keys(SETTING_CHECKS).join(', ')}`);
		}
		if (!rule[0](value)) throw new HttpError(400, rule[1]);
		checked[name] = value;
	}
	return checked as Partial<EeIdSettings>;
}

function isNonNegativeInteger(value: unknown): boolean {
	return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

export type EeIdPersonChoice = 'expected' | 'other' | Partial<EeIdPerson>;

const PERSON_FIELDS: Record<keyof EeIdPerson, SettingCheck> = {
	sub: (value) => typeof value === 'string' && value.trim() !== '',
	givenName: (value) => typeof value === 'string',
	familyName: (value) => typeof value === 'string',
	dateOfBirth: (value) => typeof value === 'string' && isCalendarDate(value),
	authenticationType: (value) => AUTHENTICATION_TYPES.includes(value as never),
	documentNumber: (value) => typeof value === 'string' && value.trim() !== '',
};

/** `as` of the complete control: "expected", "other", or person fields replacing the expected person's. */
export function checkedPersonChoice(value: unknown): EeIdPersonChoice {
	if (value === 'expected' || value === 'other') return value;
	if (!isRecord(value)) throw new HttpError(400, '"as" must be "expected", "other" or an object of person fields');
	for (const [field, fieldValue] of Object.entries(value)) {
		const check = PERSON_FIELDS[field as keyof EeIdPerson];
		if (check === undefined) {
			throw new HttpError(400, `unknown person field "${field}"; known: ${Object.keys(PERSON_FIELDS).join(', ')}`);
		}
		if (!check(fieldValue)) throw new HttpError(400, `person field "${field}" has an invalid value`);
	}
	return value as Partial<EeIdPerson>;
}

/** A control's JSON body; empty means {}. */
export function controlBody(request: SandboxRequest): Record<string, unknown> {
	if (request.body.length === 0) return {};
	const body = request.json();
	if (!isRecord(body)) throw new HttpError(400, 'control body must be a JSON object');
	return body;
}
