/**
 * eeID (Estonian Internet Foundation) identification-requests API, as documented in
 * /work/shared/seeds/003_6663c6efe0b8c3fa.txt plus the public facts in /work/shared/PROVIDERS.md.
 * Decisions the documents leave open are listed in ./README.md.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';

import { donePage, identifyPage, unavailablePage } from './eeid-pages';
import {
	deliverWebhook as callReceiver,
	htmlResponse,
	HttpError,
	jsonResponse,
	SandboxServer,
	streamResponse,
	type SandboxClock,
	type SandboxRequest,
} from './framework';
import { ISO_3166_ALPHA2 } from './iso3166';
import { textPdf, type PdfDocument } from './pdf';

export interface EeidClient {
	clientId: string;
	clientSecret: string;
	/** Where completion webhooks go, as configured in the eeID manager; must contain the documented path. */
	webhookUrl?: string;
}

/** The service the registry's credential and most tests use. */
export const EEID_TEST_CLIENT: Readonly<EeidClient> = {
	clientId: 'oidc-sandbox-client-1',
	clientSecret: 'sandbox-secret-eeid-client-1-not-for-production',
};

/** A second service of the same customer, for "several services mean several secrets". */
export const EEID_SECOND_CLIENT: Readonly<EeidClient> = {
	clientId: 'oidc-sandbox-client-2',
	clientSecret: 'sandbox-secret-eeid-client-2-not-for-production',
};

export const EEID_TOKEN_PATH = '/api/auth/v1/token';
export const EEID_REQUESTS_PATH = '/api/ident/v1/identification_requests';
export const EEID_WEBHOOK_PATH_MARKER = 'eeid/webhooks/identification_requests';

const TOKEN_LIFETIME_SECONDS = 120;
const LINK_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 100;
/** The statuses eeID counts as an acknowledged delivery; anything else (202 included) is retried. */
const ACKNOWLEDGING_STATUSES = new Set([200, 201, 204]);
const WEBHOOK_RETRIES = 3;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CLAIM_TYPES = ['sub', 'name', 'birthdate', 'country'] as const;
const REASON_LANGUAGES = ['en', 'et', 'ru'];
/** The sandbox person when claims_required says nothing: the seed document's test identity. */
const TEST_PERSON: EeidPerson = {
	sub: 'EE30303039914',
	givenName: 'OK',
	familyName: 'TESTNUMBER',
	birthdate: '1903-03-03',
};

export type EeidClaimType = (typeof CLAIM_TYPES)[number];
export type EeidStatus = 'pending' | 'completed' | 'expired';

export interface EeidClaim {
	type: EeidClaimType;
	value: string;
}

export interface EeidCreateBody {
	reference?: string | null;
	claims_required: EeidClaim[];
	reason?: string | null;
	reason_translations?: Partial<Record<'en' | 'et' | 'ru', string>>;
}

/** An identification request as the API returns it. */
export interface EeidIdentificationRequest {
	id: string;
	link: string;
	link_expires_at: string;
	claims_required: EeidClaim[];
	completed_at: string | null;
	status: EeidStatus;
	created_at: string;
	result: Record<string, unknown>;
	client_id: string;
	reference: string | null;
	reason: string | null;
}

export interface EeidSimulatorOptions {
	port?: number;
	clock?: SandboxClock;
	/** Default: EEID_TEST_CLIENT and EEID_SECOND_CLIENT. */
	clients?: EeidClient[];
	/** Index of the first page (the spec says both 1 and 0). Default 1. */
	pageBase?: 0 | 1;
	/** Filler bytes added to every proof-of-identity PDF, for memory benchmarks. Default 0. */
	proofPaddingBytes?: number;
}

