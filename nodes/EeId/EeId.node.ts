import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { executeResources, nodeProperties, nodeSubtitle } from '../shared/resources';
import { identificationRequest } from './actions/identificationRequest';
import { EEID_CREDENTIAL, EEID_ICON } from './constants';

const resources = [identificationRequest];

export class EeId implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'eeID',
		name: 'eeId',
		icon: EEID_ICON,
		group: ['transform'],
		version: 1,
		subtitle: nodeSubtitle(resources),
		description: 'Identify people with their Estonian or European eID through eeID (Estonian Internet Foundation)',
		defaults: { name: 'eeID' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: EEID_CREDENTIAL, required: true }],
		properties: nodeProperties(resources),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeResources.call(this, resources);
	}
}
