/**
 * CM.com iDIN invites API, as documented in /work/shared/seeds/001_7d6f29eafa38701c.txt plus the public facts in
 * /work/shared/PROVIDERS.md. Decisions the document leaves open are listed in ./README.md.
 */
import { STATUS_CODES } from 'node:http';

import {
	htmlResponse,
	HttpError,
	jsonResponse,
	SandboxServer,
	type SandboxClock,
	type SandboxRequest,
	type SandboxResponse,
} from '../framework';
import { registerIdinControls } from './controls';
import { bankResult, DEFAULT_IDENTITY_ID, findIdentity, IDIN_TEST_IDENTITIES, type IdinIdentity } from './identities';
import { mintIdinToken, TokenRejected, verifyBearer, type IdinKey } from './jwt';
import {
	ATTRIBUTE_NAMES,
	atomTime,
	isRecord,
	isRequested,
	parseGroupBody,
	parseInviteBody,
	parsePersonBody,
	presentGroup,
	presentInvite,
	presentNewPerson,
	presentPerson,
	type AttributeName,
	type GroupJson,
	type InviteJson,
	type NewPersonJson,
	type PersonJson,
	type PersonStatus,
	type StoredGroup,
	type StoredInvite,
	type StoredPerson,
} from './model';
import { bankPage, outcomePage, unavailablePage } from './pages';
import { IdinStore, type KeyedEvent } from './store';
import {
	WebhookOutbox,
	type ForgeOptions,
	type IdinDelivery,
	type IdinWebhookConfig,
	type IdinWebhookHeader,
} from './webhooks';

/** A CM credential; CM support may also have set a webhook URL and custom header for it. */
export interface IdinKeyConfig extends IdinKey {
	webhookUrl?: string;
	webhookHeader?: IdinWebhookHeader;
}

/** The document's test vector: its example token verifies with this key at iat 1546300800. */
export const IDIN_TEST_KEY: Readonly<IdinKey> = {
	keyId: '3b438437-04a4-40bb-8389-54bb02766fba',
	keySecret: 'AC4Etykn7jusGR5FwLDAtILtQbiQbTMKedP31szXg4WlSbjGEXyNMZ',
};

/** A second client of CM, for ownership: its groups are invisible to the test key and vice versa. */
export const IDIN_SECOND_KEY: Readonly<IdinKey> = {
	keyId: '9d2c61f0-7a43-4b8e-b5f1-0c6e2d4a8b17',
	keySecret: 'SandboxSecondKeyNotForProduction7Qm2Vx9Lp4Rt8Wz1Hc6Jd',
};

export const IDIN_API_PREFIX = '/idin-invites/v1';
/** Where invite URLs point, mirroring the document's `https://www.cm.com/app/idin-invite/<token>`. */
export const IDIN_INVITE_PATH = '/app/idin-invite';
/** The document's group example runs from 2020-01-01 to 2020-02-01. */
export const IDIN_GROUP_LIFETIME_MS = 31 * 24 * 60 * 60 * 1000;

export interface IdinSimulatorOptions {
	port?: number;
	clock?: SandboxClock;
	/** Default: IDIN_TEST_KEY and IDIN_SECOND_KEY, without webhooks. */
	keys?: IdinKeyConfig[];
	/** From a group's creation to its (and its invites') expiry. Default IDIN_GROUP_LIFETIME_MS. */
	groupLifetimeMs?: number;
	/** Tries per event before giving up, the first included. Default 5. */
	webhookMaxAttempts?: number;
	/** How long a receiver may take to answer one try. Default 10 s. */
	webhookTimeoutMs?: number;
}

/** How a person's identification ends, when a control decides instead of the bank page. */
export interface IdinOutcome {
	status: PersonStatus;
	/** A test identity id (see IDIN_TEST_IDENTITIES); default the document's Andre van Dijk. */
	identity?: string;
	/** Requested attributes the bank leaves out of a success. */
	withhold?: string[];
	/** Stored verbatim as the person's result instead of the bank's (null included), for shapes the bank never gives. */
	result?: Record<string, unknown> | null;
}

export interface IdinSettlement {
	person: PersonJson;
	/** The POSTs its events caused, retries included. */
	deliveries: IdinDelivery[];
}

export interface IdinInvitationEmail {
	to: string;
	personName: string;
	groupName: string;
	url: string;
	inviteId: string;
	groupId: string;
	personId: string;
	sentAt: string;
}

const ERROR_MESSAGES: Record<number, string> = {
	401: 'Unauthorized',
	404: 'Not found',
	429: 'Too many requests',
	500: 'Internal server error',
};