export interface EeidWebhookOptions {
	/** Default: the webhook URL configured for the request's client. */
	url?: string;
	/** Deliver the same event this many times, as eeID's retries do (default 1). */
	times?: number;
	/** Sign the compact JSON but send it re-serialised with other whitespace, as production eeID sometimes does. */
	reformat?: boolean;
	/** Sign with this secret instead of the client's. */
	signWith?: string;
	/** Put this client_id in the body (the signature still uses the secret of the request's own client). */
	clientId?: string;
	/** Change the body after signing. */
	tamper?: boolean;
	omitSignature?: boolean;
	/** Case of the hex signature (eeID sends lower case). */
	signatureCase?: 'lower' | 'upper';
}

export interface EeidWebhookDelivery {
	url: string;
	sentBody: string;
	signature: string | undefined;
	/** The receiver's status, null when it could not be reached. */
	status: number | null;
	responseBody: string;
	acknowledged: boolean;
	error?: string;
}

export interface EeidCompletion {
	request: EeidIdentificationRequest;
	/** The automatic deliveries (with retries) to the client's webhook URL; empty when none is configured. */
	webhooks: EeidWebhookDelivery[];
}

interface EeidPerson {
	sub: string;
	givenName: string;
	familyName: string;
	birthdate: string;
}

interface StoredRequest {
	id: string;
	clientId: string;
	/** Creation order, to keep the listing stable when several requests share a created_at. */
	sequence: number;
	createdAt: number;
	linkExpiresAt: number;
	claims: EeidClaim[];
	reference: string | null;
	reason: string | null;
	reasonTranslations: Record<string, string>;
	status: EeidStatus;
	completedAt: number | null;
	result: Record<string, unknown>;
}

interface IssuedToken {
	clientId: string;
	expiresAt: number;
}

const ERROR_MESSAGES: Record<number, string> = {
	401: 'Unauthorized',
	404: 'Not found',
	429: 'Too many requests',
	500: 'Internal server error',
};

export class EeidSimulator extends SandboxServer {
	pageBase: 0 | 1;
	proofPaddingBytes: number;
	private readonly configuredClients: EeidClient[];
	private clients = new Map<string, EeidClient>();
	private tokens = new Map<string, IssuedToken>();
	private stored = new Map<string, StoredRequest>();
	private sequence = 0;

	constructor(options: EeidSimulatorOptions = {}) {
		super({
			name: 'eeID',
			port: options.port,
			clock: options.clock,
			errorBody: (status, message) => ({ error: message ?? ERROR_MESSAGES[status] ?? STATUS_CODES[status] }),
		});
		this.pageBase = options.pageBase ?? 1;
		this.proofPaddingBytes = options.proofPaddingBytes ?? 0;
		const clients = options.clients ?? [EEID_TEST_CLIENT, EEID_SECOND_CLIENT];
		this.configuredClients = clients.map((client) => ({ ...client }));
		this.resetState();
		this.registerApi();
		this.registerLinkPages();
		this.registerControls();
	}

	/** POSTs to the token endpoint so far, successful or not. */
	tokenRequestCount(): number {
		return this.countRequests({ method: 'POST', path: EEID_TOKEN_PATH });
	}

	/** The eeID manager's webhook setting of a service; null switches webhooks off. */
	setWebhookUrl(clientId: string, url: string | null): void {
		const client = this.client(clientId);
		if (url === null) delete client.webhookUrl;
		else client.webhookUrl = checkedWebhookUrl(url);
	}

	clientList(): EeidClient[] {
		return [...this.clients.values()].map((client) => ({ ...client }));
	}

	/** Seeds a request as if `clientId` had created it through the API (same validation). */
	createRequestDirect(body: unknown, clientId = this.configuredClients[0].clientId): EeidIdentificationRequest {
		this.client(clientId);
		const valid = validateCreateBody(body);
		const now = this.clock.now();
		const stored: StoredRequest = {
			id: randomUUID(),
			clientId,
			sequence: ++this.sequence,
			createdAt: now,
			linkExpiresAt: now + LINK_LIFETIME_MS,
			claims: valid.claims_required.map(({ type, value }) => ({ type, value })),
			reference: valid.reference ?? null,
			reason: valid.reason ?? null,
			reasonTranslations: valid.reason_translations ?? {},
			status: 'pending',
			completedAt: null,
			result: {},
		};
		this.stored.set(stored.id, stored);
		return this.present(stored);
	}

