/**
 * Constants, account configuration and the shapes shared by the IDnow simulator's modules.
 */

/** The API lives here on the sandbox origin, as on https://customer.identity.tm/api/2.10/. */
export const IDNOW_API_PREFIX = '/api/2.10';

/** The test account's AES-256 key for the /crypt variants (64 hex characters). */
export const IDNOW_TEST_AES_KEY = '6f1c2a9e4b7d3f805e2c9a1b7d4e6f3a8c0b5d2e9f1a4c7b3e6d0f2a5c8b1e4d';

export const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The products the document lists (its numbers were lost in the seed; see README). 13 is certain, 12 and 15 are
 * strong, the others follow the document's order.
 */
export const IDNOW_PRODUCTS: Readonly<Record<number, string>> = {
	10: 'Identification via any enabled method except Video and autoID',
	11: 'ShopIdent',
	12: 'Identification via any enabled method including Video, excluding autoID',
	13: 'eID (Online-Ausweisfunktion)',
	15: 'eSign',
	16: 'autoID',
	17: 'Mobile phone number verification',
	19: 'Reader',
};

export const PRODUCT = { shop: 11, withVideo: 12, eid: 13, eSign: 15, autoId: 16, mobile: 17, reader: 19 } as const;

/** Bits of putOrder's `Add` the simulator acts on; any other bits are accepted and stored. */
export const ADD = {
	eidRestrictedIdentifierOnly: 1,
	signmeUseOrCreate: 4,
	signmeCreate: 8,
	signmeUseExisting: 16,
	aes: 128,
	bes: 256,
	recordVideo: 131072,
} as const;

export type WebhookKind = 'AfterVideo' | 'AfterIdent' | 'OnFinal' | 'OnError' | 'OnVideoError' | 'OnStatusChange';
export const WEBHOOK_KINDS: readonly WebhookKind[] = [
	'AfterVideo',
	'AfterIdent',
	'OnFinal',
	'OnError',
	'OnVideoError',
	'OnStatusChange',
];
export type WebhookMethod = 'GET' | 'POST' | 'PUT';

export type IdentDataFormat = 'array' | 'object';
export type VideoFormat = 'mp4' | 'webm';

/** What IDnow's support configures per account; all of it can be changed through `configureAccount`. */
export interface IdnowAccountSettings {
	/** `object` = images included in getIdentData (IdentData is then an object), `array` = without images. */
	identDataFormat: IdentDataFormat;
	/** How webhooks are called (GET by default; POST or PUT per account). */
	webhookMethod: WebhookMethod;
	/** Account-level webhook URLs; an order's own WebhookURL element wins per kind. */
	webhooks: Partial<Record<WebhookKind, string>>;
	/** The codes that trigger OnStatusChange ("configurable on account level"); `all` = every status set. */
	statusChangeCodes: number[] | 'all';
	/** The pre-shared AES-256 key (64 hex characters) for /crypt, null when the account has none. */
	aesKey: string | null;
	/** The secure mobile number registered for requestNewPassword, null when the function is not enabled. */
	mobile: string | null;
	/** Products enabled for the account. */
	products: number[];
	/** Testrobot (Autotest) allowed: "available for integration accounts only". */
	integration: boolean;
	/** Chapter 5: requestSign/confirmSign/requestResendSignTan enabled; eSign orders then wait for them. */
	customerSideSigning: boolean;
	/** Chapter 6: requestPhoneVerification/provePhoneControl/requestResendPhoneTan enabled. */
	phoneVerification: boolean;
	/** Video identifications are recorded (account-wide, as German AML accounts are), besides Add 131072. */
	recordVideo: boolean;
	/** Voice recordings are kept for video identifications (getVoiceFiles). */
	recordVoice: boolean;
	videoFormat: VideoFormat;
	/** Size of every provisioned video in bytes; generated chunk by chunk, never held in memory. */
	videoSizeBytes: number;
	/** From getVideoFileBinaryAsync to the video being ready and the callback, on the sandbox clock. */
	videoProvisioningDelayMs: number;
	/** From putOrder to a Testrobot order's final status, on the sandbox clock ("approximately 20 seconds"). */
	testrobotDelayMs: number;
	/** An order not finished by then times out (status 99, or 100 after identification). */
	orderTimeoutMs: number;
	/** Result data is deleted this long after the order became final ("7 days after fulfilment"). */
	dataRetentionMs: number;
	/** Enforce the request table's required elements (Email, Add) that the document's own examples omit. */
	strictRequired: boolean;
	/** Return UserIp in getIdentData ("if configured on your account"). */
	collectUserIp: boolean;
}

