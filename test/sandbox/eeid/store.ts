/**
 * The simulator's data: services (clients), issued tokens and identification requests, with the state changes
 * and the JSON form the API answers with.
 */
import { randomBytes, randomUUID } from 'node:crypto';

import { HttpError, type SandboxClock, type SandboxServer } from '../framework';
import { compareClaims, notCompared } from './claims';
import { shapedResult } from './result';
import {
	EEID_LINK_PATH,
	EEID_WEBHOOK_PATH_MARKER,
	type EeIdClient,
	type EeIdIdentificationRequest,
	type EeIdSettings,
	type StoredRequest,
} from './types';
import { checkedWebhookUrl, validateCreateBody, type CreateValidation } from './validation';

export const TOKEN_LIFETIME_SECONDS = 120;
const LINK_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface IssuedToken {
	clientId: string;
	expiresAt: number;
}

export class EeIdStore {
	private clients = new Map<string, EeIdClient>();
	private tokens = new Map<string, IssuedToken>();
	private requests = new Map<string, StoredRequest>();
	private sequence = 0;

	constructor(
		private readonly clock: SandboxClock,
		private readonly settings: EeIdSettings,
		private readonly configuredClients: EeIdClient[],
	) {
		this.reset();
	}

	/** Back to the configured services (webhook URLs included), no tokens, no requests. */
	reset(): void {
		this.clients = new Map(this.configuredClients.map((client) => [client.clientId, { ...client }]));
		for (const client of this.clients.values()) {
			if (client.webhookUrl !== undefined) checkedWebhookUrl(client.webhookUrl, EEID_WEBHOOK_PATH_MARKER);
		}
		this.tokens = new Map();
		this.requests = new Map();
		this.sequence = 0;
	}

	get defaultClientId(): string {
		return this.configuredClients[0].clientId;
	}

	client(clientId: string): EeIdClient {
		const client = this.clients.get(clientId);
		if (client === undefined) throw new HttpError(404, `no eeID client ${clientId}`);
		return client;
	}

	/** The service with these credentials, or undefined. */
	authenticate(clientId: string, clientSecret: string): EeIdClient | undefined {
		const client = this.clients.get(clientId);
		return client?.clientSecret === clientSecret ? client : undefined;
	}

	clientList(): EeIdClient[] {
		return [...this.clients.values()].map((client) => ({ ...client }));
	}

	setWebhookUrl(clientId: string, url: string | null): void {
		const client = this.client(clientId);
		if (url === null) delete client.webhookUrl;
		else client.webhookUrl = checkedWebhookUrl(url, EEID_WEBHOOK_PATH_MARKER);
	}

	issueToken(clientId: string): string {
		const accessToken = randomBytes(32).toString('base64url');
		this.tokens.set(accessToken, { clientId, expiresAt: this.clock.now() + TOKEN_LIFETIME_SECONDS * 1000 });
		return accessToken;
	}

	/** The client of an unexpired token. A token is valid for [issue, issue + 120 s) on the sandbox clock. */
	tokenClient(accessToken: string): string | undefined {
		const issued = this.tokens.get(accessToken);
		return issued === undefined || this.clock.now() >= issued.expiresAt ? undefined : issued.clientId;
	}

	create(body: unknown, clientId: string, validation: CreateValidation): StoredRequest {
		this.client(clientId);
		const valid = validateCreateBody(body, validation);
		const reference = valid.reference ?? null;
		if (this.settings.uniqueReferences && reference !== null && reference !== '') {
			const taken = [...this.requests.values()].find(
				(stored) => stored.clientId === clientId && stored.reference === reference,
			);
			if (taken) {
				throw new HttpError(
					422,
					`reference "${reference}" is already used by identification request ${taken.id}; references must be unique`,
				);
			}
		}
		const now = this.clock.now();
		const stored: StoredRequest = {
			id: randomUUID(),
			clientId,
			sequence: ++this.sequence,
			createdAt: now,
			linkExpiresAt: now + LINK_LIFETIME_MS,
			claims: valid.claims_required.map(({ type, value }) => ({ type, value })),
			reference,
			reason: valid.reason ?? null,
			reasonTranslations: valid.reason_translations ?? {},
			status: 'pending',
			completedAt: null,
			result: {},
			resultGenerated: false,
			comparison: notCompared(),
		};
		this.requests.set(stored.id, stored);
		return stored;
	}

	/** Completed, whoever identified: the comparison records whether they had the required claims. */
	complete(stored: StoredRequest, result: Record<string, unknown>, generated: boolean): void {
		stored.status = 'completed';
		stored.completedAt = this.clock.now();
		stored.result = result;
		stored.resultGenerated = generated;
		stored.comparison = compareClaims(stored.claims, result);
	}

	find(id: string): StoredRequest | undefined {
		const stored = UUID.test(id) ? this.requests.get(id.toLowerCase()) : undefined;
		if (stored) this.expireIfLinkRanOut(stored);
		return stored;
	}

	existing(id: string): StoredRequest {
		const stored = this.find(id);
		if (stored === undefined) throw new HttpError(404, `no identification request ${id}`);
		return stored;
	}

	pending(id: string): StoredRequest {
		const stored = this.existing(id);
		if (stored.status !== 'pending') throw new HttpError(409, `request ${id} is ${stored.status}, not pending`);
		return stored;
	}

	/** The request if `clientId` owns it; anybody else's is as good as absent (404). */
	owned(id: string, clientId: string): StoredRequest {
		const stored = this.find(id);
		if (stored === undefined || stored.clientId !== clientId) throw new HttpError(404);
		return stored;
	}

	/** Newest created_at first, ties in reverse creation order; optionally one client's only. */
	newestFirst(clientId?: string): StoredRequest[] {
		return [...this.requests.values()]
			.filter((stored) => clientId === undefined || stored.clientId === clientId)
			.sort((a, b) => b.createdAt - a.createdAt || b.sequence - a.sequence);
	}

	/** The API's JSON form; `baseUrl` is '' before the server started (the link is then relative). */
	present(stored: StoredRequest, baseUrl: string): EeIdIdentificationRequest {
		this.expireIfLinkRanOut(stored);
		const presented: EeIdIdentificationRequest = {
			id: stored.id,
			link: `${baseUrl}${EEID_LINK_PATH}/${stored.id}`,
			link_expires_at: isoSeconds(stored.linkExpiresAt),
			claims_required: stored.claims.map((claim) => ({ ...claim })),
			completed_at: stored.completedAt === null ? null : isoSeconds(stored.completedAt),
			status: stored.status,
			created_at: isoSeconds(stored.createdAt),
			result: stored.resultGenerated ? shapedResult(stored.result, this.settings) : { ...stored.result },
			client_id: stored.clientId,
			reference: stored.reference,
			reason: stored.reason,
		};
		if (!this.settings.claimsComparison) return presented;
		const comparison = structuredClone(stored.comparison);
		return { ...presented, ...comparison };
	}

	private expireIfLinkRanOut(stored: StoredRequest): void {
		if (stored.status === 'pending' && this.clock.now() >= stored.linkExpiresAt) stored.status = 'expired';
	}
}

/** `2025-03-01T09:30:00Z`: eeID's times have no milliseconds. */
export function isoSeconds(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** What a request's link starts with: the server's base URL, or '' before it started (the link is then relative). */
export function linkBase(server: SandboxServer): string {
	return server.started ? server.baseUrl : '';
}
