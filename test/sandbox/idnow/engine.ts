/**
 * The simulator's state and the operations every entry point shares (API routes, landing page, controls):
 * creating orders, setting statuses with their webhooks and consequences, running outcome flows on the sandbox
 * clock, time-outs, retention, video provisioning and TAN messages.
 */
import { randomUUID } from 'node:crypto';

import { HttpError, type SandboxClock } from '../framework';
import { AccountBook, type StoredAccount } from './accounts';
import { CryptDesk } from './cryptDesk';
import { flowSteps, TAN_TEXT, type FlowOutcome, type StatusStep } from './flows';
import { berlinTime, isRecord, newVideoHashes, randomDigits } from './format';
import { acceptsSignedData, openIdentData } from './identData';
import { generatedVideo, type GeneratedFile } from './media';
import { MessageLog, SignmeRegistry, tanText, type EmailKind, type SmsPurpose } from './messages';
import { Agenda } from './scheduler';
import { statusCode } from './statusCodes';
import { OrderStore, type SignedDataCheck } from './store';
import {
	ADD,
	PRODUCT,
	type IdnowAccountConfig,
	type IdnowAccountSettings,
	type StoredOrder,
	type WebhookKind,
} from './types';
import { parsePutOrder, type OrderInput } from './validation';
import { substitutePlaceholders, WebhookOutbox } from './webhooks';

/** Paths of the person's pages on the sandbox origin, as TargetURL, DeepLinkURL and AutoIdURL point to them. */
export const LANDING_PATHS = { target: '/status', deepLink: '/ident', autoId: '/autoid' } as const;
export const PLACEHOLDER_VIDEO_BYTES = 64 * 1024;

export interface SystemHealth {
	serverAlive: boolean;
	apiAvailable: boolean;
	videoAvailable: boolean;
	mailingAvailable: boolean;
	smsTanAvailable: boolean;
	autoIdentAvailable: boolean;
	eSign: { serverAlive: boolean; qesAvailable: boolean; fesServerAlive: boolean; fesAvailable: boolean };
}

export const HEALTHY: SystemHealth = {
	serverAlive: true,
	apiAvailable: true,
	videoAvailable: true,
	mailingAvailable: true,
	smsTanAvailable: true,
	autoIdentAvailable: true,
	eSign: { serverAlive: true, qesAvailable: true, fesServerAlive: true, fesAvailable: true },
};

export interface FlowTiming {
	/** Apply every step now instead of spreading them over the delay. */
	immediate?: boolean;
	/** Default: the account's testrobotDelayMs. */
	delayMs?: number;
}

export interface TanRequest {
	order: StoredOrder | null;
	account: string;
	to: string;
	purpose: SmsPurpose;
	/** The order's own SMS text with a [TAN] placeholder, if it gave one. */
	template?: unknown;
	fallback: string;
	length: number;
}

export interface EngineOptions {
	clock: SandboxClock;
	accounts: readonly IdnowAccountConfig[];
	webhookTimeoutMs: number;
	/** The sandbox origin, for the URLs putOrder returns. */
	origin: () => string;
}

export class Engine {
	readonly clock: SandboxClock;
	readonly accounts: AccountBook;
	readonly store = new OrderStore();
	readonly agenda: Agenda;
	readonly outbox: WebhookOutbox;
	readonly crypt = new CryptDesk();
	readonly messages = new MessageLog();
	readonly signme = new SignmeRegistry();
	health: SystemHealth = structuredClone(HEALTHY);
	private readonly origin: () => string;

	constructor(options: EngineOptions) {
		this.clock = options.clock;
		this.origin = options.origin;
		this.accounts = new AccountBook(options.accounts);
		this.agenda = new Agenda(options.clock);
		this.outbox = new WebhookOutbox(options.clock, () => options.webhookTimeoutMs);
	}

	now(): number {
		return this.clock.now();
	}

	reset(): void {
		this.accounts.reset();
		this.store.clear();
		this.agenda.clear();
		this.outbox.reset();
		this.crypt.reset();
		this.messages.reset();
		this.signme.reset();
		this.health = structuredClone(HEALTHY);
	}

	/** Runs what the clock says is due and starts sending the webhooks that are due. */
	catchUp(): void {
		this.agenda.runDue();
		if (this.outbox.hasDue()) void this.outbox.sendDue();
	}

	/** Waits until everything due has happened, deliveries included. */
	async settle(): Promise<void> {
		this.catchUp();
		await this.outbox.settle();
	}

	settingsOf(order: StoredOrder): IdnowAccountSettings {
		return this.accounts.get(order.account).settings;
	}

	landingUrl(order: StoredOrder, path: string = LANDING_PATHS.target): string {
		return `${this.origin()}${path}/${order.token}`;
	}