export class IdinSimulator extends SandboxServer {
	private readonly keys: ReadonlyMap<string, IdinKey>;
	private readonly store: IdinStore;
	private readonly outbox: WebhookOutbox;
	private emails: IdinInvitationEmail[] = [];

	constructor(options: IdinSimulatorOptions = {}) {
		super({
			name: 'CM.com iDIN invites',
			port: options.port,
			clock: options.clock,
			errorBody: (status, message) => ({
				code: status,
				message: message ?? ERROR_MESSAGES[status] ?? STATUS_CODES[status],
			}),
		});
		const keys = options.keys ?? [IDIN_TEST_KEY, IDIN_SECOND_KEY];
		this.keys = new Map(keys.map((key) => [key.keyId, { keyId: key.keyId, keySecret: key.keySecret }]));
		this.store = new IdinStore(() => this.clock.now(), options.groupLifetimeMs ?? IDIN_GROUP_LIFETIME_MS);
		this.outbox = new WebhookOutbox({
			now: () => this.clock.now(),
			maxAttempts: options.webhookMaxAttempts ?? 5,
			timeoutMs: options.webhookTimeoutMs ?? 10_000,
			initialConfig: new Map(keys.map((key) => [key.keyId, initialWebhookConfig(key)])),
		});
		this.registerApi();
		this.registerInvitePages();
		registerIdinControls(this);
	}

	keyIds(): string[] {
		return [...this.keys.keys()];
	}

	/** A token as a client mints it (document header and claims), valid from now on the sandbox clock. */
	tokenFor(keyId = IDIN_TEST_KEY.keyId, lifetimeSeconds = 60): string {
		const iat = Math.floor(this.clock.now() / 1000);
		return mintIdinToken(this.key(keyId), { iat, nbf: iat, exp: iat + lifetimeSeconds });
	}

	/** Creates a group as if `keyId` had called the API (same validation). */
	createGroupDirect(body: unknown, keyId = IDIN_TEST_KEY.keyId): GroupJson {
		this.key(keyId);
		return presentGroup(this.store.createGroup(keyId, parseGroupBody(body)));
	}

	addPersonDirect(groupId: string, body: unknown): NewPersonJson {
		void this.sweep();
		return presentNewPerson(this.store.addPerson(this.store.group(groupId), parsePersonBody(body)));
	}

	sendInviteDirect(groupId: string, personId: string, body: unknown): InviteJson {
		void this.sweep();
		const group = this.store.group(groupId);
		return this.invite(group, this.store.memberOf(group, personId), parseInviteBody(body).email);
	}

	/** A person as `GET …/persons/{personId}` shows it to its owner. */
	person(personId: string): PersonJson {
		void this.sweep();
		return presentPerson(this.store.person(personId));
	}

	/** Everything about a group, for tests and the control surface: its key, persons (create shape) and invites. */
	inspectGroup(groupId: string) {
		void this.sweep();
		const group = this.store.group(groupId);
		return {
			...presentGroup(group),
			key_id: group.keyId,
			persons: this.store.personsOf(group).map((person) => ({
				...presentNewPerson(person),
				invites: this.store.invitesOf(person).map((invite) => presentInvite(invite, this.inviteUrl(invite))),
			})),
		};
	}

	inspectGroups() {
		return this.store.allGroups().map((group) => this.inspectGroup(group.id));
	}

	/** Ends a person's identification; resolves once its webhook events have been delivered (with retries). */
	async settlePerson(personId: string, outcome: IdinOutcome): Promise<IdinSettlement> {
		await this.sweep();
		const person = this.store.person(personId);
		const status = checkedStatus(outcome.status);
		const result =
			outcome.result === undefined ? this.bankResultFor(person, status, outcome) : checkedResult(outcome.result);
		const deliveries = await this.outbox.publish(this.store.settle(person, status, result));
		return { person: presentPerson(person), deliveries };
	}

	/** Runs CM's expiry job now: groups past expires_at expire with their untried persons; resolves once delivered. */
	expireDue(): Promise<IdinDelivery[]> {
		return this.sweep();
	}

	/** CM deletes data without an API call (retention, its dashboard); this is how a deletion event is produced. */
	async deleteGroup(groupId: string): Promise<IdinDelivery[]> {
		await this.sweep();
		return this.outbox.publish(this.store.deleteGroup(this.store.group(groupId)));
	}

	async deletePerson(personId: string): Promise<IdinDelivery[]> {
		await this.sweep();
		return this.outbox.publish(this.store.deletePerson(this.store.person(personId)));
	}

	/** CM support's webhook setting for a key; an absent field keeps its value, null switches it off. */
	setWebhook(keyId: string, changes: Partial<IdinWebhookConfig>): IdinWebhookConfig {
		return this.outbox.configure(keyId, changes);
	}

