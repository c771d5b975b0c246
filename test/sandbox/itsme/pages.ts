/**
 * The itsme page behind `authenticationUrl`. In production the person confirms in the itsme app on their phone;
 * the sandbox offers plain HTML forms instead, so a person or a browser test can approve as one of the test
 * identities, cancel, fail or let the transaction expire.
 */
import type { ItsmeIdentity, ItsmeScope, ItsmeService } from './model';

export interface AuthorizationPageModel {
	language: string;
	service: ItsmeService;
	scopes: readonly ItsmeScope[];
	/** The merchant's prefilled number, shown as itsme shows it. */
	phoneNumber: string | null;
	identities: readonly ItsmeIdentity[];
	/** The identity checked by default. */
	selected: string;
}

const SCOPE_LABELS: Record<ItsmeScope, string> = {
	profile: 'name, gender, locale and date of birth',
	email: 'email address',
	phone: 'phone number',
	address: 'street, postal code, city and country',
};

/** Buttons of the single form: `action` says what the person does; `identity` only matters for `approve`. */
export function authorizationPage(model: AuthorizationPageModel): string {
	const asked = model.scopes.map((scope) => `<li>${SCOPE_LABELS[scope]}</li>`).join('\n');
	return page(
		model.language,
		`<h1>itsme sandbox — ${model.service === 'login' ? 'log in' : 'register'}</h1>
${model.phoneNumber ? `<p>Phone number: <span id="phone-number">${escapeHtml(model.phoneNumber)}</span></p>` : ''}
${asked ? `<p>The merchant asks for:</p>\n<ul>\n${asked}\n</ul>` : '<p>The merchant asks for no personal data.</p>'}
<form method="post">
<fieldset><legend>Confirm as</legend>
${model.identities.map((identity) => identityChoice(identity, identity.id === model.selected)).join('\n')}
</fieldset>
<button type="submit" name="action" value="approve">Approve</button>
<button type="submit" name="action" value="cancel">Cancel</button>
<button type="submit" name="action" value="fail">Fail</button>
<button type="submit" name="action" value="expire">Let it expire</button>
</form>`,
	);
}

/** A page that only says something: a transaction that cannot be answered (any more), or a bad choice. */
export function messagePage(language: string, message: string, redirectUrl?: string): string {
	const back = redirectUrl ? `\n<p><a href="${escapeHtml(redirectUrl)}">Back to the merchant</a></p>` : '';
	return page(language, `<h1>itsme sandbox</h1>\n<p id="message">${escapeHtml(message)}</p>${back}`);
}

function identityChoice(identity: ItsmeIdentity, checked: boolean): string {
	const { streetAddress, postalCode, city } = identity.address;
	const where = `${streetAddress.replace(/\n/g, ', ')}, ${postalCode} ${city}`;
	const label = `${identity.givenName} ${identity.familyName} (${identity.phoneNumber}, ${where})`;
	const input = `<input type="radio" name="identity" value="${escapeHtml(identity.id)}"${checked ? ' checked' : ''}>`;
	return `<label>${input} ${escapeHtml(label)}</label><br>`;
}

function page(language: string, body: string): string {
	return `<!doctype html>
<html lang="${escapeHtml(language)}">
<head><meta charset="utf-8"><title>itsme sandbox</title></head>
<body>
${body}
</body>
</html>
`;
}

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
