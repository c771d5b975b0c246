/** The eeID simulator's public API. Layout and decisions: ../README.md. */
export { EeIdSimulator, type EeIdCompletion } from './simulator';
export {
	AUTHENTICATION_TYPES,
	DEFAULT_SETTINGS,
	EEID_LINK_PATH,
	EEID_REQUESTS_PATH,
	EEID_SECOND_CLIENT,
	EEID_TEST_CLIENT,
	EEID_TOKEN_PATH,
	EEID_WEBHOOK_PATH_MARKER,
	type EeIdAuthenticationType,
	type EeIdClaim,
	type EeIdClaimMismatch,
	type EeIdClaimsComparison,
	type EeIdClaimType,
	type EeIdClient,
	type EeIdCreateBody,
	type EeIdIdentificationRequest,
	type EeIdPerson,
	type EeIdSettings,
	type EeIdSimulatorOptions,
	type EeIdStatus,
} from './types';
export { comparableName, compareClaims } from './claims';
export { OTHER_TEST_PERSONS, TEST_PERSON } from './result';
export { SUB_REQUIRED_MESSAGE, type EeIdPersonChoice } from './validation';
export {
	RETRY_DELAYS_MS,
	type EeIdPendingWebhook,
	type EeIdWebhookAttempt,
	type EeIdWebhookDelivery,
	type EeIdWebhookOptions,
} from './webhooks';
