/**
 * The page behind an invite URL. In production that is CM's landing page and then the person's own bank; the
 * sandbox folds both into one form where the person (or a browser test) picks a test identity and an outcome.
 */
import type { IdinIdentity } from './identities';
import type { AttributeName, PersonStatus } from './model';

export interface BankPageModel {
	groupName: string;
	personName: string;
	requested: AttributeName[];
	identities: readonly IdinIdentity[];
	expiresAt: string;
}

/** The buttons, in the order a person meets them; `value` is the person status each one leads to. */
const OUTCOMES: ReadonlyArray<{ value: PersonStatus; label: string }> = [
	{ value: 'success', label: 'Identify' },
	{ value: 'cancelled', label: 'Cancel' },
	{ value: 'failure', label: 'Fail at the bank' },
	{ value: 'expired', label: 'Let it expire' },
];

export function bankPage(model: BankPageModel): string {
	const identities = model.identities.map((identity, index) => identityChoice(identity, index === 0)).join('\n');
	const withheld = model.requested
		.map((attribute) => `<label><input type="checkbox" name="withhold_${attribute}"> ${attribute}</label><br>`)
		.join('\n');
	const buttons = OUTCOMES.map(
		(outcome) => `<button type="submit" name="outcome" value="${outcome.value}">${outcome.label}</button>`,
	).join('\n');
	return page(
		'identify',
		`<h1>iDIN sandbox bank</h1>
<p><strong>${escapeHtml(model.groupName)}</strong> asks <strong>${escapeHtml(model.personName)}</strong>
to identify.</p>
<p>Requested: ${model.requested.map(escapeHtml).join(', ')}.
This invitation expires at ${escapeHtml(model.expiresAt)}.</p>
<form method="post">
<fieldset><legend>Bank customer</legend>
${identities}
</fieldset>
<fieldset><legend>Withhold from a success (the bank has no such data)</legend>
${withheld}
</fieldset>
${buttons}
</form>`,
	);
}

function identityChoice(identity: IdinIdentity, checked: boolean): string {
	const input = `<input type="radio" name="identity" value="${escapeHtml(identity.id)}"${checked ? ' checked' : ''}>`;
	return `<label>${input} ${escapeHtml(identity.label)}</label><br>`;
}

export function outcomePage(status: PersonStatus, redirectUrl: string | null, webhookOutcome: string): string {
	const back = redirectUrl === null ? '' : `<p><a href="${escapeHtml(redirectUrl)}">Back to the requester</a></p>`;
	return page(
		status,
		`<h1>iDIN sandbox bank</h1>
<p id="outcome">Identification ${escapeHtml(status)}.</p>
<p>Webhook: ${escapeHtml(webhookOutcome)}</p>
${back}`,
	);
}

export function unavailablePage(message: string): string {
	return page('unavailable', `<h1>iDIN sandbox bank</h1>\n<p>${escapeHtml(message)}</p>`);
}

function page(title: string, body: string): string {
	return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>iDIN sandbox — ${escapeHtml(title)}</title></head>
<body>
${body}
</body>
</html>
`;
}

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
