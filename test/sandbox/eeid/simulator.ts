/**
 * eeID (Estonian Internet Foundation) identification-requests API, as documented in
 * /work/shared/seeds/003_6663c6efe0b8c3fa.txt plus the public facts in /work/shared/PROVIDERS.md.
 * Decisions the documents leave open are listed in ../README.md.
 *
 * This class holds the state and the methods tests call; the routes, the link pages, the controls, the webhooks,
 * validation, the claims comparison and the PDF are in the sibling modules.
 */
import { STATUS_CODES } from 'node:http';

import { SandboxServer, type RouteHandler } from '../framework';
import { registerApi } from './api';
import { registerControls } from './controls';
import { registerLinkPages } from './pages';
import { proofDocument } from './proof';
import { expectedPerson, identityResult, otherPerson } from './result';
import { EeIdStore, linkBase } from './store';
import {
	DEFAULT_SETTINGS,
	EEID_SECOND_CLIENT,
	EEID_TEST_CLIENT,
	EEID_TOKEN_PATH,
	type EeIdClient,
	type EeIdIdentificationRequest,
	type EeIdSettings,
	type EeIdSimulatorOptions,
	type StoredRequest,
} from './types';
import { checkedSettings, type EeIdPersonChoice } from './validation';
import {
	deliverOnDemand,
	watchClock,
	WebhookOutbox,
	type EeIdPendingWebhook,
	type EeIdWebhookAttempt,
	type EeIdWebhookDelivery,
	type EeIdWebhookOptions,
} from './webhooks';

export interface EeIdCompletion {
	request: EeIdIdentificationRequest;
	/**
	 * The delivery made at completion to the client's webhook URL (empty when none is configured). When it failed,
	 * the retries wait on the sandbox clock: see `pendingWebhooks()`, `advanceClock()`, `flushWebhooks()`.
	 */
	webhooks: EeIdWebhookDelivery[];
}

const ERROR_MESSAGES: Record<number, string> = {
	401: 'Unauthorized',
	404: 'Not found',
	429: 'Too many requests',
	500: 'Internal server error',
};

export class EeIdSimulator extends SandboxServer {
	/** The current settings; change them with `configure` (validated) or the shortcuts below. */
	readonly settings: EeIdSettings;
	private readonly store: EeIdStore;
	private readonly outbox: WebhookOutbox;

	constructor(options: EeIdSimulatorOptions = {}) {
		super({
			name: 'eeID',
			port: options.port,
			clock: options.clock,
			errorBody: (status, message) => ({ error: message ?? ERROR_MESSAGES[status] ?? STATUS_CODES[status] }),
		});
		const { port: _port, clock: _clock, clients, ...settings } = options;
		this.settings = { ...DEFAULT_SETTINGS, ...checkedSettings(settings) };
		const configured = (clients ?? [EEID_TEST_CLIENT, EEID_SECOND_CLIENT]).map((client) => ({ ...client }));
		this.store = new EeIdStore(this.clock, this.settings, configured);
		this.outbox = new WebhookOutbox(this.clock, () => this.settings.webhookTimeoutMs);
		registerApi(this, this.store);
		registerLinkPages(this, this.store);
		registerControls(this);
		watchClock(this.clock, () => this.sendDueInBackground());
	}

	/**
	 * Every eeID route first sends the webhook retries that are due: with a frozen clock that changes nothing (an
	 * advance already sent them), with a ticking one (`npm run sandbox`) it is what makes them go out at all.
	 */
	override route(method: string, pattern: string, handler: RouteHandler): this {
		return super.route(method, pattern, (request) => {
			this.sendDueInBackground();
			return handler(request);
		});
	}

	get pageBase(): 0 | 1 {
		return this.settings.pageBase;
	}

	set pageBase(value: 0 | 1) {
		this.configure({ pageBase: value });
	}

	get proofPaddingBytes(): number {
		return this.settings.proofPaddingBytes;
	}

	set proofPaddingBytes(value: number) {
		this.configure({ proofPaddingBytes: value });
	}

	/** Changes settings (400 HttpError naming a bad one) and returns them all. Not undone by `reset()`. */
	configure(changes: Partial<EeIdSettings>): EeIdSettings {
		Object.assign(this.settings, checkedSettings(changes as Record<string, unknown>));
		return this.settingsSnapshot();
	}

	settingsSnapshot(): EeIdSettings {
		return { ...this.settings };
	}

	/** POSTs to the token endpoint so far, successful or not. */
	tokenRequestCount(): number {
		return this.countRequests({ method: 'POST', path: EEID_TOKEN_PATH });
	}

	/** The eeID manager's webhook setting of a service; null switches webhooks off. */
	setWebhookUrl(clientId: string, url: string | null): void {
		this.store.setWebhookUrl(clientId, url);
	}

