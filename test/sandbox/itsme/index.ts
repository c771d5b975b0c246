/**
 * CM.com itsme API (Belgian mobile identity), as documented in /work/shared/seeds/000_e855d8466e8322e2.txt plus
 * the facts in /work/shared/PROVIDERS.md: `POST /transactions` with the merchant token in the JSON body,
 * `GET /status/{transactionToken}` handing the user info out once, and the itsme page the person is sent to.
 * Decisions the document leaves open are listed in ./README.md.
 */
import { STATUS_CODES } from 'node:http';

import {
	bytesResponse,
	htmlResponse,
	HttpError,
	jsonResponse,
	SandboxServer,
	type LoggedRequest,
	type RequestFilter,
	type SandboxClock,
	type SandboxRequest,
	type SandboxResponse,
} from '../framework';
import type { SandboxCredential, SimulatorEntry } from '../registry';
import { registerItsmeControls } from './controls';
import {
	DEFAULT_IDENTITY_ID,
	findIdentity,
	identityByPhone,
	isRecord,
	ITSME_IDENTITIES,
	merchantTokenOf,
	userInfo,
	validateTransactionRequest,
	type ItsmeIdentity,
	type ItsmeOutcome,
	type ItsmeScope,
	type ItsmeStatus,
} from './model';
import { authorizationPage, escapeHtml, messagePage } from './pages';
import { merchantFingerprint, TransactionStore, type StoredTransaction } from './store';

export * from './model';
export { merchantFingerprint } from './store';

/** The merchant token of the registry's credential and of most tests. */
export const ITSME_TEST_TOKEN = '5a0d6c1e-7b3f-4c2a-9e8d-1f2a3b4c5d6e';
/** A second merchant, for "another account, another token". */
export const ITSME_SECOND_TOKEN = '8e7d6c5b-4a39-4281-b7f6-e5d4c3b2a190';

export const ITSME_API_PREFIX = '/itsme/v1';
/** Where the itsme page lives; production uses itsme's own host with an OpenID Connect authorization path. */
export const ITSME_PAGE_PREFIX = '/oidc/authorization';
export const DEFAULT_TRANSACTION_LIFETIME_MS = 10 * 60 * 1000;

const REDACTED = '[redacted]';
const ERROR_MESSAGES: Record<number, string> = {
	400: 'Invalid parameters',
	404: 'Not found',
	500: 'Internal server error',
};

export interface ItsmeSettings {
	/** The status of `POST /transactions` with an unknown token: 400 as documented, 401 to test the other guess. */
	unknownTokenStatus: 400 | 401;
	/** How long a transaction stays open; applies to transactions created afterwards. */
	transactionLifetimeMs: number;
}

export interface ItsmeSimulatorOptions extends Partial<ItsmeSettings> {
	port?: number;
	clock?: SandboxClock;
	/** Default: ITSME_TEST_TOKEN and ITSME_SECOND_TOKEN. */
	merchantTokens?: string[];
	/** The identity that approves when nobody picks one (page default, approve control). Default `lucas`. */
	identity?: string;
}

/** A transaction as the controls show it: never the merchant token, never the user info itself. */
export interface ItsmeTransactionView {
	transactionToken: string;
	authenticationUrl: string;
	merchant: string;
	service: string;
	scopes: ItsmeScope[];
	locale: string | null;
	redirectUrl: string;
	phoneNumber: string | null;
	status: ItsmeStatus;
	/** The identity id that approved, on success. */
	identity: string | null;
	userInfoDelivered: boolean;
	createdAt: string;
	expiresAt: string;
	finishedAt: string | null;
}

export class ItsmeSimulator extends SandboxServer {
	private readonly merchants: ReadonlySet<string>;
	private readonly initialSettings: ItsmeSettings;
	private readonly initialIdentity: string;
	private readonly store: TransactionStore;
	private currentSettings: ItsmeSettings;
	private identityId: string;