	/** putOrder: checks the body, creates the order, sets its first statuses, starts the Testrobot if asked to. */
	createOrder(account: StoredAccount, body: unknown): Record<string, unknown> {
		const input = parsePutOrder(body, account.settings);
		const now = this.now();
		const firstOrder = input.firstOrderId === null ? null : this.firstOrder(account, input.firstOrderId);
		const signed =
			input.identDataSigned === null ? null : this.checkSignedData(input.identDataSigned, account.user, now);
		const order = this.store.create(account.user, input, body as Record<string, unknown>, now, signed);
		if (firstOrder !== null && order.documents.length === 0) order.documents = firstOrder.documents;
		this.setStatus(order, { kind: 25 }, now);
		this.invite(order, now);
		this.agenda.schedule(now + account.settings.orderTimeoutMs, (at) => this.timeOut(order, at));
		if (order.autotest !== null) this.startFlow(order, order.autotest);
		return this.putOrderAnswer(order, input);
	}

	private putOrderAnswer(order: StoredOrder, input: OrderInput): Record<string, unknown> {
		const answer: Record<string, unknown> = { OrderID: order.id, Ref: order.ref };
		if (input.getTargetLink) answer.TargetURL = this.landingUrl(order, LANDING_PATHS.target);
		if (input.getDeepLink) answer.DeepLinkURL = this.landingUrl(order, LANDING_PATHS.deepLink);
		if (input.getAutoIdLink) answer.AutoIdURL = this.landingUrl(order, LANDING_PATHS.autoId);
		if (order.signedDataAccepted !== null) answer.SignedDataAccepted = order.signedDataAccepted;
		const videoProduct = order.product === PRODUCT.withVideo || order.product === PRODUCT.eSign;
		if (input.getVideoHashes && videoProduct) answer.VideoHashes = newVideoHashes();
		return answer;
	}

	/** MultiSignOptions.FirstOrderID must name one of the account's eSign orders. */
	private firstOrder(account: StoredAccount, id: string): StoredOrder {
		const order = this.store.all().find((candidate) => candidate.id === id && candidate.account === account.user);
		if (order === undefined || !order.eSign) {
			throw new HttpError(400, `MultiSignOptions.FirstOrderID: no eSign order ${id}`);
		}
		return order;
	}

	private checkSignedData(token: string, account: string, now: number): SignedDataCheck {
		const data = openIdentData(token);
		const accepted = acceptsSignedData(data, account, berlinTime(now).slice(0, 10));
		return { accepted, checked: accepted && data !== undefined ? data.checked : null };
	}

	/** The one way a status is set: the status, its effects, its webhooks, the consequences of becoming final. */
	setStatus(order: StoredOrder, step: StatusStep, at: number = this.now()): void {
		const settings = this.settingsOf(order);
		const kinds = this.store.applyStatus(order, step, at);
		if (step.signme !== undefined) this.signme.record(order.email, step.signme);
		for (const kind of kinds) this.publishWebhook(order, kind, step.kind, at, settings);
		if (kinds.includes('OnFinal')) this.becameFinal(order, step.kind, at, settings);
		if (this.outbox.hasDue()) void this.outbox.sendDue();
	}

	private publishWebhook(
		order: StoredOrder,
		kind: WebhookKind,
		code: number,
		at: number,
		settings: IdnowAccountSettings,
	): void {
		const template = order.webhookUrls[kind] ?? settings.webhooks[kind];
		if (template === undefined) return;
		const codes = settings.statusChangeCodes;
		if (kind === 'OnStatusChange' && codes !== 'all' && !codes.includes(code)) return;
		const statusCodeValue = kind === 'OnStatusChange' ? code : undefined;
		this.outbox.publish({
			id: randomUUID(),
			kind,
			orderId: order.id,
			statusCode: code,
			url: substitutePlaceholders(template, { orderId: order.id, ref: order.ref, statusCode: statusCodeValue }),
			method: settings.webhookMethod,
			at,
		});
	}

	/** Retention starts, and the notification e-mail putOrder's EmailNotifications asked for goes out. */
	private becameFinal(order: StoredOrder, code: number, at: number, settings: IdnowAccountSettings): void {
		this.agenda.schedule(at + settings.dataRetentionMs, (deletedAt) => {
			if (order.dataDeletedAt === null) this.store.deleteData(order, deletedAt);
		});
		const kind = notificationFor(code, order.eSign);
		const notifications = isRecord(order.body.EmailNotifications) ? order.body.EmailNotifications : {};
		const to = kind === undefined ? undefined : notifications[kind];
		if (kind !== undefined && typeof to === 'string' && this.health.mailingAvailable) {
			this.messages.recordEmail({ to, kind, orderId: order.id, text: `Order ${order.id}: ${describeCode(code)}`, at });
			this.setStatus(order, { kind: 7, subKind: 25 }, at);
		}
	}

	/** The invitation IDnow mails to the person (the TargetURL reaches them this way when not returned). */
	private invite(order: StoredOrder, at: number): void {
		if (order.email === null || !this.health.mailingAvailable) return;
		const text = `Please identify yourself: ${this.landingUrl(order)}`;
		this.messages.recordEmail({ to: order.email, kind: 'invitation', orderId: order.id, text, at });
		this.setStatus(order, { kind: 7, subKind: 12 }, at);
	}

