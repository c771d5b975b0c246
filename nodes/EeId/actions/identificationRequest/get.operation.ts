import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { shapeOutput } from '../../../shared/output';
import type { Operation } from '../../../shared/router';
import { normalizeEeIdRequest } from '../../normalize';
import { getIdentificationRequest } from '../../transport';
import { assertRequestId } from '../../validation';
import { callSettings, optionsField, outputField, outputMode, requestIdField } from './fields';

const OPERATION = 'get';

export const description: INodeProperties[] = [
	requestIdField(OPERATION),
	outputField(OPERATION),
	optionsField(OPERATION),
];

export const operation: Operation = {
	kind: 'read',
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
		const id = assertRequestId(this.getNodeParameter('requestId', itemIndex));
		const request = await getIdentificationRequest(this, id, callSettings(this, itemIndex, 'read'));
		return { json: shapeOutput(outputMode(this, itemIndex), normalizeEeIdRequest(request)) };
	},
};