	identificationRequest(id: string): EeidIdentificationRequest {
		return this.present(this.existing(id));
	}

	/** Every request of every client, newest first. */
	identificationRequests(): EeidIdentificationRequest[] {
		return this.newestFirst([...this.stored.values()]).map((stored) => this.present(stored));
	}

	/**
	 * Completes a pending request as if the person had identified, then delivers the webhook to the client's
	 * configured URL (retrying like eeID) before resolving. Without `result`, the identity follows claims_required.
	 */
	async completeRequest(id: string, result?: Record<string, unknown>): Promise<EeidCompletion> {
		const stored = this.pending(id);
		const person = personFromClaims(stored.claims);
		return this.complete(stored, (completedAt) => result ?? identityResult(person, completedAt));
	}

	/** Ends a pending request the way its link running out does. */
	expireRequest(id: string): EeidIdentificationRequest {
		this.pending(id).status = 'expired';
		return this.identificationRequest(id);
	}

	/** Delivers the completion webhook of request `id` on demand, optionally malformed; no automatic retries. */
	async deliverWebhook(id: string, options: EeidWebhookOptions = {}): Promise<EeidWebhookDelivery[]> {
		const stored = this.existing(id);
		const owner = this.client(stored.clientId);
		const url = options.url ?? owner.webhookUrl;
		if (url === undefined) throw new HttpError(409, `client ${owner.clientId} has no webhook URL; pass one`);
		const payload = webhookPayload(stored, options.clientId ?? stored.clientId);
		const signature = hmacHex(options.signWith ?? owner.clientSecret, JSON.stringify(payload));
		const sent = options.tamper ? { ...payload, reference: `${payload.reference ?? ''}-tampered` } : payload;
		const body = options.reformat ? JSON.stringify(sent, null, 2) : JSON.stringify(sent);
		const header = options.signatureCase === 'upper' ? signature.toUpperCase() : signature;
		const deliveries: EeidWebhookDelivery[] = [];
		for (let attempt = 0; attempt < (options.times ?? 1); attempt++) {
			deliveries.push(await postWebhook(url, body, options.omitSignature ? undefined : header));
		}
		return deliveries;
	}

	/** The exact bytes `GET …/proof_of_identity` serves for a completed request. */
	proofPdf(id: string): Buffer {
		return this.proofDocument(this.existing(id)).toBuffer();
	}

	protected override resetState(): void {
		this.clients = new Map(this.configuredClients.map((client) => [client.clientId, { ...client }]));
		for (const client of this.clients.values()) {
			if (client.webhookUrl !== undefined) checkedWebhookUrl(client.webhookUrl);
		}
		this.tokens = new Map();
		this.stored = new Map();
		this.sequence = 0;
	}

	private registerApi(): void {
		this.route('POST', EEID_TOKEN_PATH, (request) => this.issueToken(request));
		this.route('GET', EEID_REQUESTS_PATH, (request) => this.listRequests(request));
		this.route('POST', EEID_REQUESTS_PATH, (request) => {
			const clientId = this.bearerClient(request);
			return jsonResponse(201, this.createRequestDirect(request.json(), clientId));
		});
		this.route('GET', `${EEID_REQUESTS_PATH}/:id`, (request) =>
			jsonResponse(200, this.present(this.owned(request))),
		);
		this.route('GET', `${EEID_REQUESTS_PATH}/:id/proof_of_identity`, (request) => this.serveProof(request));
	}

	private issueToken(request: SandboxRequest) {
		const client = this.basicClient(request);
		const accessToken = randomBytes(32).toString('base64url');
		this.tokens.set(accessToken, {
			clientId: client.clientId,
			expiresAt: this.clock.now() + TOKEN_LIFETIME_SECONDS * 1000,
		});
		return jsonResponse(201, {
			access_token: accessToken,
			token_type: 'Bearer',
			expires_in: TOKEN_LIFETIME_SECONDS,
		});
	}