	constructor(options: ItsmeSimulatorOptions = {}) {
		super({ name: 'CM.com itsme', port: options.port, clock: options.clock, errorBody: itsmeErrorBody });
		this.merchants = new Set(checkedMerchantTokens(options.merchantTokens ?? [ITSME_TEST_TOKEN, ITSME_SECOND_TOKEN]));
		this.initialSettings = checkedSettings({
			unknownTokenStatus: options.unknownTokenStatus ?? 400,
			transactionLifetimeMs: options.transactionLifetimeMs ?? DEFAULT_TRANSACTION_LIFETIME_MS,
		});
		this.initialIdentity = existingIdentity(options.identity ?? DEFAULT_IDENTITY_ID).id;
		this.currentSettings = { ...this.initialSettings };
		this.identityId = this.initialIdentity;
		this.store = new TransactionStore(this.clock);
		this.registerApi();
		this.registerPage();
		registerItsmeControls(this);
	}

	/** The id of the identity that approves when none is picked. */
	get identity(): string {
		return this.identityId;
	}

	setIdentity(id: string): void {
		this.identityId = existingIdentity(id).id;
	}

	identities(): ItsmeIdentity[] {
		return ITSME_IDENTITIES.map((identity) => ({ ...identity, address: { ...identity.address } }));
	}

	settings(): ItsmeSettings {
		return { ...this.currentSettings };
	}

	/** Changes the settings given; the others stay. */
	configure(changes: Partial<ItsmeSettings>): ItsmeSettings {
		this.currentSettings = checkedSettings({
			unknownTokenStatus: changes.unknownTokenStatus ?? this.currentSettings.unknownTokenStatus,
			transactionLifetimeMs: changes.transactionLifetimeMs ?? this.currentSettings.transactionLifetimeMs,
		});
		return this.settings();
	}

	/** Oldest first. */
	transactions(): ItsmeTransactionView[] {
		return this.store.all().map((stored) => this.view(stored));
	}

	/** By transactionToken or by the session id at the end of the authenticationUrl. */
	transaction(reference: string): ItsmeTransactionView {
		return this.view(this.store.byReference(reference));
	}

	/** What the person confirming in the app does; `identity` defaults to the current one. */
	approve(reference: string, identity: string = this.identityId): ItsmeTransactionView {
		return this.end(reference, 'success', existingIdentity(identity));
	}

	cancel(reference: string): ItsmeTransactionView {
		return this.end(reference, 'cancelled');
	}

	fail(reference: string): ItsmeTransactionView {
		return this.end(reference, 'failure');
	}

	/** Ends an open transaction now, as its lifetime running out would. */
	expire(reference: string): ItsmeTransactionView {
		return this.end(reference, 'expired');
	}

	/**
	 * The log without merchant tokens: the `token` of a JSON body is replaced, and any configured token anywhere
	 * else too, because the log is served over HTTP and the token must never come back out of the simulator.
	 */
	override requests(filter: RequestFilter = {}): LoggedRequest[] {
		return super.requests(filter).map((entry) => this.withoutSecrets(entry));
	}

	protected override resetState(): void {
		this.store.clear();
		this.currentSettings = { ...this.initialSettings };
		this.identityId = this.initialIdentity;
	}

	private registerApi(): void {
		this.route('POST', `${ITSME_API_PREFIX}/transactions`, (request) => this.createTransaction(request));
		this.route('GET', `${ITSME_API_PREFIX}/status/:transactionToken`, (request) => {
			const stored = this.store.byToken(request.params.transactionToken);
			if (stored === undefined) throw new HttpError(404, 'Transaction not found');
			return jsonResponse(200, this.statusBody(stored));
		});
	}

