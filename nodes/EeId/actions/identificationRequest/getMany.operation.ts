import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { shapeOutput } from '../../../shared/output';
import type { Operation } from '../../../shared/router';
import { normalizeEeIdRequest } from '../../normalize';
import { listIdentificationRequests } from '../../transport';
import { callSettings, optionsField, outputField, outputMode, showFor } from './fields';

const OPERATION = 'getMany';

export const description: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: showFor(OPERATION),
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...showFor(OPERATION).show, returnAll: [false] } },
	},
	outputField(OPERATION),
	optionsField(OPERATION),
];

export const operation: Operation = {
	kind: 'read',
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll ? Number.POSITIVE_INFINITY : (this.getNodeParameter('limit', itemIndex, 50) as number);
		const requests = await listIdentificationRequests(this, limit, callSettings(this, itemIndex, 'read'));
		const mode = outputMode(this, itemIndex);
		return requests.map((request) => ({ json: shapeOutput(mode, normalizeEeIdRequest(request)) }));
	},
};