	private basicClient(request: SandboxRequest): EeidClient {
		const encoded = /^Basic\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
		const decoded = encoded === undefined ? '' : Buffer.from(encoded, 'base64').toString('utf8');
		const separator = decoded.indexOf(':');
		const client = separator < 0 ? undefined : this.clients.get(decoded.slice(0, separator));
		if (client === undefined || client.clientSecret !== decoded.slice(separator + 1)) throw new HttpError(401);
		return client;
	}

	/** The client whose unexpired token authorises this request. A token is valid for [issue, issue + 120 s). */
	private bearerClient(request: SandboxRequest): string {
		const token = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
		const issued = token === undefined ? undefined : this.tokens.get(token);
		if (issued === undefined || this.clock.now() >= issued.expiresAt) throw new HttpError(401);
		return issued.clientId;
	}

	private listRequests(request: SandboxRequest) {
		const clientId = this.bearerClient(request);
		const page = integerParam(request.query.page, this.pageBase, 'page', this.pageBase);
		const requestedSize = integerParam(request.query.page_size, DEFAULT_PAGE_SIZE, 'page_size', 1);
		// Capped rather than refused, so a client asking for more than a page holds must keep paging.
		const pageSize = Math.min(requestedSize, MAX_PAGE_SIZE);
		const own = this.newestFirst([...this.stored.values()].filter((stored) => stored.clientId === clientId));
		const start = (page - this.pageBase) * pageSize;
		return jsonResponse(200, {
			page,
			page_size: pageSize,
			total: own.length,
			items: own.slice(start, start + pageSize).map((stored) => this.present(stored)),
		});
	}

	private serveProof(request: SandboxRequest) {
		const stored = this.owned(request);
		const document = this.proofDocument(stored);
		return streamResponse(200, document.toStream(), 'application/pdf', {
			'content-length': String(document.length),
			'content-disposition': `attachment; filename="proof_of_identity_${stored.id}.pdf"`,
		});
	}

	/** The request named in the path if the caller's client owns it; anybody else's is as good as absent. */
	private owned(request: SandboxRequest): StoredRequest {
		const clientId = this.bearerClient(request);
		const stored = this.find(request.params.id);
		if (stored === undefined || stored.clientId !== clientId) throw new HttpError(404);
		return stored;
	}

	private registerLinkPages(): void {
		this.route('GET', '/ident/:id', (request) => {
			const stored = this.find(request.params.id);
			const language = pageLanguage(request);
			if (stored?.status !== 'pending') return unavailable(stored, language);
			return htmlResponse(
				200,
				identifyPage({
					id: stored.id,
					language,
					reason: stored.reasonTranslations[language] ?? stored.reason,
					person: personFromClaims(stored.claims),
				}),
			);
		});
		this.route('POST', '/ident/:id', async (request) => {
			const stored = this.find(request.params.id);
			const language = pageLanguage(request);
			if (stored?.status !== 'pending') return unavailable(stored, language);
			const person = personFromForm(request, stored);
			const completion = await this.complete(stored, (completedAt) => identityResult(person, completedAt));
			return htmlResponse(200, donePage(language, stored.id, describeDeliveries(completion.webhooks)));
		});
	}

