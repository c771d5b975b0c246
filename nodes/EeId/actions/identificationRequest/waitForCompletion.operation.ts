import {
	NodeOperationError,
	sleep,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { shapeOutput } from '../../../shared/output';
import type { Operation } from '../../../shared/router';
import { FINAL_STATUSES, normalizeEeIdRequest } from '../../normalize';
import { getIdentificationRequest } from '../../transport';
import type { EeIdIdentificationRequest } from '../../types';
import { assertRequestId } from '../../validation';
import { callSettings, optionsField, outputField, outputMode, requestIdField } from './fields';

const OPERATION = 'waitForCompletion';

export const description: INodeProperties[] = [
	requestIdField(OPERATION),
	outputField(OPERATION),
	optionsField(OPERATION, [
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollIntervalSeconds',
			type: 'number',
			typeOptions: { minValue: 0.05, numberPrecision: 2 },
			default: 5,
			description: 'How long to wait between two status checks',
		},
		{
			displayName: 'Wait Timeout (Seconds)',
			name: 'waitTimeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 300,
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
];

interface WaitOptions {
	pollIntervalSeconds?: number;
	waitTimeoutSeconds?: number;
	onTimeout?: 'error' | 'output';
}

export const operation: Operation = {
	kind: 'read',
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
		const id = assertRequestId(this.getNodeParameter('requestId', itemIndex));
		const options = this.getNodeParameter('options', itemIndex, {}) as WaitOptions;
		const intervalMs = (options.pollIntervalSeconds ?? 5) * 1000;
		const deadline = Date.now() + (options.waitTimeoutSeconds ?? 300) * 1000;
		const settings = callSettings(this, itemIndex, 'read');

		let request: EeIdIdentificationRequest = await getIdentificationRequest(this, id, settings);
		while (!FINAL_STATUSES.includes(request.status) && Date.now() + intervalMs <= deadline) {
			await sleep(intervalMs);
			request = await getIdentificationRequest(this, id, settings);
		}
		if (!FINAL_STATUSES.includes(request.status) && options.onTimeout !== 'output') {
			throw new NodeOperationError(this.getNode(), `Identification request ${id} is still ${request.status}`, {
				itemIndex,
				description: `It did not complete or expire within ${options.waitTimeoutSeconds ?? 300} s. Raise "Wait Timeout", choose "On Timeout: Output the Pending Request", or react to completion with the eeID Trigger.`,
			});
		}
		return { json: shapeOutput(outputMode(this, itemIndex), normalizeEeIdRequest(request)) };
	},
};
