/**
 * The small pages the CM itsme Trigger shows the person: the outcome when no success or failure URL is set, and
 * every refusal (a link that is not valid, expired or used). English only; set the Success and Failure URLs to
 * show your own pages for the outcomes.
 */
import type { IdentityStatus } from '../shared/identity';

export interface PageContent {
	title: string;
	message: string;
	/** Usually "Start again", pointing at the trigger's start URL. */
	link?: { href: string; text: string };
	/** Reload the same address after this many seconds (waiting for itsme). */
	refreshSeconds?: number;
}

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

export function renderPage({ title, message, link, refreshSeconds }: PageContent): string {
	const refresh = refreshSeconds === undefined ? '' : `\n<meta http-equiv="refresh" content="${refreshSeconds}">`;
	const action = link ? `\n<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>` : '';
	return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">${refresh}
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2937}h1{font-size:1.4rem}a{color:#ff4612}</style>
</head>
<body>
<h1 id="title">${escapeHtml(title)}</h1>
<p id="message">${escapeHtml(message)}</p>${action}
</body>
</html>
`;
}

/** What the person reads after itsme, per outcome, when no Success or Failure URL is set. */
export const OUTCOME_PAGES: Record<IdentityStatus, Pick<PageContent, 'title' | 'message'>> = {
	verified: { title: 'Signed in with itsme', message: 'Thank you: your identity is confirmed. You can close this page.' },
	cancelled: { title: 'Sign-in cancelled', message: 'You cancelled the itsme sign-in.' },
	failed: { title: 'Sign-in failed', message: 'itsme could not confirm your identity.' },
	expired: { title: 'Sign-in expired', message: 'The itsme sign-in expired before it was confirmed.' },
	review: { title: 'Sign-in not confirmed', message: 'Your itsme sign-in could not be confirmed here.' },
	pending: { title: 'Sign-in not finished', message: 'The itsme sign-in is not finished yet.' },
};

export type Refusal = 'missing' | 'invalid' | 'otherBrowser' | 'unknown' | 'expired' | 'used';

/** A return that cannot be accepted: 4xx, nothing runs. Every one of them can only be solved by starting again. */
export const REFUSAL_PAGES: Record<Refusal, { status: number; title: string; message: string }> = {
	missing: {
		status: 400,
		title: 'This sign-in link is incomplete',
		message: 'The address has no sign-in state. Please start the sign-in again.',
	},
	invalid: {
		status: 400,
		title: 'This sign-in link is not valid',
		message: 'The sign-in state in this address or in your browser is not valid. Please start the sign-in again.',
	},
	otherBrowser: {
		status: 400,
		title: 'This sign-in was not started in this browser',
		message: 'This browser started another sign-in, not this one. Please start the sign-in again.',
	},
	unknown: {
		status: 400,
		title: 'This sign-in is not known here',
		message: 'It may have expired or been used already, or it was started on another server. Please start the sign-in again.',
	},
	expired: {
		status: 410,
		title: 'This sign-in has expired',
		message: 'It took too long to come back from itsme. Please start the sign-in again.',
	},
	used: {
		status: 410,
		title: 'This sign-in was already used',
		message: 'Each sign-in link works once. Please start the sign-in again.',
	},
};
