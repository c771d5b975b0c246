/**
 * The hosted "Sign in with itsme" flow behind the CM itsme Trigger's two URLs.
 *
 * start (GET): creates a transaction whose redirect is the return URL carrying a fresh nonce, seals the
 * transaction token, nonce and expiry into an HttpOnly cookie, keeps a copy in this process, and sends the browser
 * to itsme. Nothing runs.
 *
 * return (GET): proves the state (nonce + sealed cookie, or this process's copy), asks CM for the status
 * server-side (nothing else in the request is believed), starts the workflow with the normalized identity, and sends
 * the browser on. A missing, forged, expired or reused state, or a browser that started another sign-in, gets a 4xx
 * page and nothing runs. CM's once-only data rule backs this up: a replayed return gets `success` without data.
 */
import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData, WebhookType } from 'n8n-workflow';

import {
	claimState,
	clearedCookie,
	deriveSealingKey,
	holdState,
	isNonce,
	newNonce,
	nonceId,
	readCookies,
	releaseState,
	seal,
	stateCookie,
	unseal,
	type StateCookieOptions,
} from '../shared/browserState';
import { InputError } from '../shared/errors';
import { buildEnvelope, type IdentityStatus, type NormalizedIdentity } from '../shared/identity';
import type { CallSettings } from '../shared/requestOptions';
import { firstText, isObject } from '../shared/util';
import { safeEqual } from '../shared/webhookSecurity';
import { ITSME_CREDENTIAL, type ItsmeLocale, type ItsmeScope, type ItsmeService } from './constants';
import { carriesPerson, normalizeItsmeStatus, personLocale } from './normalize';
import { OUTCOME_PAGES, REFUSAL_PAGES, renderPage, type PageContent, type Refusal } from './pages';
import { createTransaction, getTransactionStatus } from './transport';
import type { ItsmeStatusAnswer, ItsmeTransaction } from './types';
import {
	checkLocale,
	checkPhoneNumber,
	checkReference,
	checkScopes,
	checkService,
	checkUrl,
} from './validation';

/** Not `state`: itsme's OpenID Connect flow uses that name for itself, and CM might pass its own along. */
export const STATE_PARAM = 'itsme_state';
export const COOKIE_PREFIX = 'itsme_state_';
export const DEFAULT_TIME_TO_FINISH_SECONDS = 900;

/** The person waits on these calls: no long retries. Creating is never repeated anyway. */
const START_CALL: CallSettings = { retry: { maxAttempts: 1 }, timeoutMs: 15_000 };
const STATUS_CALL: CallSettings = { retry: { maxAttempts: 2, maxTotalTimeMs: 10_000 }, timeoutMs: 10_000 };
const WAITING_REFRESH_SECONDS = 2;

const PAGE_HEADERS: Record<string, string> = {
	'Cache-Control': 'no-store',
	// The return URL holds the nonce: it must not travel on to the next site in a Referer header.
	'Referrer-Policy': 'no-referrer',
	'X-Content-Type-Options': 'nosniff',
	'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
};

export interface TriggerOptions {
	successUrl?: string;
	failureUrl?: string;
	timeToFinishSeconds?: number;
	onlyVerified?: boolean;
	includeRaw?: boolean;
}

interface Settings {
	service: ItsmeService;
	scopes: ItsmeScope[];
	locale?: ItsmeLocale;
	successUrl?: string;
	failureUrl?: string;
	lifetimeMs: number;
	onlyVerified: boolean;
	includeRaw: boolean;
}

/** Everything both URLs need: the node's settings, the sealing key, where the state lives. */
interface Setup {
	settings: Settings;
	key: Buffer;
	/** This trigger's share of the process memory. */
	scope: string;
	returnUrl: string;
	startUrl: string;
	cookie: Omit<StateCookieOptions, 'maxAgeSeconds'>;
}

/** What the start URL's query may add. */
interface StartQuery {
	phoneNumber?: string;
	locale?: ItsmeLocale;
	reference: string | null;
}