export interface IdnowAccountConfig extends Partial<IdnowAccountSettings> {
	user: string;
	password: string;
}

export const DEFAULT_ACCOUNT_SETTINGS: IdnowAccountSettings = {
	identDataFormat: 'array',
	webhookMethod: 'GET',
	webhooks: {},
	statusChangeCodes: 'all',
	aesKey: null,
	mobile: null,
	products: Object.keys(IDNOW_PRODUCTS).map(Number),
	integration: true,
	customerSideSigning: false,
	phoneVerification: true,
	recordVideo: true,
	recordVoice: true,
	videoFormat: 'mp4',
	videoSizeBytes: 2 * 1024 * 1024,
	videoProvisioningDelayMs: 60_000,
	testrobotDelayMs: 20_000,
	orderTimeoutMs: 14 * DAY_MS,
	dataRetentionMs: 7 * DAY_MS,
	strictRequired: false,
	collectUserIp: false,
};

/** The account of the registry's credential and of most tests: integration account with a crypt key. */
export const IDNOW_TEST_ACCOUNT = {
	user: 'idnow-sandbox',
	password: 'sandbox-password-1',
	mobile: '+491701234567',
	aesKey: IDNOW_TEST_AES_KEY,
} as const satisfies IdnowAccountConfig;

/** A second customer, for ownership tests: images enabled (IdentData as object), webhooks by POST, no crypt key. */
export const IDNOW_SECOND_ACCOUNT = {
	user: 'idnow-sandbox-2',
	password: 'sandbox-password-2',
	identDataFormat: 'object',
	webhookMethod: 'POST',
} as const satisfies IdnowAccountConfig;

export type Outcome = 'positive' | 'negative' | 'fraud';

export type IdentifyMethod = 'Video' | 'eID' | 'AutoID' | 'Shop';

export interface StatusEntry {
	kind: number;
	subKind?: number;
	text?: string;
	at: number;
}

export interface Image {
	Image: string;
	Filename: string;
}

/** What the identification produced; null until someone was identified (positively or as a suspected fraud). */
export interface IdentResult {
	identifiedAt: number;
	method: IdentifyMethod;
	/** The checked data (IdentData Type 1), key order as served. */
	checked: Record<string, unknown>;
	images: Image[];
	/** Agent id for IncludeIdentifier; absent for eID. */
	identifier?: number;
}

export interface ESignDocument {
	filename: string;
	data: Buffer;
}

export interface ESignHash {
	filename: string;
	hash: string;
}

export interface TanState {
	tan: string;
	wrongTries: number;
}

export interface StoredOrder {
	id: string;
	account: string;
	/** Last path segment of TargetURL / DeepLinkURL: the landing page. */
	token: string;
	createdAt: number;
	ref: string;
	product: number;
	add: number;
	eSign: boolean;
	method: IdentifyMethod;
	/** putOrder's body as received (IncludeInitialData, controls). */
	body: Record<string, unknown>;
	/** The Testrobot outcome the order was created with, if any. */
	autotest: Outcome | null;
	webhookUrls: Partial<Record<WebhookKind, string>>;
	redirect: { success?: string; abort?: string };
	mobile: string | null;
	email: string | null;
	statuses: StatusEntry[];
	/** Time of the first final status for the order's kind. */
	finalAt: number | null;
	/** One-shot webhooks already triggered (AfterVideo, AfterIdent, OnFinal). */
	fired: Set<WebhookKind>;
	result: IdentResult | null;
	fraudAttempt: boolean;
	dataDeletedAt: number | null;
	/** Bumped whenever a running flow must stop (cancel, a new outcome): its pending steps are dropped. */
	flow: number;
	/** A flow (Testrobot, landing page, control) has steps waiting on the clock. */
	flowRunning: boolean;
	/** Video provisioning (3.9): requested when, ready when, and the callback URLs waiting for it. */
	video: { requestedAt: number | null; readyAt: number | null; callbacks: string[] };
	signing: TanState | null;
	phone: (TanState & { verified: boolean }) | null;
	/** IdentDataSigned was given: whether it was accepted, and the identity it carries when it was. */
	signedDataAccepted: boolean | null;
	signedChecked: Record<string, unknown> | null;
	documents: ESignDocument[];
	hashes: ESignHash[];
	/** When the documents or hashes were signed (status 84). */
	signedAt: number | null;
	/** MultiSignOptions.FirstOrderID: whose documents this order signs. */
	firstOrderId: string | null;
}
