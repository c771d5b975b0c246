/**
 * The HTML pages behind an identification request's `link`: what the person opens to identify. In production
 * that is eeID's own login (Smart-ID, Mobile-ID, ID card…); the sandbox asks for the identity in a form instead,
 * so the demo can be walked through in a browser.
 */

export interface IdentifyPageModel {
	id: string;
	language: string;
	reason: string | null;
	person: { givenName: string; familyName: string; sub: string; birthdate: string };
}

export function identifyPage(model: IdentifyPageModel): string {
	const field = (name: string, label: string, value: string) =>
		`<label>${label}<br><input name="${name}" value="${escapeHtml(value)}" required></label>`;
	return page(
		model.language,
		`<h1>eeID sandbox — identify</h1>
<p>Identification request <code>${escapeHtml(model.id)}</code></p>
${model.reason ? `<p>Reason: ${escapeHtml(model.reason)}</p>` : ''}
<form method="post">
${field('given_name', 'Given name', model.person.givenName)}
${field('family_name', 'Family name', model.person.familyName)}
${field('sub', 'Personal code (with country prefix)', model.person.sub)}
${field('birthdate', 'Date of birth (YYYY-MM-DD)', model.person.birthdate)}
<button type="submit">Identify</button>
</form>`,
	);
}

export function donePage(language: string, id: string, webhookOutcome: string): string {
	return page(
		language,
		`<h1>eeID sandbox — identified</h1>
<p>Identification request <code>${escapeHtml(id)}</code> is completed. You can close this page.</p>
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
