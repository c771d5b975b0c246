/**
 * Plain stand-ins for unit tests that call shared code directly instead of through n8n-core: a node to name in
 * errors, and a retry clock under the test's control.
 */
import type { INode } from 'n8n-workflow';

/** The node a hand-made context reports from `getNode()`. */
export const TEST_NODE: INode = {
	id: 'node-1',
	name: 'Identity Test',
	type: 'n8n-nodes-identity-verification.test',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export interface FakeClock {
	/** Every wait asked for, in order. */
	sleeps: number[];
	now(): number;
	sleep(ms: number): Promise<void>;
	random(): number;
	advance(ms: number): void;
}

/** A RetryClock whose sleeping advances time instantly and is recorded; `random` is fixed. */
export function fakeClock(random = 0.5): FakeClock {
	let now = 1_700_000_000_000;
	const sleeps: number[] = [];
	return {
		sleeps,
		now: () => now,
		sleep: async (ms: number) => {
			sleeps.push(ms);
			now += ms;
		},
		random: () => random,
		advance: (ms: number) => {
			now += ms;
		},
	};
}