/** What the start leaves for the return, sealed in the cookie and kept in memory. */
interface PendingSignIn {
	transactionToken: string;
	expiresAt: number;
	reference: string | null;
}

/** The cookie's payload, with the nonce it belongs to. Short keys: it travels with every return. */
interface SealedState {
	n: string;
	t: string;
	x: number;
	r: string | null;
}

// ---------------------------------------------------------------------------------------------------------------
// The two URLs
// ---------------------------------------------------------------------------------------------------------------

export async function startSignIn(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const setup = await readSetup(ctx);
	if (setup instanceof Error) return notSetUp(ctx, setup);
	let start: StartQuery;
	try {
		start = readStartQuery(ctx.getQueryData() as IDataObject);
	} catch (error) {
		// Only InputErrors come from reading the query: what the link's author must change.
		return sendPage(ctx, 400, { title: 'This sign-in link is not valid', message: explain(error) });
	}

	const nonce = newNonce();
	const transaction = await createSignInTransaction(ctx, setup, start, nonce);
	if (!transaction) {
		return sendPage(ctx, 502, {
			title: 'itsme is not available right now',
			message: 'The sign-in could not be started. Please try again in a moment.',
		});
	}
	const { transactionToken, authenticationUrl } = transaction;

	const pending: PendingSignIn = { transactionToken, expiresAt: Date.now() + setup.settings.lifetimeMs, reference: start.reference };
	holdState(setup.scope, nonce, pending, pending.expiresAt);
	const name = cookieName(nonce);
	const sealed: SealedState = { n: nonce, t: transactionToken, x: pending.expiresAt, r: pending.reference };
	const cookie = stateCookie(name, seal(setup.key, sealed, name), {
		...setup.cookie,
		maxAgeSeconds: setup.settings.lifetimeMs / 1000,
	});
	return sendRedirect(ctx, authenticationUrl, cookie);
}

export async function finishSignIn(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const setup = await readSetup(ctx);
	if (setup instanceof Error) return notSetUp(ctx, setup);
	const nonce = firstText((ctx.getQueryData() as IDataObject)[STATE_PARAM]);
	if (nonce === undefined || nonce === '') return refuse(ctx, setup, 'missing');
	if (!isNonce(nonce)) return refuse(ctx, setup, 'invalid');

	const found = findPendingSignIn(setup, nonce, readCookies(ctx.getHeaderData().cookie));
	if (typeof found === 'string') return refuse(ctx, setup, found, found === 'used' || found === 'expired' ? nonce : undefined);

	let answer: ItsmeStatusAnswer;
	try {
		answer = await getTransactionStatus(ctx, found.transactionToken, STATUS_CALL);
	} catch (error) {
		releaseState(setup.scope, nonce);
		ctx.logger.error(`CM itsme Trigger: the result of a sign-in could not be read. ${explain(error)}`);
		return sendPage(ctx, 502, {
			title: 'itsme could not be asked',
			message: 'The result of your sign-in could not be read right now. Reload this page in a moment to try again.',
		});
	}
	if (answer.status === 'open') {
		// Back before CM has the outcome: look again shortly, the state stays valid.
		releaseState(setup.scope, nonce);
		return sendPage(ctx, 200, {
			title: 'Waiting for itsme',
			message: 'Your confirmation in itsme has not arrived yet. This page checks again in a moment.',
			refreshSeconds: WAITING_REFRESH_SECONDS,
		});
	}
	// A success whose data someone already took: only a second return of the same sign-in gets here.
	if (answer.status === 'success' && !carriesPerson(answer)) return refuse(ctx, setup, 'used', nonce);

	const identity = normalizeItsmeStatus(answer, found.transactionToken, found.reference);
	answerOutcome(ctx, setup, identity.status, found.reference, clearedCookie(cookieName(nonce), setup.cookie));
	if (setup.settings.onlyVerified && !identity.verified) return { noWebhookResponse: true };
	return { noWebhookResponse: true, workflowData: [[signInItem(identity, answer, setup.settings)]] };
}

