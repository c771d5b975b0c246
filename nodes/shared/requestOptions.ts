/**
 * The node "Options" that tune provider calls (concurrency, retries, timeouts), each default stated once here,
 * and the per-item call settings read from them.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';

export type OperationKind = 'read' | 'write';

/**
 * The most requests at once. Reads are cheap to run side by side, and the adaptive limit (adaptiveConcurrency.ts)
 * sends fewer while the provider says "too many requests", so the read ceiling can be high. Changes go one at a
 * time unless the user says otherwise: they create things and are never repeated, so a refusal fails the item.
 */
export const DEFAULT_CONCURRENCY: Readonly<Record<OperationKind, number>> = Object.freeze({ read: 20, write: 1 });

export const DEFAULT_TIMEOUT_MS = 60_000;

const MAX_RETRIES_LIMIT = 10;
const MAX_CONCURRENCY = 50;

/** How one provider call is made: for which item, with which retries, for how long at most. */
export interface CallSettings {
	itemIndex?: number;
	retry?: Partial<RetryPolicy>;
	timeoutMs?: number;
}

// Identifiers, not expressions: n8n's lint reads a parameter's default only when it is a literal or a name.
const CONCURRENCY_OPTION_DEFAULT = DEFAULT_CONCURRENCY.read;
const MAX_RETRIES_DEFAULT = DEFAULT_RETRY_POLICY.maxAttempts - 1;
const MAX_RETRY_TIME_SECONDS_DEFAULT = DEFAULT_RETRY_POLICY.maxTotalTimeMs / 1000;
const TIMEOUT_SECONDS_DEFAULT = DEFAULT_TIMEOUT_MS / 1000;

/** Items of every action node's "Options" collection. */
export const requestOptionFields: INodeProperties[] = [
	{
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		default: CONCURRENCY_OPTION_DEFAULT,
		typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY, numberPrecision: 0 },
		description: `The most requests to send to the provider at the same time. Fewer are sent while the provider answers "too many requests", then more again as it keeps up. Without this option, reads go up to ${DEFAULT_CONCURRENCY.read} at a time and changes ${DEFAULT_CONCURRENCY.write} at a time.`,
	},
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		default: MAX_RETRIES_DEFAULT,
		typeOptions: { minValue: 0, maxValue: MAX_RETRIES_LIMIT, numberPrecision: 0 },
		description:
			'How often to repeat a read after a temporary server error, a dropped connection or a rate limit without a time to wait. A "too many requests" answer that says when to come back (Retry-After) is waited out within Max Retry Time and not counted here, unless this is 0. Requests that create something are never repeated.',
	},
	{
		displayName: 'Max Retry Time (Seconds)',
		name: 'maxRetryTimeSeconds',
		type: 'number',
		default: MAX_RETRY_TIME_SECONDS_DEFAULT,
		typeOptions: { minValue: 1 },
		description: 'Upper limit for one request including all its retries and the waits between them, waits for a rate limit included',
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeoutSeconds',
		type: 'number',
		default: TIMEOUT_SECONDS_DEFAULT,
		typeOptions: { minValue: 1 },
		description: 'How long to wait for the provider to answer a single request',
	},
];

/** The "Options" collection (parameter `options`) with these options, in this order. */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options };
}

/** The "Options" collection of an operation: its own options and the request options, alphabetically. */
export function optionsProperty(extra: INodeProperties[] = []): INodeProperties {
	return optionsCollection([...extra, ...requestOptionFields].sort((a, b) => a.displayName.localeCompare(b.displayName)));
}

export interface RequestSettings extends CallSettings {
	concurrency: number;
}

type OptionsContext = Pick<IExecuteFunctions, 'getNode' | 'getNodeParameter'>;

export function readRequestOptions(
	ctx: OptionsContext,
	itemIndex: number,
	kind: OperationKind,
	collectionName = 'options',
): RequestSettings {
	const options = ctx.getNodeParameter(collectionName, itemIndex, {}) as IDataObject;
	const read = (name: string, label: string, min: number, max: number, whole: boolean) =>
		readNumberOption(ctx, itemIndex, options[name], { label, min, max, whole });
	const maxRetries = read('maxRetries', 'Max Retries', 0, MAX_RETRIES_LIMIT, true);
	const maxRetryTimeSeconds = read('maxRetryTimeSeconds', 'Max Retry Time (Seconds)', 1, Infinity, false);
	const timeoutSeconds = read('timeoutSeconds', 'Timeout (Seconds)', 1, Infinity, false);
	const concurrency = read('concurrency', 'Concurrency', 1, MAX_CONCURRENCY, true);
	return {
		itemIndex,
		retry: {
			...(maxRetries !== undefined && { maxAttempts: maxRetries + 1 }),
			...(maxRetryTimeSeconds !== undefined && { maxTotalTimeMs: maxRetryTimeSeconds * 1000 }),
		},
		timeoutMs: timeoutSeconds === undefined ? DEFAULT_TIMEOUT_MS : timeoutSeconds * 1000,
		concurrency: concurrency ?? DEFAULT_CONCURRENCY[kind],
	};
}

function readNumberOption(
	ctx: OptionsContext,
	itemIndex: number,
	value: unknown,
	rule: { label: string; min: number; max: number; whole: boolean },
): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const number = typeof value === 'number' ? value : Number(value);
	const inRange = Number.isFinite(number) && number >= rule.min && number <= rule.max;
	if (inRange && (!rule.whole || Number.isInteger(number))) return number;
	const range = rule.max === Infinity ? `at least ${rule.min}` : `from ${rule.min} to ${rule.max}`;
	throw new NodeOperationError(ctx.getNode(), `The option "${rule.label}" must be ${rule.whole ? 'a whole number' : 'a number'} ${range}`, {
		itemIndex,
		description: `Change "${rule.label}" in the node's options (it is ${JSON.stringify(value)}).`,
	});
}
