import type { OperationDefinition } from '../../../shared/resources';
import { outputMode, outputModeProperty } from '../../../shared/output';
import { optionsProperty } from '../../../shared/requestOptions';
import { pollUntilSettled, waitOptionFields, type WaitWording } from '../../../shared/waitFor';
import { isSettled } from '../../normalize';
import { getIdentificationRequest } from '../../transport';
import { assertRequestId } from '../../validation';
import { requestIdField, requestItem } from './fields';

const wording: WaitWording = {
	thing: 'identification request',
	outputLabel: 'Output the Pending Request',
	longWaitAlternative: 'the eeID Trigger or a scheduled eeID Poll Trigger',
};

export const waitForCompletion: OperationDefinition = {
	value: 'waitForCompletion',
	name: 'Wait for Completion',
	action: 'Wait for an identification request to complete',
	description: 'Poll until the request is completed or expired, or until a timeout',
	kind: 'read',
	properties: [requestIdField, outputModeProperty, optionsProperty(waitOptionFields(wording))],
	async execute(itemIndex, call) {
		const id = assertRequestId(this.getNodeParameter('requestId', itemIndex));
		const request = await pollUntilSettled(this, wording, {
			itemIndex,
			id,
			read: async () => await getIdentificationRequest(this, id, call),
			isSettled,
			describe: (current) => String(current.status),
		});
		return requestItem(request, outputMode(this, itemIndex));
	},
};
