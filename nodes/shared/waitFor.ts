/**
 * "Wait for …" operations: poll a provider until the thing is settled or a timeout, with the same options and
 * wording in every provider. Stopping the execution ends the wait at once (n8n's sleep rejects on the cancel signal).
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

const DEFAULT_INTERVAL_SECONDS = 5;
const DEFAULT_TIMEOUT_SECONDS = 300;

export interface WaitWording {
	/** What is waited for, e.g. 'identification request', 'person', 'transaction'. */
	thing: string;
	/** The option label for outputting the unfinished thing, e.g. 'Output the Pending Request'. */
	outputLabel: string;
	/** What to use for long waits, e.g. 'the eeID Trigger or a scheduled eeID Poll Trigger'. */
	longWaitAlternative: string;
}

interface WaitOptions {
	pollIntervalSeconds?: number;
	waitTimeoutSeconds?: number;
	onTimeout?: 'error' | 'output';
}

/** The wait options, for the operation's Options collection. */
export function waitOptionFields(wording: WaitWording): INodeProperties[] {
	return [
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollIntervalSeconds',
			type: 'number',
			typeOptions: { minValue: 0.05, numberPrecision: 2 },
			default: DEFAULT_INTERVAL_SECONDS,
			description: 'How long to wait between two status checks',
		},
		{
			displayName: 'Wait Timeout (Seconds)',
			name: 'waitTimeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: DEFAULT_TIMEOUT_SECONDS,
			description: `How long to wait before giving up. For waits of hours or days, use ${wording.longWaitAlternative} instead.`,
		},
		{
			displayName: 'On Timeout',
			name: 'onTimeout',
			type: 'options',
			default: 'error',
			options: [
				{ name: 'Fail', value: 'error', description: `Stop with an error naming the ${wording.thing}` },
				{ name: wording.outputLabel, value: 'output', description: 'Continue with what was read last' },
			],
		},
	];
}

export interface PollSpec<T> {
	itemIndex: number;
	/** Names the thing in the timeout error, e.g. its id. */
	id: string;
	read(): Promise<T>;
	isSettled(value: T): boolean;
	/** Called with every answer (e.g. to keep data a provider hands out only once). */
	onRead?(value: T): void;
	/** The last status, for the timeout error. */
	describe(value: T): string;
}

/**
 * Reads until the value is settled or the next read would come after the timeout; then returns the last value, or
 * throws when it is not settled and the user chose to fail on timeout.
 */
export async function pollUntilSettled<T>(ctx: IExecuteFunctions, wording: WaitWording, spec: PollSpec<T>): Promise<T> {
	const options = ctx.getNodeParameter('options', spec.itemIndex, {}) as WaitOptions;
	const intervalMs = (options.pollIntervalSeconds ?? DEFAULT_INTERVAL_SECONDS) * 1000;
	const timeoutSeconds = options.waitTimeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
	const deadline = Date.now() + timeoutSeconds * 1000;
	const cancelled = ctx.getExecutionCancelSignal();

	const readOnce = async () => {
		const value = await spec.read();
		spec.onRead?.(value);
		return value;
	};
	let value = await readOnce();
	while (!spec.isSettled(value) && Date.now() + intervalMs <= deadline) {
		await sleep(intervalMs, cancelled);
		value = await readOnce();
	}
	if (!spec.isSettled(value) && options.onTimeout !== 'output') {
		throw new NodeOperationError(ctx.getNode(), `The ${wording.thing} ${spec.id} is still ${spec.describe(value)}`, {
			itemIndex: spec.itemIndex,
			description: `It did not finish within ${timeoutSeconds} s. Raise "Wait Timeout", choose "On Timeout: ${wording.outputLabel}", or use ${wording.longWaitAlternative}.`,
		});
	}
	return value;
}
