import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { executeResources, nodeProperties, nodeSubtitle } from '../shared/resources';
import { identification } from './actions/identification';
import { order } from './actions/order';
import { part2Resources } from './actions/part2';
import { IDNOW_CREDENTIAL, IDNOW_ICON } from './constants';

const resources = [order, identification, ...part2Resources];

export class Idnow implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'IDnow',
		name: 'idnow',
		icon: IDNOW_ICON,
		group: ['transform'],
		version: 1,
		subtitle: nodeSubtitle(resources),
		description: 'Identify people by video, eID or autoID and fetch their results through IDnow identity.TM',
		defaults: { name: 'IDnow' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: IDNOW_CREDENTIAL, required: true }],
		properties: nodeProperties(resources),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeResources.call(this, resources);
	}
}
