/**
 * Every provider sandbox, one entry each: how to start it and the n8n credential that points at it. The CLI,
 * the end-to-end suite and the benchmarks start simulators from here; each provider's simulator adds its entry.
 */
import { EEID_TEST_CLIENT, EeIdSimulator } from './eeid';
import type { SandboxClock, SandboxServer } from './framework';
import { idinEntry } from './idin';
import { idnowEntry } from './idnow';
import { itsmeEntry } from './itsme';

export type ProviderId = 'eeid' | 'itsme' | 'idin' | 'idnow';

/** An n8n credential (as `POST /rest/credentials` takes it) whose settings point at a running simulator. */
export interface SandboxCredential {
	type: string;
	name: string;
	data: Record<string, unknown>;
}

export interface RunningSimulator {
	provider: ProviderId;
	title: string;
	baseUrl: string;
	credential: SandboxCredential;
	stop(): Promise<void>;
}

export interface SimulatorStartOptions {
	/** Fixed port; default an ephemeral one. */
	port?: number;
	/** Default: a frozen clock starting at the real time. */
	clock?: SandboxClock;
}

export interface SimulatorEntry<S extends SandboxServer = SandboxServer> {
	provider: ProviderId;
	title: string;
	start(options?: SimulatorStartOptions): Promise<RunningSimulator & { simulator: S }>;
}

/** An entry whose start() builds the simulator, starts it and describes the credential for its base URL. */
export function defineSimulator<S extends SandboxServer>(
	provider: ProviderId,
	title: string,
	create: (options: SimulatorStartOptions) => S,
	credentialFor: (baseUrl: string) => SandboxCredential,
): SimulatorEntry<S> {
	return {
		provider,
		title,
		async start(options = {}) {
			const simulator = create(options);
			const baseUrl = await simulator.start();
			const stop = () => simulator.stop();
			return { provider, title, baseUrl, simulator, credential: credentialFor(baseUrl), stop };
		},
	};
}

export const eeIdEntry = defineSimulator(
	'eeid',
	'eeID (Estonian Internet Foundation)',
	(options) => new EeIdSimulator(options),
	(baseUrl) => ({
		type: 'eeIdApi',
		name: 'eeID sandbox',
		data: { clientId: EEID_TEST_CLIENT.clientId, clientSecret: EEID_TEST_CLIENT.clientSecret, baseUrl },
	}),
);

export const simulators: SimulatorEntry[] = [eeIdEntry, itsmeEntry, idinEntry, idnowEntry];
