/**
 * The CM.com iDIN invites sandbox: the simulator, its test keys and identities, and its registry entry.
 */
import type { SimulatorEntry } from '../registry';
import { IDIN_TEST_KEY, IdinSimulator } from './simulator';

export { IDIN_TEST_IDENTITIES, type IdinIdentity } from './identities';
export {
	IDIN_CLOCK_SKEW_SECONDS,
	IDIN_MAX_TOKEN_LIFETIME_SECONDS,
	mintIdinToken,
	type IdinKey,
	type IdinTokenClaims,
} from './jwt';
export type { AttributeName, GroupStatus, PersonStatus } from './model';
export type { IdinEvent, IdinEventName, KeyedEvent } from './store';
export type { ForgeOptions, IdinDelivery, IdinWebhookConfig, IdinWebhookHeader } from './webhooks';
export {
	IDIN_API_PREFIX,
	IDIN_GROUP_LIFETIME_MS,
	IDIN_INVITE_PATH,
	IDIN_SECOND_KEY,
	IDIN_TEST_KEY,
	IdinSimulator,
	type IdinInvitationEmail,
	type IdinKeyConfig,
	type IdinOutcome,
	type IdinSettlement,
	type IdinSimulatorOptions,
} from './simulator';

const provider = 'idin';
const title = 'CM.com iDIN invites';

/**
 * Built by hand in the shape defineSimulator() returns, with only a type import of the registry: the registry
 * imports this module, and a runtime import back would be a cycle.
 */
export const idinEntry: SimulatorEntry<IdinSimulator> = {
	provider,
	title,
	async start(options = {}) {
		const simulator = new IdinSimulator(options);
		const baseUrl = await simulator.start();
		const credential = {
			type: 'cmIdinApi',
			name: 'CM iDIN sandbox',
			data: { keyId: IDIN_TEST_KEY.keyId, keySecret: IDIN_TEST_KEY.keySecret, baseUrl },
		};
		return { provider, title, baseUrl, simulator, credential, stop: () => simulator.stop() };
	},
};
