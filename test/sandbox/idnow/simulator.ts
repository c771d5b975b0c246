/**
 * IDnow identity.TM customer API 2.10, as documented in /work/shared/seeds/004_38bc5b358a6f0afc.txt plus the facts
 * in /work/shared/PROVIDERS.md. The API is mounted under `/api/2.10`, the person's landing pages under `/status`,
 * `/ident` and `/autoid`, the controls under `/__sandbox/idnow`. Decisions the document leaves open: ./README.md.
 *
 * This class holds the methods tests call; the state and shared operations are in engine.ts, the routes per
 * chapter in routes/, the page in pages.ts, the controls in controls.ts.
 */
import { STATUS_CODES } from 'node:http';

import { HttpError, SandboxServer, type SandboxClock } from '../framework';
import { AUTH_FAILED, type IdnowAccountView } from './accounts';
import { registerIdnowControls } from './controls';
import type { CryptTamper, IdnowCryptEntry } from './cryptDesk';
import { Engine, HEALTHY, LANDING_PATHS, type FlowTiming, type SystemHealth } from './engine';
import type { FlowOutcome, StatusStep } from './flows';
import { isRecord } from './format';
import { sha256Of } from './media';
import type { IdnowEmail, IdnowSms, SignmeUser } from './messages';
import { registerLandingPages } from './pages';
import { registerAccountRoutes } from './routes/account';
import type { ApiContext } from './routes/common';
import { registerESignRoutes } from './routes/esign';
import { registerFileRoutes } from './routes/files';
import { registerOrderRoutes } from './routes/orders';
import { registerPhoneRoutes } from './routes/phone';
import { registerResultRoutes } from './routes/results';
import { registerSystemRoutes } from './routes/system';
import { watchClock } from './scheduler';
import {
	IDNOW_API_PREFIX,
	IDNOW_SECOND_ACCOUNT,
	IDNOW_TEST_ACCOUNT,
	type IdnowAccountConfig,
	type IdnowAccountSettings,
	type StoredOrder,
} from './types';
import { optionalTime, presentOrder, type IdnowOrderView } from './views';
import type { IdnowPendingWebhook, IdnowWebhookAttempt, ManualWebhook, WebhookEvent } from './webhooks';

export interface IdnowSimulatorOptions {
	port?: number;
	clock?: SandboxClock;
	/** Default: IDNOW_TEST_ACCOUNT and IDNOW_SECOND_ACCOUNT. */
	accounts?: IdnowAccountConfig[];
	/** How long a webhook receiver may take (real ms) before the attempt counts as failed. Default 10 s. */
	webhookTimeoutMs?: number;
	/**
	 * Real ms between looks at the clock, so that with a ticking clock (`npm run sandbox`) orders move and webhooks
	 * go out without anyone calling; 0 (the default) = off, for frozen-clock tests.
	 */
	pumpIntervalMs?: number;
}

/** A status change a control asks for: any code, with its sub-status and text; FraudAttempt on or off. */
export interface IdnowStatusChange {
	kind: number;
	subKind?: number;
	text?: string;
	fraudAttempt?: boolean;
	/** Produce the identification result with this status (default for 6, 84 and 89). */
	identify?: boolean;
}

export interface IdnowVideoInfo {
	mime: string;
	length: number;
	sha256: string;
	/** Provisioning finished: the real recording is served; before, the placeholder. */
	provisioned: boolean;
	requestedAt: string | null;
	readyAt: string | null;
}

const ERROR_MESSAGES: Record<number, string> = {
	401: AUTH_FAILED,
	404: 'Not found',
	429: 'Too many requests',
	500: 'Internal server error',
	503: 'Service unavailable',
};

export class IdnowSimulator extends SandboxServer {
	private readonly engine: Engine;
	private readonly pumpIntervalMs: number;
	private pump: NodeJS.Timeout | undefined;

	constructor(options: IdnowSimulatorOptions = {}) {
		super({
			name: 'IDnow identity.TM',
			port: options.port,
			clock: options.clock,
			// putOrder's answer has an "Error" element for this; every call's error answer uses it.
			errorBody: (status, message) => ({ Error: message ?? ERROR_MESSAGES[status] ?? STATUS_CODES[status] }),
		});
		this.pumpIntervalMs = options.pumpIntervalMs ?? 0;
		this.engine = new Engine({
			clock: this.clock,
			accounts: options.accounts ?? [IDNOW_TEST_ACCOUNT, IDNOW_SECOND_ACCOUNT],
			webhookTimeoutMs: options.webhookTimeoutMs ?? 10_000,
			origin: () => (this.started ? this.baseUrl : ''),
		});
		const context: ApiContext = { server: this, engine: this.engine };
		registerOrderRoutes(context);
		registerResultRoutes(context);
		registerFileRoutes(context);
		registerESignRoutes(context);
		registerPhoneRoutes(context);
		registerSystemRoutes(context);
		registerAccountRoutes(context);
		registerLandingPages(this, this.engine);
		registerIdnowControls(this);
		watchClock(this.clock, () => this.engine.catchUp());
	}

