import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { executeResources, nodeProperties, nodeSubtitle } from '../shared/resources';
import { group } from './actions/group';
import { invite } from './actions/invite';
import { person } from './actions/person';
import { IDIN_CREDENTIAL, IDIN_ICON } from './constants';

/** Person first: its "Invite" is what the node opens with. */
const resources = [person, group, invite];

export class CmIdin implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CM iDIN',
		name: 'cmIdin',
		icon: IDIN_ICON,
		group: ['transform'],
		version: 1,
		subtitle: nodeSubtitle(resources),
		description: 'Invite people to identify with their Dutch bank through iDIN (CM.com iDIN invites)',
		defaults: { name: 'CM iDIN' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: IDIN_CREDENTIAL, required: true }],
		properties: nodeProperties(resources),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeResources.call(this, resources);
	}
}
