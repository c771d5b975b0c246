/**
 * The HTML pages behind an identification request's `link`: what the person opens to identify. In production
 * that is eeID's own login (Smart-ID, Mobile-ID, ID card…); the sandbox offers a choice instead, so that the demo
 * can be walked through in a browser: identify as the expected person (a form prefilled from claims_required,
 * editable), or as another test person, which completes the request with mismatched claims, as eeID does.
 */
import { htmlResponse, type SandboxRequest, type SandboxResponse } from '../framework';
import { expectedPerson, otherPerson } from './result';
import type { EeIdSimulator } from './simulator';
import type { EeIdStore } from './store';
import {
	AUTHENTICATION_TYPES,
	EEID_LINK_PATH,
	type EeIdAuthenticationType,
	type EeIdClaimsComparison,
	type EeIdPerson,
	type StoredRequest,
} from './types';
import { isCalendarDate } from './validation';
import type { EeIdWebhookDelivery } from './webhooks';

export function registerLinkPages(simulator: EeIdSimulator, store: EeIdStore): void {
	simulator.route('GET', `${EEID_LINK_PATH}/:id`, (request) => {
		const stored = store.find(request.params.id);
		const language = pageLanguage(request);
		if (stored?.status !== 'pending') return unavailable(stored, language);
		const expected = expectedPerson(stored.claims);
		return htmlResponse(
			200,
			identifyPage({
				id: stored.id,
				language,
				reason: stored.reasonTranslations[language] ?? stored.reason,
				expected,
				other: otherPerson(expected),
			}),
		);
	});

	simulator.route('POST', `${EEID_LINK_PATH}/:id`, async (request) => {
		const stored = store.find(request.params.id);
		const language = pageLanguage(request);
		if (stored?.status !== 'pending') return unavailable(stored, language);
		const completion = await simulator.completeRequestAs(stored.id, personFromForm(request, stored));
		return htmlResponse(
			200,
			donePage(language, stored.id, describeComparison(stored.comparison), describeDeliveries(completion.webhooks)),
		);
	});
}

/** `as=other` picks the other test person; otherwise the submitted fields, blanks filled from the expected person. */
function personFromForm(request: SandboxRequest, stored: StoredRequest): EeIdPerson {
	const form = request.form();
	const expected = expectedPerson(stored.claims);
	if (form.as === 'other') return otherPerson(expected);
	const field = (name: string) => form[name]?.trim() || undefined;
	const dateOfBirth = field('date_of_birth') ?? field('birthdate');
	const authenticationType = field('authentication_type');
	return {
		sub: field('sub') ?? expected.sub,
		givenName: field('given_name') ?? expected.givenName,
		familyName: field('family_name') ?? expected.familyName,
		dateOfBirth: dateOfBirth !== undefined && isCalendarDate(dateOfBirth) ? dateOfBirth : expected.dateOfBirth,
		authenticationType: AUTHENTICATION_TYPES.includes(authenticationType as EeIdAuthenticationType)
			? (authenticationType as EeIdAuthenticationType)
			: expected.authenticationType,
	};
}

export interface IdentifyPageModel {
	id: string;
	language: string;
	reason: string | null;
	expected: EeIdPerson;
	other: EeIdPerson;
}

export function identifyPage(model: IdentifyPageModel): string {
	const field = (name: string, label: string, value: string) =>
		`<label>${label}<br><input name="${name}" value="${escapeHtml(value)}" required></label>`;
	const methods = AUTHENTICATION_TYPES.map(
		(type) => `<option${type === model.expected.authenticationType ? ' selected' : ''}>${type}</option>`,
	).join('');
	const other = model.other;
	return page(
		model.language,
		`<h1>eeID sandbox — identify</h1>
<p>Identification request <code>${escapeHtml(model.id)}</code></p>
${model.reason ? `<p>Reason: ${escapeHtml(model.reason)}</p>` : ''}
<h2>As the expected person</h2>
<form method="post">
${field('given_name', 'Given name', model.expected.givenName)}
${field('family_name', 'Family name', model.expected.familyName)}
${field('sub', 'Personal code (with country prefix)', model.expected.sub)}
${field('birthdate', 'Date of birth (YYYY-MM-DD)', model.expected.dateOfBirth)}
<label>Login method<br><select name="authentication_type">${methods}</select></label>
<button type="submit" name="as" value="expected">Identify</button>
</form>
<h2>As another test person</h2>
<form method="post">
<p>${escapeHtml(`${other.givenName} ${other.familyName}`)}, <code>${escapeHtml(other.sub)}</code>, born
${escapeHtml(other.dateOfBirth)}. eeID completes the request anyway and reports the claims that do not match.</p>
<button type="submit" name="as" value="other">Identify as another person</button>
</form>`,
	);
}

export function donePage(language: string, id: string, claimsOutcome: string, webhookOutcome: string): string {
	return page(
		language,
		`<h1>eeID sandbox — identified</h1>
<p>Identification request <code>${escapeHtml(id)}</code> is completed. You can close this page.</p>
<p>Claims: ${escapeHtml(claimsOutcome)}</p>
<p>Webhook: ${escapeHtml(webhookOutcome)}</p>`,
	);
}

export function unavailablePage(language: string, message: string): string {
	return page(language, `<h1>eeID sandbox</h1>\n<p>${escapeHtml(message)}</p>`);
}

function page(language: string, body: string): string {
	return `<!doctype html>
<html lang="${escapeHtml(language)}">
<head><meta charset="utf-8"><title>eeID sandbox — identify</title></head>
<body>
<p>Language: ${escapeHtml(language)}</p>
${body}
</body>
</html>
`;
}

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** `ui_locales` is a space-separated preference list (OpenID Connect); the first entry wins. */
function pageLanguage(request: SandboxRequest): string {
	return request.query.ui_locales?.trim().split(/\s+/)[0] || 'en';
}

function unavailable(stored: StoredRequest | undefined, language: string): SandboxResponse {
	if (stored === undefined) return htmlResponse(404, unavailablePage(language, 'No such identification request.'));
	if (stored.status === 'completed') {
		return htmlResponse(409, unavailablePage(language, 'This identification is already completed.'));
	}
	return htmlResponse(410, unavailablePage(language, 'This link has expired.'));
}

function describeComparison(comparison: EeIdClaimsComparison): string {
	if (comparison.claims_matched) return 'all required claims matched';
	return `not matched: ${comparison.claims_comparison_errors.join('; ')}`;
}

function describeDeliveries(deliveries: EeIdWebhookDelivery[]): string {
	if (deliveries.length === 0) return 'none configured';
	const last = deliveries[deliveries.length - 1];
	const outcome = last.status === null ? `failed (${last.error})` : `answered ${last.status}`;
	const retry = last.acknowledged ? '' : '; eeID retries it on the sandbox clock (10 s, 40 s, 100 s later)';
	return `${last.url} ${outcome} after ${deliveries.length} attempt(s)${retry}`;
}
