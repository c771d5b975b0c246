import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { InputError } from '../../../nodes/shared/errors';
import type { OperationKind } from '../../../nodes/shared/requestOptions';
import { routeItems, type Operation } from '../../../nodes/shared/router';
import { TEST_NODE } from '../../harness/fakes';

function executeContext(itemCount: number, continueOnFail = false): IExecuteFunctions {
	return {
		getInputData: () => Array.from({ length: itemCount }, (_, index) => ({ json: { index } })),
		getNode: () => TEST_NODE,
		continueOnFail: () => continueOnFail,
	} as unknown as IExecuteFunctions;
}

interface Gate {
	promise: Promise<void>;
	open(): void;
}

function gate(): Gate {
	let open!: () => void;
	const promise = new Promise<void>((resolve) => (open = resolve));
	return { promise, open };
}

/** Lets every pending promise callback run; no timers involved. */
async function settle(): Promise<void> {
	for (let turn = 0; turn < 10; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** An operation whose items each wait for their own gate, recording starts and the peak number in flight. */
function gatedOperation(kind: OperationKind, itemCount: number) {
	const gates = Array.from({ length: itemCount }, gate);
	const started: number[] = [];
	let inFlight = 0;
	let peak = 0;
	const operation: Operation = {
		kind,
		async execute(itemIndex) {
			started.push(itemIndex);
			peak = Math.max(peak, ++inFlight);
			await gates[itemIndex].promise;
			inFlight--;
			return { json: { result: itemIndex } };
		},
	};
	return { operation, gates, started, peak: () => peak };
}

/** An operation that finishes on its own after a few event-loop turns. */
function quickOperation(kind: OperationKind) {
	let inFlight = 0;
	let peak = 0;
	const operation: Operation = {
		kind,
		async execute(itemIndex) {
			peak = Math.max(peak, ++inFlight);
			await settle();
			inFlight--;
			return { json: { result: itemIndex } };
		},
	};
	return { operation, peak: () => peak };
}

const results = (output: INodeExecutionData[][]) => output[0].map((item) => item.json.result);

describe('routeItems', () => {
	it('keeps input order when items finish out of order', async () => {
		const { operation, gates, started, peak } = gatedOperation('read', 6);
		const run = routeItems.call(executeContext(6), operation, { concurrency: 3 });

		await settle();
		gates[0].open();
		await settle();
		expect(started).toEqual([0, 1, 2, 3]);
		gates[3].open();
		await settle();
		gates[2].open();
		await settle();
		expect(started).toEqual([0, 1, 2, 3, 4, 5]);
		for (const index of [5, 4, 1]) gates[index].open();
		const output = await run;

		expect(results(output)).toEqual([0, 1, 2, 3, 4, 5]);
		expect(output[0].map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4, 5].map((item) => ({ item })));
		expect(peak()).toBe(3);
	});

	it('runs the first item alone before the others start', async () => {
		const { operation, gates, started } = gatedOperation('read', 5);
		const run = routeItems.call(executeContext(5), operation, { concurrency: 5 });

		await settle();
		expect(started).toEqual([0]);
		gates[0].open();
		await settle();
		expect(started).toEqual([0, 1, 2, 3, 4]);
		gates.forEach((itemGate) => itemGate.open());
		await run;
	});

	it('so a token fetched by the first item is reused by all the others', async () => {
		let token: string | undefined;
		let fetches = 0;
		const getToken = async () => {
			if (!token) {
				fetches++;
				await settle();
				token = `token-${fetches}`;
			}
			return token;
		};
		const operation: Operation = { kind: 'read', execute: async () => ({ json: { token: await getToken() } }) };

		const output = await routeItems.call(executeContext(8), operation);

		expect(fetches).toBe(1);
		expect(output[0].map((item) => item.json.token)).toEqual(Array(8).fill('token-1'));
	});

	it('runs reads 20 at a time by default', async () => {
		const { operation, peak } = quickOperation('read');
		await routeItems.call(executeContext(30), operation);
		expect(peak()).toBe(20);
	});

	it('runs writes one at a time by default', async () => {
		const { operation, peak } = quickOperation('write');
		await routeItems.call(executeContext(6), operation);
		expect(peak()).toBe(1);
	});

	it('lets the concurrency option override the default', async () => {
		const { operation, peak } = quickOperation('write');
		await routeItems.call(executeContext(6), operation, { concurrency: 2 });
		expect(peak()).toBe(2);
	});

	it('pairs every output item with its input item, keeping a pairing the operation set', async () => {
		const operation: Operation = {
			kind: 'read',
			execute: async (itemIndex) =>
				itemIndex === 1
					? [{ json: { part: 'a' } }, { json: { part: 'b' } }]
					: { json: { part: 'own' }, pairedItem: { item: itemIndex, input: 0 } },
		};

		const output = await routeItems.call(executeContext(3), operation);

		expect(output[0]).toEqual([
			{ json: { part: 'own' }, pairedItem: { item: 0, input: 0 } },
			{ json: { part: 'a' }, pairedItem: { item: 1 } },
			{ json: { part: 'b' }, pairedItem: { item: 1 } },
			{ json: { part: 'own' }, pairedItem: { item: 2, input: 0 } },
		]);
	});

	it('returns one empty output for no input', async () => {
		const { operation } = quickOperation('read');
		await expect(routeItems.call(executeContext(0), operation)).resolves.toEqual([[]]);
	});

	it('refuses a concurrency below 1', async () => {
		const { operation } = quickOperation('read');
		await expect(routeItems.call(executeContext(2), operation, { concurrency: 0 })).rejects.toThrow(
			new NodeOperationError(TEST_NODE, 'Concurrency must be a whole number of at least 1, got 0'),
		);
	});

	describe('with "Continue On Fail"', () => {
		const failing = (error: unknown): Operation => ({
			kind: 'read',
			execute: async (itemIndex) => {
				if (itemIndex === 1) throw error;
				return { json: { result: itemIndex } };
			},
		});

		it('turns a provider error into an error item with its status and hint', async () => {
			const error = new NodeApiError(TEST_NODE, { message: 'not found' }, {
				message: 'eeID: Identification request not found',
				description: 'Check the ID.',
				httpCode: '404',
			});

			const output = await routeItems.call(executeContext(3, true), failing(error));

			expect(output[0]).toEqual([
				{ json: { result: 0 }, pairedItem: { item: 0 } },
				{
					json: { error: 'eeID: Identification request not found', httpCode: '404', description: 'Check the ID.' },
					pairedItem: { item: 1 },
				},
				{ json: { result: 2 }, pairedItem: { item: 2 } },
			]);
		});

		it('uses an input error fix as description', async () => {
			const output = await routeItems.call(executeContext(2, true), failing(new InputError('Reference is too long', 'Use at most 255 characters.')));

			expect(output[0][1].json).toEqual({ error: 'Reference is too long', description: 'Use at most 255 characters.' });
		});

		it('redacts secrets from the error item', async () => {
			const output = await routeItems.call(executeContext(2, true), failing(new Error('request with Bearer abc.def.ghi failed')));

			expect(output[0][1].json).toEqual({ error: 'request with Bearer [redacted] failed' });
		});
	});

	describe('without "Continue On Fail"', () => {
		const failingAt = (failIndex: number, error: unknown) => {
			const started: number[] = [];
			const operation: Operation = {
				kind: 'write',
				execute: async (itemIndex) => {
					started.push(itemIndex);
					if (itemIndex === failIndex) throw error;
					return { json: {} };
				},
			};
			return { operation, started };
		};

		it('rethrows a provider error as it is, with the item index', async () => {
			const error = new NodeApiError(TEST_NODE, {}, { message: 'eeID: bad claims', httpCode: '422' });
			const { operation } = failingAt(1, error);

			const thrown = await routeItems.call(executeContext(3), operation).catch((reason: unknown) => reason);

			expect(thrown).toBe(error);
			expect(error.context.itemIndex).toBe(1);
		});

		it('keeps the item index an error already names', async () => {
			const error = new NodeOperationError(TEST_NODE, 'bad', { itemIndex: 7 });
			const { operation } = failingAt(0, error);

			await expect(routeItems.call(executeContext(1), operation)).rejects.toBe(error);
			expect(error.context.itemIndex).toBe(7);
		});

		it('wraps a plain error into a redacted NodeOperationError for the item', async () => {
			const { operation } = failingAt(2, new TypeError('cannot read token=abc123'));

			const thrown = (await routeItems.call(executeContext(3), operation).catch((reason: unknown) => reason)) as NodeOperationError;

			expect(thrown).toBeInstanceOf(NodeOperationError);
			expect(thrown.message).toBe('cannot read token=[redacted]');
			expect(thrown.context.itemIndex).toBe(2);
			expect(JSON.stringify(thrown)).not.toContain('abc123');
		});

		it('turns an input error into a NodeOperationError that says what to change', async () => {
			const { operation } = failingAt(0, new InputError('Birth date "31.02.1990" is not a date', 'Use YYYY-MM-DD.'));

			const thrown = (await routeItems.call(executeContext(1), operation).catch((reason: unknown) => reason)) as NodeOperationError;

			expect(thrown).toBeInstanceOf(NodeOperationError);
			expect(thrown.message).toBe('Birth date "31.02.1990" is not a date');
			expect(thrown.description).toBe('Use YYYY-MM-DD.');
			expect(thrown.context.itemIndex).toBe(0);
		});

		it('starts no further item after a failure', async () => {
			const { operation, started } = failingAt(1, new Error('boom'));

			await expect(routeItems.call(executeContext(5), operation)).rejects.toThrow('boom');

			expect(started).toEqual([0, 1]);
		});

		it('reports the earliest failing item when several in flight fail', async () => {
			const operation: Operation = {
				kind: 'read',
				execute: async (itemIndex) => {
					await settle();
					if (itemIndex >= 2) throw new Error(`item ${itemIndex} failed`);
					return { json: {} };
				},
			};

			const thrown = (await routeItems.call(executeContext(6), operation).catch((reason: unknown) => reason)) as NodeOperationError;

			expect(thrown.message).toBe('item 2 failed');
			expect(thrown.context.itemIndex).toBe(2);
		});
	});
});
