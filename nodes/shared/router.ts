/**
 * Runs one operation over every input item: bounded concurrency, output in input order, pairedItem on every
 * output item, continueOnFail honoured, errors surfaced as NodeApiError/NodeOperationError with the item index.
 * The items' provider requests share one limit that adapts to the provider's "too many requests" answers.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { limitProviderConcurrency } from './adaptiveConcurrency';
import { InputError, toNodeOperationError } from './errors';
import { redactSecrets } from './redact';
import { DEFAULT_CONCURRENCY, type OperationKind } from './requestOptions';
import { isObject, messageOf } from './util';


export interface Operation {
	kind: OperationKind;
	execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData | INodeExecutionData[]>;
}

export interface RouteOptions {
	concurrency?: number;
}

type ItemOutcome = { ok: true; items: INodeExecutionData[] } | { ok: false; error: unknown };

interface ItemFailure {
	itemIndex: number;
	error: unknown;
}

export async function routeItems(
	this: IExecuteFunctions,
	operation: Operation,
	options: RouteOptions = {},
): Promise<INodeExecutionData[][]> {
	const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY[operation.kind];
	if (!Number.isInteger(concurrency) || concurrency < 1) {
		throw new NodeOperationError(this.getNode(), `Concurrency must be a whole number of at least 1, got ${concurrency}`, {
			description: 'Change the "Concurrency" option.',
		});
	}
	// Up to `concurrency` items run at once; their requests then wait for the adaptive limit (at most as many), so an
	// item that sleeps between polls or waits out a Retry-After holds no request slot.
	limitProviderConcurrency(this, concurrency);
	const itemCount = this.getInputData().length;
	const results: INodeExecutionData[][] = new Array(itemCount);
	const failures: ItemFailure[] = [];

	const runItem = async (itemIndex: number): Promise<boolean> => {
		const outcome = await executeItem(this, operation, itemIndex);
		if (outcome.ok) {
			results[itemIndex] = outcome.items;
		} else if (this.continueOnFail()) {
			results[itemIndex] = [errorItem(outcome.error, itemIndex)];
		} else {
			failures.push({ itemIndex, error: outcome.error });
			return false;
		}
		return true;
	};

	// The first item runs alone: its request is the one that makes n8n run the credential's preAuthentication
	// (fetch a short-lived token) and store the result. Items started next to it would each fetch their own token.
	if (itemCount > 0 && (await runItem(0))) {
		await runBounded(1, itemCount, concurrency, runItem);
	}
	if (failures.length > 0) {
		const first = failures.reduce((earliest, failure) => (failure.itemIndex < earliest.itemIndex ? failure : earliest));
		throw toNodeError(this, first.error, first.itemIndex);
	}
	return [results.flat()];
}

async function executeItem(ctx: IExecuteFunctions, operation: Operation, itemIndex: number): Promise<ItemOutcome> {
	try {
		const output = await operation.execute.call(ctx, itemIndex);
		const items = (Array.isArray(output) ? output : [output]).map((item) => ({
			...item,
			pairedItem: item.pairedItem ?? { item: itemIndex },
		}));
		return { ok: true, items };
	} catch (error) {
		return { ok: false, error };
	}
}

/** Runs task(from..to-1) with at most `limit` in flight; once a task reports a stop, no further task starts. */
async function runBounded(
	from: number,
	to: number,
	limit: number,
	task: (index: number) => Promise<boolean>,
): Promise<void> {
	let next = from;
	let stopped = false;
	const worker = async () => {
		while (!stopped && next < to) {
			const index = next++;
			if (!(await task(index))) stopped = true;
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, to - from) }, worker));
}

function errorItem(error: unknown, itemIndex: number): INodeExecutionData {
	const json: IDataObject = { error: redactSecrets(messageOf(error)) };
	if (error instanceof NodeApiError && error.httpCode) json.httpCode = error.httpCode;
	const description = error instanceof InputError ? error.fix : isObject(error) ? error.description : undefined;
	if (typeof description === 'string' && description !== '') json.description = redactSecrets(description);
	return { json, pairedItem: { item: itemIndex } };
}

function toNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex ??= itemIndex;
		return error;
	}
	if (error instanceof InputError) return toNodeOperationError(ctx.getNode(), error, itemIndex);
	// A plain error's message is all that is passed on: its other properties (a cause, a request) may hold secrets.
	return new NodeOperationError(ctx.getNode(), redactSecrets(messageOf(error)), { itemIndex });
}
