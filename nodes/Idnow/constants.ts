/** IDnow identity.TM facts shared by its credential, transport, action node and trigger: stated once here. */
export const IDNOW_CREDENTIAL = 'idnowApi';
export const IDNOW_DEFAULT_BASE_URL = 'https://customer.identity.tm/api/2.10';

export const IDNOW_ICON = { light: 'file:../../icons/idnow.svg', dark: 'file:../../icons/idnow.dark.svg' } as const;

/** The `/crypt` variants (document 3.3.3): AES-256-GCM, body = IV ‖ ciphertext ‖ tag. */
export const IDNOW_CRYPT_IV_BYTES = 23;
/** The tag Java's AES/GCM/NoPadding appends; the document gives no length. */
export const IDNOW_CRYPT_TAG_BYTES = 16;

/** The trigger's fixed webhook path below n8n's webhook URL; the secret token follows as a query parameter. */
export const IDNOW_WEBHOOK_PATH = 'idnow';
/** Query parameter carrying the trigger's secret token (IDnow signs nothing, so the URL itself is the secret). */
export const IDNOW_TOKEN_PARAMETER = 'token';
/** Query parameter naming the webhook kind in each URL the trigger shows. */
export const IDNOW_KIND_PARAMETER = 'kind';

/** Placeholders IDnow substitutes in webhook URLs (2.6); `[statusCode]` only in OnStatusChange URLs. */
export const IDNOW_PLACEHOLDERS = { orderId: '[OrderID]', ref: '[Ref]', statusCode: '[statusCode]' } as const;

/** The webhook kinds of putOrder's WebhookURL element (3.1.4), plus the video provisioning callback (3.9). */
export const IDNOW_WEBHOOK_KINDS = [
	'AfterVideo',
	'AfterIdent',
	'OnFinal',
	'OnError',
	'OnVideoError',
	'OnStatusChange',
	'VideoReady',
] as const;
export type IdnowWebhookKind = (typeof IDNOW_WEBHOOK_KINDS)[number];

/** The kinds putOrder's WebhookURL accepts (VideoReady is getVideoFileBinaryAsync's callbackUrl instead). */
export const IDNOW_ORDER_WEBHOOK_KINDS = IDNOW_WEBHOOK_KINDS.filter(
	(kind): kind is Exclude<IdnowWebhookKind, 'VideoReady'> => kind !== 'VideoReady',
);

/** IDnow's published source addresses for webhooks (document 10.1). */
export const IDNOW_WEBHOOK_IP_RANGES = [
	'212.211.189.136/29',
	'212.211.206.240/29',
	'212.211.181.64/29',
	'212.211.191.96/29',
] as const;

/**
 * IDnow cuts a webhook call at 10 s and asks for an answer within 5 s (2.6.1). The trigger queries nothing before
 * answering, so this bound is never approached; 4 s keeps it inside the stricter figure should that change.
 */
export const IDNOW_ACK_BUDGET_MS = 4_000;

export const IDNOW_DOCUMENTATION_URL =
	'https://github.com/n8n-nodes-identity-verification/n8n-nodes-identity-verification#idnow-identitytm-api';
/** The call "Test credential" makes: authenticated, changes nothing (8.2). */
export const IDNOW_SYSTEM_STATUS_PATH = '/systemStatus';