	webhookConfig(keyId = IDIN_TEST_KEY.keyId): IdinWebhookConfig {
		return this.outbox.config(keyId);
	}

	/** Every genuine event so far, with the key it belongs to, in order. */
	webhookEvents(): KeyedEvent[] {
		return this.outbox.events();
	}

	/** Every POST to a receiver so far: genuine tries, redeliveries and forgeries. */
	webhookDeliveries(): IdinDelivery[] {
		return this.outbox.allDeliveries();
	}

	/** Resolves once deliveries started in the background (expiry noticed during an API call) are done. */
	webhooksIdle(): Promise<void> {
		return this.outbox.idle();
	}

	redeliverEvent(eventId: string, options: { times?: number; url?: string } = {}): Promise<IdinDelivery[]> {
		return this.outbox.redeliver(eventId, options);
	}

	forgeWebhook(options: ForgeOptions = {}): Promise<IdinDelivery[]> {
		return this.outbox.forge(options);
	}

	/** The invitation e-mails CM would have sent (invites created with `email: true`). */
	invitationEmails(): IdinInvitationEmail[] {
		return this.emails.map((email) => ({ ...email }));
	}

	override async stop(): Promise<void> {
		await this.outbox.stop();
		await super.stop();
	}

	protected override resetState(): void {
		this.store.clear();
		this.outbox.clear();
		this.emails = [];
	}

	private registerApi(): void {
		this.api('POST', '/groups', (request, keyId) =>
			jsonResponse(201, presentGroup(this.store.createGroup(keyId, parseGroupBody(request.json())))),
		);
		this.api('POST', '/groups/:groupId/persons', (request, keyId) => {
			const group = this.store.ownedGroup(keyId, request.params.groupId);
			return jsonResponse(201, presentNewPerson(this.store.addPerson(group, parsePersonBody(request.json()))));
		});
		this.api('POST', '/groups/:groupId/persons/:personId/invites', (request, keyId) => {
			const group = this.store.ownedGroup(keyId, request.params.groupId);
			const person = this.store.memberOf(group, request.params.personId);
			return jsonResponse(201, this.invite(group, person, parseInviteBody(request.json()).email));
		});
		this.api('GET', '/groups/:groupId/persons/:personId', (request, keyId) => {
			const group = this.store.ownedGroup(keyId, request.params.groupId);
			return jsonResponse(200, presentPerson(this.store.memberOf(group, request.params.personId)));
		});
	}

	/**
	 * An API route: authenticated before anything else, then the expiry CM's scheduler would have done by now.
	 * Its events go out in the background, as a real scheduler's would, never delaying this answer.
	 */
	private api(
		method: string,
		path: string,
		handler: (request: SandboxRequest, keyId: string) => SandboxResponse,
	): void {
		this.route(method, IDIN_API_PREFIX + path, (request) => {
			const keyId = this.authenticate(request);
			void this.sweep();
			return handler(request, keyId);
		});
	}

	private authenticate(request: SandboxRequest): string {
		try {
			return verifyBearer(request.headers.authorization, this.keys, this.clock.now());
		} catch (error) {
			if (!(error instanceof TokenRejected)) throw error;
			throw new HttpError(401, error.message, { 'www-authenticate': 'Bearer' });
		}
	}

	private registerInvitePages(): void {
		this.route('GET', `${IDIN_INVITE_PATH}/:token`, (request) =>
			this.usableInvite(request, (invite) => {
				const person = this.store.person(invite.personId);
				return htmlResponse(
				200,
				bankPage({
					groupName: this.store.group(invite.groupId).name,
					personName: person.name,
					requested: ATTRIBUTE_NAMES.filter((attribute) => isRequested(person, attribute)),
					identities: IDIN_TEST_IDENTITIES,
					expiresAt: atomTime(invite.expiresAt),
				}),
				);
			}),
		);
		this.route('POST', `${IDIN_INVITE_PATH}/:token`, (request) =>
			this.usableInvite(request, async (invite) => {
				const outcome = outcomeFromForm(request.form());
				if (outcome === undefined) {
					return htmlResponse(400, unavailablePage('Choose an outcome and a known identity.'));
				}
				const { deliveries } = await this.settlePerson(invite.personId, outcome);
				const { redirectUrl } = this.store.person(invite.personId);
				return htmlResponse(200, outcomePage(outcome.status, redirectUrl, describeDeliveries(deliveries)));
			}),
		);
	}

