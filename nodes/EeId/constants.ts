/** eeID facts shared by its credential, transport and triggers: stated once here. */
export const EEID_CREDENTIAL = 'eeIdApi';
export const EEID_DEFAULT_BASE_URL = 'https://eeid.ee';
export const EEID_ACCESS_GRANT_PATH = '/api/auth/v1/token';
export const EEID_REQUESTS_PATH = '/api/ident/v1/identification_requests';

/** eeID only accepts webhook URLs containing this path. */
export const EEID_WEBHOOK_PATH = 'eeid/webhooks/identification_requests';
export const EEID_SIGNATURE_HEADER = 'x-hmac-signature';

/** eeID waits 10 s for the webhook's answer; 8 s leaves room for the network and n8n itself. */
export const EEID_ACK_BUDGET_MS = 8_000;

export const EEID_ICON = { light: 'file:../../icons/eeid.svg', dark: 'file:../../icons/eeid.dark.svg' } as const;
