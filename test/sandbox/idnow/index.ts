/**
 * The IDnow identity.TM sandbox: the simulator, its test accounts and AES key, the status code table, helpers
 * for the /crypt layout, and its registry entry. Layout and decisions: ./README.md.
 */
import type { SimulatorEntry } from '../registry';
import { IdnowSimulator } from './simulator';
import { IDNOW_API_PREFIX, IDNOW_TEST_ACCOUNT, IDNOW_TEST_AES_KEY } from './types';

export { IdnowSimulator, type IdnowSimulatorOptions, type IdnowStatusChange, type IdnowVideoInfo } from './simulator';
export type { IdnowOrderView } from './views';
export {
	ADD,
	DEFAULT_ACCOUNT_SETTINGS,
	IDNOW_API_PREFIX,
	IDNOW_PRODUCTS,
	IDNOW_SECOND_ACCOUNT,
	IDNOW_TEST_ACCOUNT,
	IDNOW_TEST_AES_KEY,
	PRODUCT,
	WEBHOOK_KINDS,
	type IdentDataFormat,
	type IdnowAccountConfig,
	type IdnowAccountSettings,
	type VideoFormat,
	type WebhookKind,
	type WebhookMethod,
} from './types';
export {
	IDNOW_STATUS_CODES,
	IDNOW_SUB_STATUS_CODES,
	isFinalCode,
	type IdnowStatusCode,
	type IdnowSubStatusCode,
} from './statusCodes';
export { CRYPT_IV_BYTES, CRYPT_TAG_BYTES, decryptIdnowCrypt, encryptIdnowCrypt, type CryptTamperPart } from './crypt';
export type { CryptTamper, IdnowCryptEntry } from './cryptDesk';
export { AUTH_FAILED, PASSWORD_TAN_LIFETIME_MS, type IdnowAccountView } from './accounts';
export { HEALTHY, LANDING_PATHS, PLACEHOLDER_VIDEO_BYTES, type FlowTiming, type SystemHealth } from './engine';
export type { FlowOutcome } from './flows';
export { DEFAULT_PERSON } from './identData';
export { DEFAULT_SIGNME_USERS, type IdnowEmail, type IdnowSms, type SignatureType, type SignmeUser } from './messages';
export { SIGNATURE_MARKER } from './documents';
export { MAX_TAN_TRIES, SIGN_TAN_LENGTH } from './routes/esign';
export { PHONE_TAN_LENGTH } from './routes/phone';
export {
	webhookRetrySchedule,
	type IdnowPendingWebhook,
	type IdnowWebhookAttempt,
	type ManualWebhook,
	type WebhookEvent,
} from './webhooks';

const provider = 'idnow';
const title = 'IDnow identity.TM';

/**
 * The n8n credential's secret for the IDnow Trigger's URLs: IDnow signs nothing, so the client's trigger accepts
 * only URLs carrying it. Not an IDnow setting; it only makes the registry's credential ready for the trigger.
 */
export const IDNOW_TEST_WEBHOOK_TOKEN = 'sandbox-webhook-token-5d0c9e2a71b84f36';

/**
 * Built by hand in the shape defineSimulator() returns, with only a type import of the registry: the registry
 * imports this module, and a runtime import back would be a cycle. The pump makes a ticking clock (the CLI's)
 * move orders and send webhooks without anyone calling; with a frozen clock it never finds anything due.
 */
export const idnowEntry: SimulatorEntry<IdnowSimulator> = {
	provider,
	title,
	async start(options = {}) {
		const simulator = new IdnowSimulator({ ...options, pumpIntervalMs: 1000 });
		const baseUrl = await simulator.start();
		const credential = {
			type: 'idnowApi',
			name: 'IDnow sandbox',
			data: {
				user: IDNOW_TEST_ACCOUNT.user,
				password: IDNOW_TEST_ACCOUNT.password,
				baseUrl: `${baseUrl}${IDNOW_API_PREFIX}`,
				aesSecretKey: IDNOW_TEST_AES_KEY,
				webhookToken: IDNOW_TEST_WEBHOOK_TOKEN,
			},
		};
		return { provider, title, baseUrl, simulator, credential, stop: () => simulator.stop() };
	},
};