/**
 * The transaction for a start, its redirect carrying the nonce; undefined when CM refuses or answers nonsense (the
 * reason goes to n8n's log, not to the person).
 */
async function createSignInTransaction(
	ctx: IWebhookFunctions,
	setup: Setup,
	start: StartQuery,
	nonce: string,
): Promise<ItsmeTransaction | undefined> {
	const locale = start.locale ?? setup.settings.locale;
	try {
		const transaction = await createTransaction(
			ctx,
			{
				service: setup.settings.service,
				scopes: setup.settings.scopes,
				redirectUrl: withQuery(setup.returnUrl, { [STATE_PARAM]: nonce }),
				...(locale && { locale }),
				...(start.phoneNumber && { phoneNumber: start.phoneNumber }),
			},
			START_CALL,
		);
		if (typeof transaction.transactionToken !== 'string' || transaction.transactionToken === '') {
			ctx.logger.error('CM itsme Trigger: CM created a transaction but answered without its transactionToken.');
			return undefined;
		}
		// Only an http(s) address is followed: whatever CM answers becomes the browser's next location.
		return { ...transaction, authenticationUrl: checkUrl(transaction.authenticationUrl, 'authenticationUrl from CM', 'https://…') };
	} catch (error) {
		ctx.logger.error(`CM itsme Trigger: a sign-in could not be started. ${explain(error)}`);
		return undefined;
	}
}

// ---------------------------------------------------------------------------------------------------------------
// Settings and state
// ---------------------------------------------------------------------------------------------------------------

/** The node's settings and the key; a mistake in them is the workflow owner's, reported as an Error. */
async function readSetup(ctx: IWebhookFunctions): Promise<Setup | Error> {
	try {
		const options = ctx.getNodeParameter('options', {}) as TriggerOptions;
		const settings: Settings = {
			service: checkService(ctx.getNodeParameter('service', 'login')),
			scopes: checkScopes(ctx.getNodeParameter('scopes', [])),
			locale: checkLocale(ctx.getNodeParameter('locale', '')),
			successUrl: optionalUrl(options.successUrl, 'Success URL'),
			failureUrl: optionalUrl(options.failureUrl, 'Failure URL'),
			lifetimeMs: lifetimeMs(options.timeToFinishSeconds),
			onlyVerified: options.onlyVerified === true,
			includeRaw: options.includeRaw === true,
		};
		const credentials = await ctx.getCredentials(ITSME_CREDENTIAL);
		const token = typeof credentials.token === 'string' ? credentials.token : '';
		if (token === '') throw new InputError('The CM itsme credential has no merchant token', 'Enter it in the credential.');
		const scope = `${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id}`;
		const returnUrl = new URL(ownWebhookUrl(ctx, 'setup') ?? '');
		return {
			settings,
			// Bound to this trigger: a cookie sealed for another workflow's trigger does not open here.
			key: deriveSealingKey(token, `cm-itsme-trigger:${scope}`),
			scope,
			returnUrl: returnUrl.href,
			startUrl: ownWebhookUrl(ctx, 'default') ?? '',
			cookie: { path: returnUrl.pathname, secure: returnUrl.protocol === 'https:' },
		};
	} catch (error) {
		return error instanceof Error ? error : new Error(String(error));
	}
}

/**
 * The URL of one of this trigger's webhooks on the endpoint the request arrived on (`/webhook-test/…` in a test run).
 * n8n 2.x gives it (`getWebhookResourceUrl`). n8n 1.x lacks that method and its `getNodeWebhookUrl` always gives the
 * production URL; in a test run (mode "manual") the production endpoint is then swapped for the request's own.
 */
export function ownWebhookUrl(ctx: IWebhookFunctions, name: WebhookType): string | undefined {
	const resourceUrl = (ctx as Partial<Pick<IWebhookFunctions, 'getWebhookResourceUrl'>>).getWebhookResourceUrl;
	if (typeof resourceUrl === 'function') return resourceUrl.call(ctx, name);
	const production = ctx.getNodeWebhookUrl(name);
	if (production === undefined || ctx.getMode() !== 'manual') return production;
	const served = ctx.getNodeWebhookUrl(ctx.getWebhookName() as WebhookType);
	const request = ctx.getRequestObject();
	const requestPath = request.originalUrl ?? request.url;
	if (served === undefined || typeof requestPath !== 'string') return production;
	return onServedEndpoint(production, served, requestPath);
}

