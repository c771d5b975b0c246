/** CM.com iDIN invites facts shared by its credential, transport, nodes and trigger: stated once here. */
export const IDIN_CREDENTIAL = 'cmIdinApi';
export const IDIN_DEFAULT_BASE_URL = 'https://api.cm.com';
/** Every endpoint lives below this path of the base URL. */
export const IDIN_API_PATH = '/idin-invites/v1';

/** The document mints tokens valid for 60 s; the credential mints a fresh one for every request. */
export const IDIN_TOKEN_LIFETIME_SECONDS = 60;

/** The attributes a person can be asked for, in the document's order and spelling. */
export const IDIN_ATTRIBUTES = [
	'identity',
	'name',
	'address',
	'18y_or_older',
	'date_of_birth',
	'gender',
	'telephone_number',
	'email_address',
] as const;

export type IdinAttribute = (typeof IDIN_ATTRIBUTES)[number];

/** The webhook events the document lists. */
export const IDIN_EVENTS = ['group.updated', 'group.deleted', 'person.updated', 'person.deleted'] as const;

export type IdinEventName = (typeof IDIN_EVENTS)[number];

/** The trigger's webhook path: its production URL is <n8n>/webhook/<webhook id>/cm-idin. */
export const IDIN_WEBHOOK_PATH = 'cm-idin';

/** Suggested name of the fixed header CM support adds to the webhook (any name CM can send works). */
export const IDIN_DEFAULT_SECRET_HEADER = 'X-Webhook-Secret';

/**
 * CM documents no answer deadline, only that a non-2xx answer is retried. Webhook senders commonly give up after
 * 10 s; 8 s for the person check leaves room for the network and n8n itself.
 */
export const IDIN_ACK_BUDGET_MS = 8_000;

export const IDIN_ICON = { light: 'file:../../icons/idin.svg', dark: 'file:../../icons/idin.dark.svg' } as const;

export const IDIN_DOCUMENTATION_URL =
	'https://github.com/n8n-nodes-identity-verification/n8n-nodes-identity-verification#cm-idin-api';