	/** `<origin>/api/2.10`, the credential's base URL. */
	get apiBaseUrl(): string {
		return `${this.baseUrl}${IDNOW_API_PREFIX}`;
	}

	override async start(): Promise<string> {
		const url = await super.start();
		if (this.pumpIntervalMs > 0) {
			this.pump = setInterval(() => this.engine.catchUp(), this.pumpIntervalMs);
			this.pump.unref();
		}
		return url;
	}

	override async stop(): Promise<void> {
		clearInterval(this.pump);
		this.pump = undefined;
		await super.stop();
	}

	// --- accounts -------------------------------------------------------------------------------------------

	accountList(): IdnowAccountView[] {
		return this.engine.accounts.all().map((account) => this.engine.accounts.view(account.user));
	}

	account(user: string = IDNOW_TEST_ACCOUNT.user): IdnowAccountView {
		return this.engine.accounts.view(user);
	}

	/** What IDnow's support would change for an account (400 HttpError naming a bad setting). Undone by reset(). */
	configureAccount(user: string, changes: Partial<IdnowAccountSettings>): IdnowAccountView {
		return this.engine.accounts.configure(user, changes);
	}

	// --- orders ---------------------------------------------------------------------------------------------

	/** putOrder as `user` would call it (same validation); answers putOrder's 202 body. */
	createOrderDirect(body: unknown, user: string = IDNOW_TEST_ACCOUNT.user): Record<string, unknown> {
		this.engine.catchUp();
		return this.engine.createOrder(this.engine.accounts.get(user), body);
	}

	orders(): IdnowOrderView[] {
		this.engine.catchUp();
		return this.engine.store.all().map((order) => this.view(order));
	}

	order(orderId: string): IdnowOrderView {
		this.engine.catchUp();
		return this.view(this.engine.store.existing(orderId));
	}

	/** The landing page (TargetURL) of an order, whether or not putOrder returned it. */
	landingUrl(orderId: string): string {
		return this.engine.landingUrl(this.engine.store.existing(orderId));
	}

	/** Decides an open order like the landing page does: the Testrobot's sequence, over its delay or at once. */
	completeOrder(orderId: string, outcome: FlowOutcome, timing: FlowTiming = {}): IdnowOrderView {
		if (!['positive', 'negative', 'fraud', 'cancel'].includes(outcome)) {
			throw new HttpError(400, 'outcome must be positive, negative, fraud or cancel');
		}
		if (timing.delayMs !== undefined && !(Number.isFinite(timing.delayMs) && timing.delayMs >= 0)) {
			throw new HttpError(400, 'delayMs must be a non-negative number');
		}
		const order = this.engine.store.existing(orderId);
		this.engine.catchUp();
		this.engine.startFlow(order, outcome, timing);
		return this.view(order);
	}

	/** Sets any status code now, with its webhooks and effects; a running flow goes on unless the order is final. */
	setStatus(orderId: string, change: IdnowStatusChange): IdnowOrderView {
		const order = this.engine.store.existing(orderId);
		this.engine.catchUp();
		this.engine.setStatus(order, checkedStatusStep(change, order.eSign));
		if (change.fraudAttempt === false) order.fraudAttempt = false;
		if (this.engine.store.isFinal(order)) this.engine.stopFlow(order);
		return this.view(order);
	}

	/** The order's time-out, now: 99, or 100 when already identified. */
	expireOrder(orderId: string): IdnowOrderView {
		const order = this.engine.store.existing(orderId);
		this.engine.catchUp();
		this.engine.expire(order);
		return this.view(order);
	}

	/** The 7-day retention, now: result data gone, reads answer 404. */
	deleteOrderData(orderId: string): IdnowOrderView {
		const order = this.engine.store.existing(orderId);
		if (order.dataDeletedAt === null) this.engine.store.deleteData(order, this.clock.now());
		return this.view(order);
	}

	/** What getVideoFileBinary serves now (without /crypt), with its sha256: computed by streaming it. */
	async videoInfo(orderId: string): Promise<IdnowVideoInfo> {
		const order = this.engine.store.existing(orderId);
		this.engine.catchUp();
		const file = this.engine.videoFile(order);
		return {
			mime: file.mime,
			length: file.length,
			sha256: await sha256Of(file),
			provisioned: order.video.readyAt !== null,
			requestedAt: optionalTime(order.video.requestedAt),
			readyAt: optionalTime(order.video.readyAt),
		};
	}

	// --- messages -------------------------------------------------------------------------------------------

	smsMessages(): IdnowSms[] {
		return this.engine.messages.sms();
	}

	emails(): IdnowEmail[] {
		return this.engine.messages.emails();
	}

	/** The TAN of the latest SMS for this order (or, with null, the latest password-change TAN). */
	latestTan(orderId: string | null): string {
		const sms = this.smsMessages().filter((message) => message.orderId === orderId);
		const latest = sms[sms.length - 1];
		if (latest === undefined) {
			throw new HttpError(404, `no TAN was sent${orderId === null ? '' : ` for order ${orderId}`}`);
		}
		return latest.tan;
	}

	// --- webhooks -------------------------------------------------------------------------------------------