/**
 * `url` (a production webhook URL) with its endpoint prefix replaced by the one `requestPath` was served on. The
 * request's path ends like `servedProductionUrl`'s (`/<webhookId>/<path>`); what comes before differs (`/webhook`,
 * `/webhook-test`). Unchanged when the two share no such ending.
 */
export function onServedEndpoint(url: string, servedProductionUrl: string, requestPath: string): string {
	const target = new URL(url);
	const production = new URL(servedProductionUrl).pathname.replace(/\/+$/, '');
	const served = new URL(requestPath, target.origin).pathname.replace(/\/+$/, '');
	const segments = production.split('/');
	for (let index = 1; index < segments.length; index++) {
		const ending = `/${segments.slice(index).join('/')}`;
		if (!served.endsWith(ending)) continue;
		const productionPrefix = production.slice(0, production.length - ending.length);
		const servedPrefix = served.slice(0, served.length - ending.length);
		if (!target.pathname.startsWith(`${productionPrefix}/`)) return url;
		target.pathname = servedPrefix + target.pathname.slice(productionPrefix.length);
		return target.href;
	}
	return url;
}

function optionalUrl(value: unknown, label: string): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? checkUrl(value, label, 'https://example.com/welcome') : undefined;
}

function lifetimeMs(seconds: unknown): number {
	const value = seconds === undefined || seconds === '' ? DEFAULT_TIME_TO_FINISH_SECONDS : Number(seconds);
	if (!Number.isFinite(value) || value < 10 || value > 3600) {
		throw new InputError(
			`The option "Time to Finish (Seconds)" must be from 10 to 3600 (it is ${JSON.stringify(seconds)})`,
			'Change it in the trigger\'s options.',
		);
	}
	return value * 1000;
}

function readStartQuery(query: IDataObject): StartQuery {
	return {
		phoneNumber: checkPhoneNumber(firstText(query.phoneNumber)),
		locale: checkLocale(firstText(query.locale)),
		reference: checkReference(firstText(query.reference)),
	};
}

function cookieName(nonce: string): string {
	return `${COOKIE_PREFIX}${nonceId(nonce)}`;
}

function isSealedState(value: unknown): value is SealedState {
	return (
		isObject(value) &&
		typeof value.n === 'string' &&
		typeof value.t === 'string' &&
		typeof value.x === 'number' &&
		(value.r === null || typeof value.r === 'string')
	);
}

/**
 * The pending sign-in for this return, or why there is none. The browser's own cookie is checked first: a cookie
 * for this state must open with this trigger's key and name this nonce. A browser that carries this trigger's
 * cookies but not this state's started another sign-in: refused, since someone may have handed it a return link.
 * A browser without any (another browser, e.g. the phone's) is accepted on this process's copy of the state.
 */
function findPendingSignIn(setup: Setup, nonce: string, cookies: Map<string, string>): PendingSignIn | Refusal {
	const name = cookieName(nonce);
	const now = Date.now();
	const own = cookies.get(name);
	let fromCookie: PendingSignIn | undefined;
	if (own !== undefined) {
		const sealed = unseal(setup.key, own, name);
		if (!isSealedState(sealed) || !safeEqual(sealed.n, nonce)) return 'invalid';
		if (now >= sealed.x) return 'expired';
		fromCookie = { transactionToken: sealed.t, expiresAt: sealed.x, reference: sealed.r };
	} else if ([...cookies.keys()].some((cookie) => cookie.startsWith(COOKIE_PREFIX))) {
		return 'otherBrowser';
	}
	const claim = claimState<PendingSignIn>(
		setup.scope,
		nonce,
		now,
		fromCookie && { value: fromCookie, expiresAt: fromCookie.expiresAt },
	);
	return claim.outcome === 'claimed' ? claim.value : claim.outcome;
}

