import { NodeOperationError, sleep } from 'n8n-workflow';

import type { OperationDefinition } from '../../../shared/resources';
import { outputMode, outputModeProperty } from '../../../shared/output';
import { optionsProperty } from '../../../shared/requestOptions';
import { isSettled } from '../../normalize';
import { getIdentificationRequest } from '../../transport';
import type { EeIdIdentificationRequest } from '../../types';
import { assertRequestId } from '../../validation';
import { requestIdField, requestItem } from './fields';

const DEFAULT_INTERVAL_SECONDS = 5;
const DEFAULT_TIMEOUT_SECONDS = 300;

interface WaitOptions {
	pollIntervalSeconds?: number;
	waitTimeoutSeconds?: number;
	onTimeout?: 'error' | 'output';
}

export const waitForCompletion: OperationDefinition = {
	value: 'waitForCompletion',
	name: 'Wait for Completion',
	action: 'Wait for an identification request to complete',
	description: 'Poll until the request is completed or expired, or until a timeout',
	kind: 'read',
	properties: [
		requestIdField,
		outputModeProperty,
		optionsProperty([
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
				description:
					'How long to wait for the person before giving up. For waits of hours or days, use the eeID Trigger or a scheduled eeID Poll Trigger instead.',
			},
			{
				displayName: 'On Timeout',
				name: 'onTimeout',
				type: 'options',
				default: 'error',
				options: [
					{ name: 'Fail', value: 'error', description: 'Stop with an error naming the request' },
					{ name: 'Output the Pending Request', value: 'output', description: 'Continue with status pending' },
				],
			},
		]),
	],
	async execute(itemIndex, call) {
		const id = assertRequestId(this.getNodeParameter('requestId', itemIndex));
		const options = this.getNodeParameter('options', itemIndex, {}) as WaitOptions;
		const intervalMs = (options.pollIntervalSeconds ?? DEFAULT_INTERVAL_SECONDS) * 1000;
		const timeoutSeconds = options.waitTimeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
		const deadline = Date.now() + timeoutSeconds * 1000;
		const cancelled = this.getExecutionCancelSignal();

		let request: EeIdIdentificationRequest = await getIdentificationRequest(this, id, call);
		while (!isSettled(request) && Date.now() + intervalMs <= deadline) {
			await sleep(intervalMs, cancelled);
			request = await getIdentificationRequest(this, id, call);
		}
		if (!isSettled(request) && options.onTimeout !== 'output') {
			throw new NodeOperationError(this.getNode(), `Identification request ${id} is still ${request.status}`, {
				itemIndex,
				description: `It did not complete or expire within ${timeoutSeconds} s. Raise "Wait Timeout", choose "On Timeout: Output the Pending Request", or react to completion with the eeID Trigger.`,
			});
		}
		return requestItem(request, outputMode(this, itemIndex));
	},
};