	private registerControls(): void {
		this.control('GET', '/eeid/clients', () => jsonResponse(200, { clients: this.clientList() }));
		this.control('PUT', '/eeid/clients/:clientId/webhook', (request) => {
			const url = controlBody(request).url;
			if (url !== null && typeof url !== 'string') throw new HttpError(400, 'body needs "url": a string or null');
			this.setWebhookUrl(request.params.clientId, url);
			return jsonResponse(200, this.client(request.params.clientId));
		});
		this.control('GET', '/eeid/requests', () => jsonResponse(200, { items: this.identificationRequests() }));
		this.control('POST', '/eeid/requests', (request) => {
			const { clientId, ...body } = controlBody(request);
			if (clientId !== undefined && typeof clientId !== 'string') {
				throw new HttpError(400, '"clientId" must be a string');
			}
			return jsonResponse(201, this.createRequestDirect(body, clientId));
		});
		this.control('POST', '/eeid/requests/:id/complete', async (request) => {
			const { result } = controlBody(request);
			if (result !== undefined && !isRecord(result)) throw new HttpError(400, '"result" must be an object');
			return jsonResponse(200, await this.completeRequest(request.params.id, result));
		});
		this.control('POST', '/eeid/requests/:id/expire', (request) =>
			jsonResponse(200, this.expireRequest(request.params.id)),
		);
		this.control('POST', '/eeid/requests/:id/webhook', async (request) => {
			const options = controlBody(request) as EeidWebhookOptions;
			return jsonResponse(200, { webhooks: await this.deliverWebhook(request.params.id, options) });
		});
		this.control('PUT', '/eeid/settings', (request) => {
			const { pageBase, proofPaddingBytes } = controlBody(request);
			if (pageBase !== undefined) this.pageBase = checkedPageBase(pageBase);
			if (proofPaddingBytes !== undefined) this.proofPaddingBytes = checkedPadding(proofPaddingBytes);
			return jsonResponse(200, { pageBase: this.pageBase, proofPaddingBytes: this.proofPaddingBytes });
		});
	}

	private async complete(
		stored: StoredRequest,
		resultAt: (completedAt: number) => Record<string, unknown>,
	): Promise<EeidCompletion> {
		const completedAt = this.clock.now();
		stored.status = 'completed';
		stored.completedAt = completedAt;
		stored.result = resultAt(completedAt);
		return { request: this.present(stored), webhooks: await this.notifyCompletion(stored) };
	}

	private async notifyCompletion(stored: StoredRequest): Promise<EeidWebhookDelivery[]> {
		const owner = this.client(stored.clientId);
		if (owner.webhookUrl === undefined) return [];
		const body = JSON.stringify(webhookPayload(stored, stored.clientId));
		const signature = hmacHex(owner.clientSecret, body);
		const deliveries: EeidWebhookDelivery[] = [];
		// Retries follow at once: the sandbox never waits on real timers, and the receiver cannot tell the difference.
		do {
			deliveries.push(await postWebhook(owner.webhookUrl, body, signature));
		} while (!deliveries[deliveries.length - 1].acknowledged && deliveries.length <= WEBHOOK_RETRIES);
		return deliveries;
	}

	/** Only a completed request has one; otherwise 404, as for an unknown request (an assumption, see README). */
	private proofDocument(stored: StoredRequest): PdfDocument {
		if (stored.status !== 'completed') {
			throw new HttpError(404, `Proof of identity is not available: request is ${stored.status}`);
		}
		const result = stored.result;
		const name = [result.given_name, result.family_name ?? result.last_name].filter(Boolean).join(' ');
		return textPdf(
			[
				'eeID sandbox - proof of identity',
				'Issued by the local eeID simulator. Not a real identity document.',
				`Identification request: ${stored.id}`,
				`Name: ${name || String(result.name ?? '')}`,
				`Personal code: ${String(result.sub ?? '')}`,
				`Date of birth: ${String(result.birthdate ?? result.date_of_birth ?? '')}`,
				`Completed at: ${isoSeconds(stored.completedAt ?? stored.createdAt)}`,
				`Reference: ${stored.reference ?? ''}`,
			],
			this.proofPaddingBytes,
		);
	}