// ---------------------------------------------------------------------------------------------------------------
// What the workflow gets and what the person sees
// ---------------------------------------------------------------------------------------------------------------

/** The trigger's item: the package's event envelope around the normalized identity, with the caller's reference. */
function signInItem(normalized: NormalizedIdentity, answer: ItsmeStatusAnswer, settings: Settings): INodeExecutionData {
	const identity = { ...normalized, raw: settings.includeRaw ? answer : null, locale: personLocale(answer) };
	const envelope = buildEnvelope({
		provider: 'itsme',
		event: 'transaction.finished',
		deliveryId: `itsme:${normalized.transactionId}`,
		transactionId: normalized.transactionId,
		reference: normalized.reference,
		status: normalized.status,
		// No signature exists here: true says the return proved its state and the status came from CM itself.
		signatureVerified: true,
		identity,
	});
	return { json: envelope as unknown as IDataObject };
}

/** To the Success or Failure URL (with `status` and `reference` added to its query), or a built-in page. */
function answerOutcome(
	ctx: IWebhookFunctions,
	setup: Setup,
	status: IdentityStatus,
	reference: string | null,
	cookie: string,
): void {
	const target = status === 'verified' ? setup.settings.successUrl : setup.settings.failureUrl;
	if (target) {
		sendRedirect(ctx, withQuery(target, { status, ...(reference !== null && { reference }) }), cookie);
		return;
	}
	const again = status === 'verified' ? undefined : { href: setup.startUrl, text: 'Start again' };
	sendPage(ctx, 200, { ...OUTCOME_PAGES[status], link: again }, cookie);
}

/** A refused return: its page, and the cookie forgotten once its state is of no further use. */
function refuse(ctx: IWebhookFunctions, setup: Setup, refusal: Refusal, spentNonce?: string): IWebhookResponseData {
	const { status, title, message } = REFUSAL_PAGES[refusal];
	const cookie = spentNonce ? clearedCookie(cookieName(spentNonce), setup.cookie) : undefined;
	return sendPage(ctx, status, { title, message, link: { href: setup.startUrl, text: 'Start again' } }, cookie);
}

function notSetUp(ctx: IWebhookFunctions, problem: Error): IWebhookResponseData {
	ctx.logger.error(`CM itsme Trigger: the sign-in is not set up correctly. ${explain(problem)}`);
	return sendPage(ctx, 500, {
		title: 'Sign-in with itsme is not available',
		message: 'This sign-in is not set up correctly. Please tell the site owner.',
	});
}

function sendPage(ctx: IWebhookFunctions, status: number, page: PageContent, cookie?: string): IWebhookResponseData {
	const res = ctx.getResponseObject();
	res.status(status);
	for (const [name, value] of Object.entries(PAGE_HEADERS)) res.setHeader(name, value);
	res.setHeader('Content-Type', 'text/html; charset=utf-8');
	if (cookie) res.setHeader('Set-Cookie', cookie);
	res.end(renderPage(page));
	return { noWebhookResponse: true };
}

function sendRedirect(ctx: IWebhookFunctions, location: string, cookie?: string): IWebhookResponseData {
	const res = ctx.getResponseObject();
	res.status(302);
	for (const [name, value] of Object.entries(PAGE_HEADERS)) res.setHeader(name, value);
	res.setHeader('Location', location);
	if (cookie) res.setHeader('Set-Cookie', cookie);
	res.end();
	return { noWebhookResponse: true };
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------------------------

function withQuery(url: string, parameters: Record<string, string>): string {
	const target = new URL(url);
	for (const [name, value] of Object.entries(parameters)) target.searchParams.set(name, value);
	return target.href;
}

/** For the n8n log: the provider errors are already redacted; their description says what to change. */
function explain(error: unknown): string {
	if (error instanceof InputError) return `${error.message}. ${error.fix}`;
	if (!isObject(error)) return String(error);
	const description = typeof error.description === 'string' ? ` ${error.description}` : '';
	return `${String(error.message)}${description}`;
}
