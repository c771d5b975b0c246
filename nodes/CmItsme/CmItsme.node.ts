import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { executeResources, nodeProperties, nodeSubtitle } from '../shared/resources';
import { transaction } from './actions/transaction';
import { ITSME_CREDENTIAL, ITSME_CREDENTIAL_TEST, ITSME_ICON } from './constants';
import { testMerchantToken } from './credentialTest';

const resources = [transaction];

export class CmItsme implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CM itsme',
		name: 'cmItsme',
		icon: ITSME_ICON,
		group: ['transform'],
		version: 1,
		subtitle: nodeSubtitle(resources),
		description: 'Identify people with their Belgian itsme mobile identity through CM.com',
		defaults: { name: 'CM itsme' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: ITSME_CREDENTIAL, required: true, testedBy: ITSME_CREDENTIAL_TEST }],
		properties: nodeProperties(resources),
	};

	methods = { credentialTest: { [ITSME_CREDENTIAL_TEST]: testMerchantToken } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeResources.call(this, resources);
	}
}