	private present(stored: StoredRequest): EeidIdentificationRequest {
		this.expireIfLinkRanOut(stored);
		return {
			id: stored.id,
			link: `${this.started ? this.baseUrl : ''}/ident/${stored.id}`,
			link_expires_at: isoSeconds(stored.linkExpiresAt),
			claims_required: stored.claims.map((claim) => ({ ...claim })),
			completed_at: stored.completedAt === null ? null : isoSeconds(stored.completedAt),
			status: stored.status,
			created_at: isoSeconds(stored.createdAt),
			result: { ...stored.result },
			client_id: stored.clientId,
			reference: stored.reference,
			reason: stored.reason,
		};
	}

	private expireIfLinkRanOut(stored: StoredRequest): void {
		if (stored.status === 'pending' && this.clock.now() >= stored.linkExpiresAt) stored.status = 'expired';
	}

	private find(id: string): StoredRequest | undefined {
		const stored = UUID.test(id) ? this.stored.get(id.toLowerCase()) : undefined;
		if (stored) this.expireIfLinkRanOut(stored);
		return stored;
	}

	private existing(id: string): StoredRequest {
		const stored = this.find(id);
		if (stored === undefined) throw new HttpError(404, `no identification request ${id}`);
		return stored;
	}

	private pending(id: string): StoredRequest {
		const stored = this.existing(id);
		if (stored.status !== 'pending') throw new HttpError(409, `request ${id} is ${stored.status}, not pending`);
		return stored;
	}

	private client(clientId: string): EeidClient {
		const client = this.clients.get(clientId);
		if (client === undefined) throw new HttpError(404, `no eeID client ${clientId}`);
		return client;
	}

	private newestFirst(requests: StoredRequest[]): StoredRequest[] {
		return requests.sort((a, b) => b.createdAt - a.createdAt || b.sequence - a.sequence);
	}
}

