/**
 * Items routed through routeItems and providerRequest, as every action node runs them, against a sandbox that serves
 * at most 3 requests of one client at a time and answers the next one 429 with Retry-After, as real APIs do.
 * Waits run on a fake clock, so Retry-After: 1 costs no time.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { CredentialStore, fakeClock, runExecute, testCredentialType, type FakeClock } from '../../harness';
import { jsonResponse } from '../../sandbox/http';
import { SandboxServer } from '../../sandbox/framework';
import { providerRequest } from '../../../nodes/shared/request';
import { routeItems } from '../../../nodes/shared/router';

const CREDENTIAL = 'rateLimitedTestApi';
const MAX_IN_FLIGHT = 3;
const ITEMS = 40;

let sandbox: SandboxServer;
beforeEach(async () => {
	sandbox = new SandboxServer({ name: 'rate-limited' }).route('GET', '/records/:id', (request) =>
		jsonResponse(200, { id: request.params.id }),
	);
	await sandbox.start();
	sandbox.setLatency(5);
});
afterEach(async () => await sandbox.stop());

/** A node that reads /records/<item index> for every item, the way the package's action nodes do. */
function recordReader(clock: FakeClock, options: { concurrency?: number } = {}): INodeType {
	return {
		description: {
			displayName: 'Record Reader',
			name: 'recordReader',
			group: ['transform'],
			version: 1,
			description: 'Reads one record per item',
			defaults: { name: 'Record Reader' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: CREDENTIAL, required: true }],
			properties: [],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const operation = {
				kind: 'read' as const,
				async execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
					const response = await providerRequest(
						this,
						{ provider: 'Records', credentialType: CREDENTIAL, clock, itemIndex },
						{ method: 'GET', url: `${sandbox.baseUrl}/records/${itemIndex}`, json: true },
					);
					return { json: response.body as INodeExecutionData['json'] };
				},
			};
			return await routeItems.call(this, operation, { concurrency: options.concurrency });
		},
	};
}

async function readAll(clock: FakeClock, options: Parameters<typeof recordReader>[1] = {}) {
	let tokens = 0;
	const type = testCredentialType({ name: CREDENTIAL, auth: 'bearer', mintToken: () => `token-${++tokens}-c0ffee` });
	const credentials = new CredentialStore([{ type, data: { clientId: 'client-1', clientSecret: 'secret-1' } }]);
	const items = Array.from({ length: ITEMS }, (_, index) => ({ json: { index } }));
	const { output } = await runExecute(recordReader(clock, options), { parameters: {}, credentials, items });
	return { output: output[0], tokens: credentials.preAuthenticationCount(CREDENTIAL) };
}

const refusedPositions = () =>
	sandbox
		.requests()
		.map((request, position) => (request.rateLimited ? position : -1))
		.filter((position) => position >= 0);

describe('provider requests under a provider limit of 3 in flight', () => {
	it('adapt at the default concurrency: every item succeeds, refusals only at the start, one token', async () => {
		sandbox.setRateLimit({ maxInFlight: MAX_IN_FLIGHT, retryAfterSeconds: 1 });
		const clock = fakeClock();

		const { output, tokens } = await readAll(clock);

		expect(output.map((item) => item.json.id)).toEqual(Array.from({ length: ITEMS }, (_, index) => String(index)));
		expect(tokens).toBe(1);
		const { rejected, peakInFlight } = sandbox.rateLimitState();
		expect(peakInFlight).toBeLessThanOrEqual(MAX_IN_FLIGHT);
		expect(rejected).toBeGreaterThan(0);
		// Each refused request was repeated after exactly the Retry-After the sandbox asked for.
		expect(sandbox.countRequests({ method: 'GET' })).toBe(ITEMS + rejected);
		expect(clock.sleeps).toEqual(Array(rejected).fill(1000));
		// Refused requests went out before the first refusal came back (at most the opening 5, plus the ones sent as
		// answers freed slots); after it, the limit stayed below the refused level.
		expect(Math.max(...refusedPositions())).toBeLessThan(15);
	});

	it('stay within the limit after a Retry-After of 0 too, retrying at once', async () => {
		sandbox.setRateLimit({ maxInFlight: MAX_IN_FLIGHT, retryAfterSeconds: 0 });
		const clock = fakeClock();

		const { output } = await readAll(clock);

		expect(output).toHaveLength(ITEMS);
		const { rejected } = sandbox.rateLimitState();
		expect(sandbox.countRequests({ method: 'GET' })).toBe(ITEMS + rejected);
		expect(clock.sleeps).toEqual(Array(rejected).fill(0));
		expect(Math.max(-1, ...refusedPositions())).toBeLessThan(15);
	});

	it('never send more at once than a Concurrency below the provider limit allows, so nothing is refused', async () => {
		sandbox.setRateLimit({ maxInFlight: MAX_IN_FLIGHT, retryAfterSeconds: 1 });

		const { output } = await readAll(fakeClock(), { concurrency: 2 });

		expect(output).toHaveLength(ITEMS);
		expect(sandbox.rateLimitState().rejected).toBe(0);
		expect(sandbox.rateLimitState().peakInFlight).toBeLessThanOrEqual(2);
	});
});