	/** The token is checked before any other field: an unknown merchant learns nothing about its request. */
	private createTransaction(request: SandboxRequest): SandboxResponse {
		if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
			throw new HttpError(400, 'Content-Type must be application/json');
		}
		const body = request.json();
		const token = merchantTokenOf(body);
		if (!this.merchants.has(token)) throw new HttpError(this.currentSettings.unknownTokenStatus, 'Invalid token');
		const fields = validateTransactionRequest(body as Record<string, unknown>);
		const stored = this.store.create(fields, merchantFingerprint(token), this.currentSettings.transactionLifetimeMs);
		return jsonResponse(200, {
			transactionToken: stored.transactionToken,
			authenticationUrl: this.authenticationUrl(stored),
		});
	}

	/** The user info goes out with the first read after success only; later reads carry the status alone. */
	private statusBody(stored: StoredTransaction): Record<string, unknown> {
		if (stored.status !== 'success' || stored.person === null || stored.userInfoDelivered) {
			return { status: stored.status };
		}
		stored.userInfoDelivered = true;
		return { status: stored.status, ...userInfo(stored.person, stored.scopes) };
	}

	private registerPage(): void {
		this.route('GET', `${ITSME_PAGE_PREFIX}/:sessionId`, (request) => {
			const stored = this.store.bySession(request.params.sessionId);
			if (stored?.status !== 'open') return closedPage(stored);
			return htmlResponse(
				200,
				authorizationPage({
					language: stored.locale ?? 'en',
					service: stored.service,
					scopes: stored.scopes,
					phoneNumber: stored.phoneNumber,
					identities: ITSME_IDENTITIES,
					selected: identityByPhone(stored.phoneNumber)?.id ?? this.identityId,
				}),
			);
		});
		this.route('POST', `${ITSME_PAGE_PREFIX}/:sessionId`, (request) => {
			const stored = this.store.bySession(request.params.sessionId);
			if (stored?.status !== 'open') return closedPage(stored);
			return this.answerPage(stored, request.form());
		});
	}

	/** What the person clicked; afterwards itsme sends them back to the merchant's redirectUrl, unchanged. */
	private answerPage(stored: StoredTransaction, form: Record<string, string>): SandboxResponse {
		const language = stored.locale ?? 'en';
		const outcome = PAGE_ACTIONS[form.action];
		if (outcome === undefined) return htmlResponse(400, messagePage(language, 'Choose approve, cancel, fail or expire.'));
		const person = outcome === 'success' ? findIdentity(form.identity ?? this.identityId) : null;
		if (person === undefined) return htmlResponse(400, messagePage(language, 'Choose one of the test identities.'));
		this.store.finish(stored, outcome, person);
		return redirectTo(stored.redirectUrl);
	}

	private end(reference: string, outcome: ItsmeOutcome, person: ItsmeIdentity | null = null): ItsmeTransactionView {
		const stored = this.store.byReference(reference);
		this.store.finish(stored, outcome, person);
		return this.view(stored);
	}

	private authenticationUrl(stored: StoredTransaction): string {
		return `${this.started ? this.baseUrl : ''}${ITSME_PAGE_PREFIX}/${stored.sessionId}`;
	}

	private view(stored: StoredTransaction): ItsmeTransactionView {
		return {
			transactionToken: stored.transactionToken,
			authenticationUrl: this.authenticationUrl(stored),
			merchant: stored.merchant,
			service: stored.service,
			scopes: [...stored.scopes],
			locale: stored.locale,
			redirectUrl: stored.redirectUrl,
			phoneNumber: stored.phoneNumber,
			status: stored.status,
			identity: stored.person?.id ?? null,
			userInfoDelivered: stored.userInfoDelivered,
			createdAt: new Date(stored.createdAt).toISOString(),
			expiresAt: new Date(stored.expiresAt).toISOString(),
			finishedAt: stored.finishedAt === null ? null : new Date(stored.finishedAt).toISOString(),
		};
	}

	private withoutSecrets(entry: LoggedRequest): LoggedRequest {
		const hide = (text: string) =>
			[...this.merchants].reduce((result, token) => result.split(token).join(REDACTED), text);
		const headers = Object.fromEntries(
			Object.entries(entry.headers).map(([name, value]) => [
				name,
				Array.isArray(value) ? value.map(hide) : value === undefined ? value : hide(value),
			]),
		);
		const query = Object.fromEntries(Object.entries(entry.query).map(([name, value]) => [name, hide(value)]));
		return { ...entry, headers, query, body: Buffer.from(hide(withoutTokenField(entry.body).toString('utf8'))) };
	}
}