	/**
	 * Runs an outcome's status sequence: spread over the delay from now on the sandbox clock (Testrobot timing),
	 * or all at once. A newer flow, a cancellation or a time-out drops the steps still waiting.
	 */
	startFlow(order: StoredOrder, outcome: FlowOutcome, timing: FlowTiming = {}): void {
		if (this.store.isFinal(order)) throw new HttpError(409, `order ${order.id} is already final`);
		const settings = this.settingsOf(order);
		const steps = flowSteps(order, outcome, {
			customerSideSigning: settings.customerSideSigning,
			signmeAccountExists: this.signme.exists(order.email),
		});
		const flow = ++order.flow;
		const start = this.now();
		const delayMs = timing.delayMs ?? settings.testrobotDelayMs;
		order.flowRunning = true;
		steps.forEach((step, index) => {
			this.agenda.schedule(timing.immediate ? start : start + step.at * delayMs, (at) => {
				if (order.flow !== flow) return;
				if (index === steps.length - 1) order.flowRunning = false;
				this.setStatus(order, step, at);
			});
		});
		this.agenda.runDue();
	}

	/** Stops whatever flow is running (its waiting steps are dropped). */
	stopFlow(order: StoredOrder): void {
		order.flow++;
		order.flowRunning = false;
	}

	/** No final status by the account's time-out: 99, or 100 when the person was already identified. */
	private timeOut(order: StoredOrder, at: number): void {
		if (this.store.isFinal(order)) return;
		this.stopFlow(order);
		this.setStatus(order, { kind: order.result === null ? 99 : 100 }, at);
	}

	/** The time-out, now (a control). */
	expire(order: StoredOrder): void {
		if (this.store.isFinal(order)) throw new HttpError(409, `order ${order.id} is already final`);
		this.timeOut(order, this.now());
	}

	/**
	 * Sends a fresh TAN by SMS and answers it; for an order that is status 71/16 ("SMS sent", TAN). When the SMS
	 * system is down (a control) nothing is sent and the order records 139/66, "Sending OTP TAN failed" (OnError).
	 */
	sendTan(request: TanRequest): string {
		const tan = randomDigits(request.length);
		const at = this.now();
		if (!this.health.smsTanAvailable) {
			if (request.order !== null) this.setStatus(request.order, { kind: 139, subKind: 66 }, at);
			return tan;
		}
		this.messages.recordSms({
			to: request.to,
			text: tanText(request.template, tan, request.fallback),
			tan,
			purpose: request.purpose,
			orderId: request.order?.id ?? null,
			account: request.account,
			at,
		});
		if (request.order !== null) this.setStatus(request.order, { kind: 71, subKind: 16, text: TAN_TEXT }, at);
		return tan;
	}

	/** The order has a video recording to provision (3.10's requirements). */
	hasVideoRecording(order: StoredOrder): boolean {
		const settings = this.settingsOf(order);
		const recorded = settings.recordVideo || (order.add & ADD.recordVideo) !== 0;
		const fromVideo = order.statuses.some((entry) => entry.kind === 6 || entry.kind === 89);
		return recorded && order.result?.method === 'Video' && fromVideo;
	}

	/** getVideoFileBinaryAsync: the video is ready after the account's delay; every callback URL is then called. */
	requestVideo(order: StoredOrder, callbackUrl: string): void {
		const now = this.now();
		order.video.callbacks.push(callbackUrl);
		if (order.video.readyAt !== null) {
			this.publishVideoCallbacks(order, now);
			return;
		}
		if (order.video.requestedAt !== null) return;
		order.video.requestedAt = now;
		this.agenda.schedule(now + this.settingsOf(order).videoProvisioningDelayMs, (at) => {
			if (order.dataDeletedAt !== null) return;
			order.video.readyAt = at;
			this.publishVideoCallbacks(order, at);
		});
		this.catchUp();
	}

	private publishVideoCallbacks(order: StoredOrder, at: number): void {
		for (const url of order.video.callbacks.splice(0)) {
			this.outbox.publish({
				id: randomUUID(),
				kind: 'VideoReady',
				orderId: order.id,
				statusCode: null,
				url: substitutePlaceholders(url, { orderId: order.id, ref: order.ref }),
				method: 'GET',
				at,
			});
		}
		if (this.outbox.hasDue()) void this.outbox.sendDue();
	}

	/** The file getVideoFileBinary serves now: the recording once provisioned, a placeholder before. */
	videoFile(order: StoredOrder): GeneratedFile {
		const settings = this.settingsOf(order);
		if (order.video.readyAt === null) {
			return generatedVideo('placeholder', PLACEHOLDER_VIDEO_BYTES, settings.videoFormat);
		}
		return generatedVideo(order.id, settings.videoSizeBytes, settings.videoFormat);
	}
}

/** Which EmailNotifications address a final status goes to; a cancellation by the customer mails nobody. */
function notificationFor(code: number, eSign: boolean): Exclude<EmailKind, 'invitation'> | undefined {
	if (code === (eSign ? 84 : 6)) return 'OnPositiveIdent';
	if (code === 99 || code === 100) return 'OnTimeOut';
	if (code === 16) return 'OnLeave';
	return code === 63 ? undefined : 'OnNegativeIdent';
}

export function describeCode(code: number): string {
	return statusCode(code)?.meaning ?? `status ${code}`;
}
