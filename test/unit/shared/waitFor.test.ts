import type { IExecuteFunctions, INode } from 'n8n-workflow';

import { pollUntilSettled, waitOptionFields, type WaitWording } from '../../../nodes/shared/waitFor';

const wording: WaitWording = { thing: 'order', outputLabel: 'Output the Open Order', longWaitAlternative: 'a trigger' };
const node = { name: 'Wait', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;

function contextWith(options: Record<string, unknown>, signal?: AbortSignal): IExecuteFunctions {
	return {
		getNode: () => node,
		getNodeParameter: (_name: string, _index: number, fallback: unknown) => options ?? fallback,
		getExecutionCancelSignal: () => signal,
	} as unknown as IExecuteFunctions;
}

describe('pollUntilSettled', () => {
	it('reads until settled, handing every answer to onRead', async () => {
		const answers = ['open', 'open', 'done'];
		const seen: string[] = [];
		const value = await pollUntilSettled(contextWith({ pollIntervalSeconds: 0.01, waitTimeoutSeconds: 5 }), wording, {
			itemIndex: 0,
			id: 'o-1',
			read: async () => answers.shift()!,
			isSettled: (status) => status === 'done',
			onRead: (status) => seen.push(status),
			describe: (status) => status,
		});
		expect(value).toBe('done');
		expect(seen).toEqual(['open', 'open', 'done']);
	});

	it('fails after the timeout naming the thing and what to change, or returns the last answer when asked to', async () => {
		const spec = { itemIndex: 0, id: 'o-2', read: async () => 'open', isSettled: () => false, describe: (status: string) => status };
		await expect(pollUntilSettled(contextWith({ pollIntervalSeconds: 0.01, waitTimeoutSeconds: 0.03 }), wording, spec)).rejects.toMatchObject({
			message: 'The order o-2 is still open',
			description: 'It did not finish within 0.03 s. Raise "Wait Timeout", choose "On Timeout: Output the Open Order", or use a trigger.',
		});
		await expect(
			pollUntilSettled(contextWith({ pollIntervalSeconds: 0.01, waitTimeoutSeconds: 0.03, onTimeout: 'output' }), wording, spec),
		).resolves.toBe('open');
	});

	it('ends at once when the execution is stopped', async () => {
		const stop = new AbortController();
		let reads = 0;
		const waiting = pollUntilSettled(contextWith({ pollIntervalSeconds: 600, waitTimeoutSeconds: 3600 }, stop.signal), wording, {
			itemIndex: 0,
			id: 'o-3',
			read: async () => {
				reads++;
				return 'open';
			},
			isSettled: () => false,
			describe: (status) => status,
		});
		await new Promise((resolve) => setImmediate(resolve));
		stop.abort();
		await expect(waiting).rejects.toBeDefined();
		expect(reads).toBe(1);
	});

	it('offers the options with the provider wording', () => {
		const fields = waitOptionFields(wording);
		expect(fields.map((field) => field.name)).toEqual(['pollIntervalSeconds', 'waitTimeoutSeconds', 'onTimeout']);
		expect(fields[1].description).toContain('use a trigger instead');
	});
});