	/** Runs `use` for an invite the person can still act on; otherwise the page says why (unknown, used, expired). */
	private async usableInvite(
		request: SandboxRequest,
		use: (invite: StoredInvite) => SandboxResponse | Promise<SandboxResponse>,
	): Promise<SandboxResponse> {
		await this.sweep();
		const invite = this.store.invite(request.params.token);
		if (invite === undefined) return htmlResponse(404, unavailablePage('No such invitation.'));
		const status = this.store.person(invite.personId).status;
		if (status === 'expired') return htmlResponse(410, unavailablePage('This invitation has expired.'));
		if (status !== null) return htmlResponse(409, unavailablePage(`This identification is already ${status}.`));
		return use(invite);
	}

	private invite(group: StoredGroup, person: StoredPerson, email: boolean): InviteJson {
		const invite = this.store.createInvite(group, person, email);
		const url = this.inviteUrl(invite);
		if (email) this.emails.push(invitationEmail(invite, person, group.name, url));
		return presentInvite(invite, url);
	}

	private inviteUrl(invite: StoredInvite): string {
		return `${this.started ? this.baseUrl : ''}${IDIN_INVITE_PATH}/${invite.token}`;
	}

	private bankResultFor(person: StoredPerson, status: PersonStatus, outcome: IdinOutcome): Record<string, unknown> {
		return bankResult(person, {
			status,
			identity: checkedIdentity(outcome.identity ?? DEFAULT_IDENTITY_ID),
			keyId: this.store.group(person.groupId).keyId,
			now: this.clock.now(),
			withhold: checkedAttributes(outcome.withhold ?? []),
		});
	}

	/** Applies expiry that is due and delivers its events; every entry point calls it first. */
	private sweep(): Promise<IdinDelivery[]> {
		return this.outbox.publish(this.store.expireDue());
	}

	private key(keyId: string): IdinKey {
		const key = this.keys.get(keyId);
		if (key === undefined) throw new HttpError(404, `no iDIN key ${keyId}`);
		return key;
	}
}

function initialWebhookConfig(key: IdinKeyConfig): IdinWebhookConfig {
	return { url: key.webhookUrl ?? null, header: key.webhookHeader ?? null };
}

function invitationEmail(
	invite: StoredInvite,
	person: StoredPerson,
	groupName: string,
	url: string,
): IdinInvitationEmail {
	return {
		to: person.emailAddress,
		personName: person.name,
		groupName,
		url,
		inviteId: invite.id,
		groupId: invite.groupId,
		personId: person.id,
		sentAt: atomTime(invite.createdAt),
	};
}

const PERSON_STATUSES: readonly PersonStatus[] = ['success', 'cancelled', 'failure', 'expired'];

function checkedStatus(status: unknown): PersonStatus {
	if (!PERSON_STATUSES.includes(status as PersonStatus)) {
		throw new HttpError(400, `status must be one of ${PERSON_STATUSES.join(', ')}`);
	}
	return status as PersonStatus;
}

function checkedIdentity(id: string): IdinIdentity {
	const identity = findIdentity(id);
	if (identity === undefined) {
		const known = IDIN_TEST_IDENTITIES.map((candidate) => candidate.id).join(', ');
		throw new HttpError(400, `unknown identity ${id}; known: ${known}`);
	}
	return identity;
}

function checkedResult(result: unknown): Record<string, unknown> | null {
	if (result !== null && !isRecord(result)) throw new HttpError(400, 'result must be an object or null');
	return result;
}

function checkedAttributes(names: unknown): AttributeName[] {
	if (!Array.isArray(names)) throw new HttpError(400, 'withhold must be a list of attribute names');
	const unknown = names.filter((name) => !(ATTRIBUTE_NAMES as readonly string[]).includes(name));
	if (unknown.length > 0) throw new HttpError(400, `withhold: unknown attribute ${unknown.join(', ')}`);
	return names as AttributeName[];
}

/** The bank form: which button, which customer, which requested attributes to withhold. */
function outcomeFromForm(form: Record<string, string>): IdinOutcome | undefined {
	const status = PERSON_STATUSES.find((candidate) => candidate === form.outcome);
	const identity = form.identity ?? DEFAULT_IDENTITY_ID;
	if (status === undefined || findIdentity(identity) === undefined) return undefined;
	const withhold = ATTRIBUTE_NAMES.filter((attribute) => form[`withhold_${attribute}`] !== undefined);
	return { status, identity, withhold };
}

function describeDeliveries(deliveries: IdinDelivery[]): string {
	if (deliveries.length === 0) return 'none sent (no webhook URL configured)';
	const last = deliveries[deliveries.length - 1];
	const outcome = last.status === null ? `failed (${last.error ?? 'no answer'})` : `last answer ${last.status}`;
	return `${deliveries.length} POST(s) to ${last.url}, ${outcome}`;
}
