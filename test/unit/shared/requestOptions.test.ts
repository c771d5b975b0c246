import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

import { TEST_NODE } from '../../harness/fakes';
import {
	DEFAULT_CONCURRENCY,
	DEFAULT_TIMEOUT_MS,
	optionsProperty,
	readRequestOptions,
	requestOptionFields,
} from '../../../nodes/shared/requestOptions';
import { DEFAULT_RETRY_POLICY } from '../../../nodes/shared/retry';

function optionsContext(options: Record<string, unknown>, collectionName = 'options') {
	return {
		getNode: () => TEST_NODE,
		getNodeParameter: (name: string, _itemIndex: number, fallback: unknown) => (name === collectionName ? options : fallback),
	} as unknown as Pick<IExecuteFunctions, 'getNode' | 'getNodeParameter'>;
}

describe('readRequestOptions', () => {
	it('defaults to 20 concurrent reads and 1 write at a time, the default retry policy and a 60 s timeout', () => {
		expect(readRequestOptions(optionsContext({}), 0, 'read')).toEqual({ itemIndex: 0, retry: {}, timeoutMs: 60_000, concurrency: 20 });
		expect(readRequestOptions(optionsContext({}), 4, 'write')).toEqual({ itemIndex: 4, retry: {}, timeoutMs: 60_000, concurrency: 1 });
		expect(DEFAULT_TIMEOUT_MS).toBe(60_000);
		expect(DEFAULT_CONCURRENCY).toEqual({ read: 20, write: 1 });
	});

	it('turns the options into a retry policy, a timeout and a concurrency, for the item', () => {
		const settings = readRequestOptions(
			optionsContext({ maxRetries: 2, maxRetryTimeSeconds: 30, timeoutSeconds: 15, concurrency: 3 }),
			7,
			'write',
		);

		expect(settings).toEqual({
			itemIndex: 7,
			retry: { maxAttempts: 3, maxTotalTimeMs: 30_000 },
			timeoutMs: 15_000,
			concurrency: 3,
		});
	});

	it('accepts numbers written as text and fractions where whole numbers are not required', () => {
		expect(readRequestOptions(optionsContext({ maxRetries: '2', timeoutSeconds: 1.5 }), 0, 'read')).toMatchObject({
			retry: { maxAttempts: 3 },
			timeoutMs: 1500,
		});
	});

	it('treats empty options as not set', () => {
		expect(readRequestOptions(optionsContext({ maxRetries: '', timeoutSeconds: null }), 0, 'read')).toMatchObject({
			retry: {},
			timeoutMs: DEFAULT_TIMEOUT_MS,
		});
	});

	it('accepts zero retries', () => {
		expect(readRequestOptions(optionsContext({ maxRetries: 0 }), 0, 'read').retry).toEqual({ maxAttempts: 1 });
	});

	it('reads another collection when named', () => {
		expect(readRequestOptions(optionsContext({ timeoutSeconds: 5 }, 'requestOptions'), 0, 'read', 'requestOptions').timeoutMs).toBe(5000);
	});

	it.each([
		[{ maxRetries: 11 }, 'The option "Max Retries" must be a whole number from 0 to 10'],
		[{ maxRetries: 1.5 }, 'The option "Max Retries" must be a whole number from 0 to 10'],
		[{ concurrency: 0 }, 'The option "Concurrency" must be a whole number from 1 to 50'],
		[{ concurrency: 51 }, 'The option "Concurrency" must be a whole number from 1 to 50'],
		[{ timeoutSeconds: 'soon' }, 'The option "Timeout (Seconds)" must be a number at least 1'],
		[{ maxRetryTimeSeconds: -5 }, 'The option "Max Retry Time (Seconds)" must be a number at least 1'],
	])('refuses %j with a clear error for the item', (options, message) => {
		const read = () => readRequestOptions(optionsContext(options), 2, 'read');

		expect(read).toThrow(NodeOperationError);
		expect(read).toThrow(message);
		try {
			read();
		} catch (error) {
			expect((error as NodeOperationError).context.itemIndex).toBe(2);
			expect((error as NodeOperationError).description).toMatch(/^Change "/);
		}
	});
});

describe('requestOptionFields', () => {
	it('offers exactly the options readRequestOptions reads', () => {
		expect(requestOptionFields.map((field) => field.name).sort()).toEqual(
			['concurrency', 'maxRetries', 'maxRetryTimeSeconds', 'timeoutSeconds'].sort(),
		);
	});

	it('shows the defaults that apply when an option is not set', () => {
		const defaults = Object.fromEntries(requestOptionFields.map((field) => [field.name, field.default]));

		expect(defaults).toEqual({
			concurrency: DEFAULT_CONCURRENCY.read,
			maxRetries: DEFAULT_RETRY_POLICY.maxAttempts - 1,
			maxRetryTimeSeconds: DEFAULT_RETRY_POLICY.maxTotalTimeMs / 1000,
			timeoutSeconds: DEFAULT_TIMEOUT_MS / 1000,
		});
	});
});

describe('optionsProperty', () => {
	it('is an "options" collection of the request options', () => {
		const property = optionsProperty();

		expect(property).toMatchObject({ displayName: 'Options', name: 'options', type: 'collection', default: {} });
		expect(property.options).toHaveLength(requestOptionFields.length);
	});

	it("adds an operation's own options and lists all of them alphabetically", () => {
		const property = optionsProperty([{ displayName: 'Language', name: 'language', type: 'string', default: '' }]);

		expect((property.options ?? []).map((option) => ('displayName' in option ? option.displayName : ''))).toEqual([
			'Concurrency',
			'Language',
			'Max Retries',
			'Max Retry Time (Seconds)',
			'Timeout (Seconds)',
		]);
	});
});