/** The API's validation, answering 422 {error} like eeID does for bad claims. */
function validateCreateBody(body: unknown): EeidCreateBody {
	if (!isRecord(body)) throw new HttpError(422, 'Request body must be a JSON object');
	const claims = body.claims_required;
	if (!Array.isArray(claims) || claims.length === 0) {
		throw new HttpError(422, 'claims_required must be a non-empty array of {type, value}');
	}
	claims.forEach(validateClaim);
	optionalString(body, 'reference');
	optionalString(body, 'reason');
	validateReasonTranslations(body.reason_translations);
	return body as unknown as EeidCreateBody;
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

function isCalendarDate(value: string): boolean {
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

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A query integer; absent means the default, anything else not an integer >= minimum is a 422. */
function integerParam(raw: string | undefined, fallback: number, name: string, minimum: number): number {
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < minimum) {
		throw new HttpError(422, `${name} must be an integer >= ${minimum}`);
	}
	return value;
}

/** Who the sandbox person is, as far as the claims pin it down; the rest comes from the test identity. */
function personFromClaims(claims: EeidClaim[]): EeidPerson {
	const claim = (type: EeidClaimType) => claims.find((candidate) => candidate.type === type)?.value;
	const country = claim('country') ?? 'EE';
	const sub = claim('sub') ?? `${country}${TEST_PERSON.sub.slice(2)}`;
	const [givenName, familyName] = splitName(claim('name'));
	return {
		sub,
		givenName,
		familyName,
		birthdate: claim('birthdate') ?? estonianBirthdate(sub) ?? TEST_PERSON.birthdate,
	};
}

function personFromForm(request: SandboxRequest, stored: StoredRequest): EeidPerson {
	const form = request.form();
	const fallback = personFromClaims(stored.claims);
	const field = (name: string, otherwise: string) => form[name]?.trim() || otherwise;
	return {
		sub: field('sub', fallback.sub),
		givenName: field('given_name', fallback.givenName),
		familyName: field('family_name', fallback.familyName),
		birthdate: field('birthdate', fallback.birthdate),
	};
}

function splitName(name: string | undefined): [string, string] {
	const words = name?.trim().split(/\s+/) ?? [];
	if (words.length < 2) return [TEST_PERSON.givenName, words[0] ?? TEST_PERSON.familyName];
	return [words.slice(0, -1).join(' '), words[words.length - 1]];
}

/** An Estonian personal code (EE + 11 digits) carries the birth date: century digit, then YYMMDD. */
function estonianBirthdate(sub: string): string | undefined {
	const match = /^EE([1-8])(\d{2})(\d{2})(\d{2})\d{4}$/.exec(sub);
	if (!match) return undefined;
	const century = 1800 + Math.floor((Number(match[1]) - 1) / 2) * 100;
	const birthdate = `${century + Number(match[2])}-${match[3]}-${match[4]}`;
	return isCalendarDate(birthdate) ? birthdate : undefined;
}

/** The `result` map of a completed request, with the keys production eeID is seen to return. */
function identityResult(person: EeidPerson, completedAt: number): Record<string, unknown> {
	return {
		sub: person.sub,
		given_name: person.givenName,
		family_name: person.familyName,
		name: `${person.givenName} ${person.familyName}`,
		birthdate: person.birthdate,
		country: person.sub.slice(0, 2),
		acr: 'high',
		auth_time: Math.floor(completedAt / 1000),
	};
}

function webhookPayload(stored: StoredRequest, clientId: string) {
	return { identification_request_id: stored.id, client_id: clientId, reference: stored.reference };
}

function hmacHex(secret: string, body: string): string {
	return createHmac('sha256', secret).update(body).digest('hex');
}

async function postWebhook(url: string, body: string, signature: string | undefined): Promise<EeidWebhookDelivery> {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (signature !== undefined) headers['x-hmac-signature'] = signature;
	const delivery = { url, sentBody: body, signature };
	try {
		const answer = await callReceiver(url, { method: 'POST', headers, body });
		const acknowledged = ACKNOWLEDGING_STATUSES.has(answer.status);
		return { ...delivery, status: answer.status, responseBody: answer.body, acknowledged };
	} catch (error) {
		return { ...delivery, status: null, responseBody: '', acknowledged: false, error: (error as Error).message };
	}
}

function checkedWebhookUrl(url: string): string {
	if (!URL.canParse(url)) throw new HttpError(422, `webhook URL ${url} is not a URL`);
	if (!url.includes(EEID_WEBHOOK_PATH_MARKER)) {
		throw new HttpError(
			422,
			`the eeID manager only accepts webhook URLs containing the path ${EEID_WEBHOOK_PATH_MARKER}`,
		);
	}
	return url;
}

function checkedPageBase(value: unknown): 0 | 1 {
	if (value !== 0 && value !== 1) throw new HttpError(400, 'pageBase must be 0 or 1');
	return value;
}

function checkedPadding(value: unknown): number {
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
		throw new HttpError(400, 'proofPaddingBytes must be an integer >= 0');
	}
	return value;
}

function controlBody(request: SandboxRequest): Record<string, unknown> {
	if (request.body.length === 0) return {};
	const body = request.json();
	if (!isRecord(body)) throw new HttpError(400, 'control body must be a JSON object');
	return body;
}

/** `ui_locales` is a space-separated preference list (OpenID Connect); the first entry wins. */
function pageLanguage(request: SandboxRequest): string {
	return request.query.ui_locales?.trim().split(/\s+/)[0] || 'en';
}

function unavailable(stored: StoredRequest | undefined, language: string) {
	if (stored === undefined) return htmlResponse(404, unavailablePage(language, 'No such identification request.'));
	if (stored.status === 'completed') {
		return htmlResponse(409, unavailablePage(language, 'This identification is already completed.'));
	}
	return htmlResponse(410, unavailablePage(language, 'This link has expired.'));
}

function describeDeliveries(deliveries: EeidWebhookDelivery[]): string {
	if (deliveries.length === 0) return 'none configured';
	const last = deliveries[deliveries.length - 1];
	const outcome = last.status === null ? `failed (${last.error})` : `answered ${last.status}`;
	return `${last.url} ${outcome} after ${deliveries.length} attempt(s)`;
}

function isoSeconds(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