	webhookEvents(): WebhookEvent[] {
		return this.engine.outbox.events();
	}

	/** Every call made to a receiver since the last reset: automatic ones with retries, redeliveries, manual sends. */
	webhookAttempts(): IdnowWebhookAttempt[] {
		return this.engine.outbox.attempts();
	}

	/** Attempts waiting for the sandbox clock. */
	pendingWebhooks(): IdnowPendingWebhook[] {
		return this.engine.outbox.pendingDeliveries();
	}

	/** Resolves once everything due on the clock has happened, webhook deliveries included. */
	settle(): Promise<void> {
		return this.engine.settle();
	}

	/** Advances the sandbox clock and resolves with the webhook attempts that caused. */
	async advanceClock(ms: number): Promise<IdnowWebhookAttempt[]> {
		const before = this.webhookAttempts().length;
		this.clock.advance(ms);
		await this.settle();
		return this.webhookAttempts().slice(before);
	}

	/** Every pending attempt now, ignoring the clock, until acknowledged or out of retries. */
	async flushWebhooks(): Promise<IdnowWebhookAttempt[]> {
		const before = this.webhookAttempts().length;
		await this.engine.outbox.flush();
		return this.webhookAttempts().slice(before);
	}

	/** An event's call again, `times` in a row, to its URL or another: the duplicates IDnow's retries produce. */
	redeliverWebhook(eventId: string, options: { times?: number; url?: string } = {}): Promise<IdnowWebhookAttempt[]> {
		return this.engine.outbox.redeliver(eventId, options);
	}

	/** A call to any URL (default method: the test account's), for forged-call tests; never retried. */
	sendWebhook(webhook: ManualWebhook): Promise<IdnowWebhookAttempt[]> {
		return this.engine.outbox.sendManual(webhook, this.account().webhookMethod);
	}

	// --- crypt, system, sign-me -------------------------------------------------------------------------------

	/** Every /crypt answer with its plaintext (files: length only; see videoInfo). */
	cryptLog(): IdnowCryptEntry[] {
		return this.engine.crypt.entries();
	}

	/** Spoils the next `times` /crypt answers: one bit flipped in the IV, the ciphertext or the tag. */
	tamperCrypt(tamper: CryptTamper): CryptTamper[] {
		this.engine.crypt.queueTamper(tamper);
		return this.engine.crypt.pendingTampers();
	}

	pendingCryptTampers(): CryptTamper[] {
		return this.engine.crypt.pendingTampers();
	}

	systemHealth(): SystemHealth {
		return structuredClone(this.engine.health);
	}

	/** Changes what systemStatus reports; `serverAlive: false` makes serverStatus and systemStatus answer 500. */
	setSystemHealth(
		changes: Partial<Omit<SystemHealth, 'eSign'>> & { eSign?: Partial<SystemHealth['eSign']> },
	): SystemHealth {
		const next: SystemHealth = {
			...this.engine.health,
			...changes,
			eSign: { ...this.engine.health.eSign, ...changes.eSign },
		};
		checkHealth(next);
		this.engine.health = next;
		return this.systemHealth();
	}

	signmeUsers(): SignmeUser[] {
		return this.engine.signme.all();
	}

	putSignmeUser(user: SignmeUser): SignmeUser {
		return this.engine.signme.put(user);
	}

	protected override resetState(): void {
		this.engine.reset();
	}

	private view(order: StoredOrder): IdnowOrderView {
		return presentOrder(order, {
			landingUrl: this.engine.landingUrl(order, LANDING_PATHS.target),
			deepLinkUrl: this.engine.landingUrl(order, LANDING_PATHS.deepLink),
			final: this.engine.store.isFinal(order),
			videoRecorded: this.engine.hasVideoRecording(order),
		});
	}
}

function checkedStatusStep(change: IdnowStatusChange, eSign: boolean): StatusStep {
	if (!isRecord(change) || !Number.isInteger(change.kind) || change.kind < 0) {
		throw new HttpError(400, 'kind must be a status code (a non-negative integer)');
	}
	if (change.subKind !== undefined && !Number.isInteger(change.subKind)) {
		throw new HttpError(400, 'subKind must be an integer');
	}
	if (change.text !== undefined && typeof change.text !== 'string') throw new HttpError(400, 'text must be a string');
	const step: StatusStep = {
		kind: change.kind,
		identify: change.identify ?? [6, 84, 89].includes(change.kind),
		fraud: change.fraudAttempt === true,
		sign: eSign && change.kind === 84,
	};
	if (change.subKind !== undefined) step.subKind = change.subKind;
	if (change.text !== undefined) step.text = change.text;
	return step;
}

function checkHealth(health: SystemHealth): void {
	const flags = [...Object.entries(health).filter(([key]) => key !== 'eSign'), ...Object.entries(health.eSign)];
	const known = [...Object.keys(HEALTHY), ...Object.keys(HEALTHY.eSign)];
	const bad = flags.find(([key, value]) => typeof value !== 'boolean' || !known.includes(key));
	if (bad !== undefined) throw new HttpError(400, `${bad[0]} is not a known health flag with a boolean value`);
}
