import type { OperationDefinition } from '../../../shared/resources';
import { outputMode, outputModeProperty } from '../../../shared/output';
import { optionsProperty } from '../../../shared/requestOptions';
import { getIdentificationRequest } from '../../transport';
import { assertRequestId } from '../../validation';
import { requestIdField, requestItem } from './fields';

export const get: OperationDefinition = {
	value: 'get',
	name: 'Get',
	action: 'Get an identification request',
	description: 'Read the status and, once completed, the identity and whether it matched the claims',
	kind: 'read',
	properties: [requestIdField, outputModeProperty, optionsProperty()],
	async execute(itemIndex, call) {
		const id = assertRequestId(this.getNodeParameter('requestId', itemIndex));
		const request = await getIdentificationRequest(this, id, call);
		return requestItem(request, outputMode(this, itemIndex));
	},
};