const PAGE_ACTIONS: Record<string, ItsmeOutcome> = {
	approve: 'success',
	cancel: 'cancelled',
	fail: 'failure',
	expire: 'expired',
};

/** Every error answer, injected faults included: `{ message }` (the document only speaks of "the error message"). */
function itsmeErrorBody(status: number, message: string | undefined): { message: string } {
	return { message: message ?? ERROR_MESSAGES[status] ?? STATUS_CODES[status] ?? 'Error' };
}

function closedPage(stored: StoredTransaction | undefined): SandboxResponse {
	if (stored === undefined) return htmlResponse(404, messagePage('en', 'No such itsme transaction.'));
	const language = stored.locale ?? 'en';
	const message = CLOSED_MESSAGES[stored.status as ItsmeOutcome];
	return htmlResponse(stored.status === 'expired' ? 410 : 409, messagePage(language, message, stored.redirectUrl));
}

const CLOSED_MESSAGES: Record<ItsmeOutcome, string> = {
	success: 'This itsme request is already confirmed.',
	cancelled: 'This itsme request was cancelled.',
	failure: 'This itsme request failed.',
	expired: 'This itsme request has expired.',
};

function redirectTo(url: string): SandboxResponse {
	const markup = `<a href="${escapeHtml(url)}">Back to the merchant</a>`;
	return bytesResponse(302, Buffer.from(markup), 'text/html; charset=utf-8', { location: url });
}

/** A logged create request keeps its shape, with whatever token it carried (known or not) replaced. */
function withoutTokenField(body: Buffer): Buffer {
	let parsed: unknown;
	try {
		parsed = JSON.parse(body.toString('utf8'));
	} catch {
		return body;
	}
	if (!isRecord(parsed) || !('token' in parsed)) return body;
	return Buffer.from(JSON.stringify({ ...parsed, token: REDACTED }));
}

function existingIdentity(id: string): ItsmeIdentity {
	const identity = findIdentity(id);
	if (identity === undefined) {
		const known = ITSME_IDENTITIES.map((candidate) => candidate.id).join(', ');
		throw new HttpError(400, `unknown identity ${JSON.stringify(id)}; known: ${known}`);
	}
	return identity;
}

function checkedMerchantTokens(tokens: string[]): string[] {
	if (tokens.length === 0 || tokens.some((token) => typeof token !== 'string' || token === '')) {
		throw new Error('merchantTokens must be a non-empty list of non-empty strings');
	}
	return tokens;
}

/** Settings also arrive as JSON over the control surface, so they are checked rather than trusted. */
function checkedSettings(settings: ItsmeSettings): ItsmeSettings {
	if (settings.unknownTokenStatus !== 400 && settings.unknownTokenStatus !== 401) {
		throw new HttpError(400, 'unknownTokenStatus must be 400 or 401');
	}
	const lifetime = settings.transactionLifetimeMs;
	if (!Number.isInteger(lifetime) || lifetime <= 0) {
		throw new HttpError(400, 'transactionLifetimeMs must be a positive integer');
	}
	return { unknownTokenStatus: settings.unknownTokenStatus, transactionLifetimeMs: lifetime };
}

function itsmeCredential(baseUrl: string): SandboxCredential {
	return {
		type: 'cmItsmeApi',
		name: 'CM itsme sandbox',
		data: { token: ITSME_TEST_TOKEN, environment: 'custom', baseUrl: `${baseUrl}${ITSME_API_PREFIX}` },
	};
}

/** Built literally rather than with registry's defineSimulator: the registry imports this module. */
export const itsmeEntry: SimulatorEntry<ItsmeSimulator> = {
	provider: 'itsme',
	title: 'CM.com itsme',
	async start(options = {}) {
		const simulator = new ItsmeSimulator(options);
		const baseUrl = await simulator.start();
		return {
			provider: 'itsme',
			title: 'CM.com itsme',
			baseUrl,
			simulator,
			credential: itsmeCredential(baseUrl),
			stop: () => simulator.stop(),
		};
	},
};