	clientList(): EeIdClient[] {
		return this.store.clientList();
	}

	/**
	 * Seeds a request as if `clientId` had created it through the API: the same validation, except that no `sub`
	 * claim is required (requests from before that rule exist).
	 */
	createRequestDirect(body: unknown, clientId = this.store.defaultClientId): EeIdIdentificationRequest {
		return this.present(this.store.create(body, clientId, { requireSub: false }));
	}

	identificationRequest(id: string): EeIdIdentificationRequest {
		return this.present(this.store.existing(id));
	}

	/** Every request of every client, newest first. */
	identificationRequests(): EeIdIdentificationRequest[] {
		return this.store.newestFirst().map((stored) => this.present(stored));
	}

	/**
	 * Completes a pending request and delivers the webhook (first attempt) before resolving. Without `result` the
	 * expected person identifies (derived from claims_required, so the claims match); a given `result` is stored and
	 * served as is, and compared like any other.
	 */
	async completeRequest(id: string, result?: Record<string, unknown>): Promise<EeIdCompletion> {
		if (result !== undefined) return this.complete(this.store.pending(id), { ...result }, false);
		return this.completeRequestAs(id, 'expected');
	}

	/**
	 * Completes a pending request as `person`: 'expected' (the claims match), 'other' (another test person: eeID
	 * still completes, with claims_matched false), or fields replacing the expected person's (e.g. only another
	 * family name, to mismatch the name claim alone).
	 */
	async completeRequestAs(id: string, person: EeIdPersonChoice): Promise<EeIdCompletion> {
		const stored = this.store.pending(id);
		const expected = expectedPerson(stored.claims);
		const who = person === 'expected' ? expected : person === 'other' ? otherPerson(expected) : { ...expected, ...person };
		return this.complete(stored, identityResult(who, this.clock.now()), true);
	}

	/** Ends a pending request the way its link running out does. */
	expireRequest(id: string): EeIdIdentificationRequest {
		this.store.pending(id).status = 'expired';
		return this.identificationRequest(id);
	}

	/** Delivers the completion webhook of request `id` now, optionally malformed or duplicated; never retried. */
	async deliverWebhook(id: string, options: EeIdWebhookOptions = {}): Promise<EeIdWebhookDelivery[]> {
		const stored = this.store.existing(id);
		return deliverOnDemand(stored, this.store.client(stored.clientId), options, this.settings.webhookTimeoutMs);
	}

	/** Retries waiting for the sandbox clock. */
	pendingWebhooks(): EeIdPendingWebhook[] {
		return this.outbox.pendingRetries();
	}

	/** Every automatic delivery attempt since the last reset (on-demand deliveries are not logged). */
	webhookAttempts(): EeIdWebhookAttempt[] {
		return this.outbox.attempts();
	}

	/** Sends the retries due on the sandbox clock now (moving the clock does this by itself). */
	sendDueWebhooks(): Promise<EeIdWebhookAttempt[]> {
		return this.outbox.sendDue();
	}

	/** Sends every pending retry at once, ignoring the clock, until acknowledged or out of retries. */
	flushWebhooks(): Promise<EeIdWebhookAttempt[]> {
		return this.outbox.flush();
	}

	/** Resolves once no automatic delivery is in flight (e.g. after `clock.advance` or the HTTP clock control). */
	settleWebhooks(): Promise<void> {
		return this.outbox.settle();
	}

	/** Advances the sandbox clock and resolves with the retries that became due and were sent. */
	async advanceClock(ms: number): Promise<EeIdWebhookAttempt[]> {
		const before = this.outbox.attempts().length;
		this.clock.advance(ms);
		await this.settleWebhooks();
		return this.outbox.attempts().slice(before);
	}

	/** The exact bytes `GET …/proof_of_identity` serves for a completed request. */
	proofPdf(id: string): Buffer {
		return proofDocument(this.store.existing(id), this.settings.proofPaddingBytes).toBuffer();
	}

	protected override resetState(): void {
		this.store.reset();
		this.outbox.reset();
	}

	private present(stored: StoredRequest): EeIdIdentificationRequest {
		return this.store.present(stored, linkBase(this));
	}

	private async complete(
		stored: StoredRequest,
		result: Record<string, unknown>,
		generated: boolean,
	): Promise<EeIdCompletion> {
		this.store.complete(stored, result, generated);
		const owner = this.store.client(stored.clientId);
		const { webhookUrl } = owner;
		const webhooks =
			webhookUrl === undefined ? [] : [await this.outbox.deliverCompletion(stored, { ...owner, webhookUrl })];
		return { request: this.present(stored), webhooks };
	}

	private sendDueInBackground(): void {
		if (this.outbox.hasDue()) void this.outbox.sendDue();
	}
}
