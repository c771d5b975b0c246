import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { readRequestOptions } from '../shared/transport';
import { routeItems } from '../shared/router';
import * as identificationRequest from './actions/identificationRequest';

export class EeId implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'eeID',
		name: 'eeId',
		icon: { light: 'file:../../icons/eeid.svg', dark: 'file:../../icons/eeid.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ {create: "Create", get: "Get", getMany: "Get Many", getProofOfIdentity: "Get Proof of Identity", waitForCompletion: "Wait for Completion"}[$parameter["operation"]] }}',
		description: 'Identify people with their Estonian or European eID through eeID (Estonian Internet Foundation)',
		defaults: { name: 'eeID' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'eeIdApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Identification Request', value: 'identificationRequest' }],
				default: 'identificationRequest',
			},
			...identificationRequest.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = identificationRequest.operations[this.getNodeParameter('operation', 0) as string];
		const { concurrency } = readRequestOptions(this, 0, operation.kind);
		return await routeItems.call(this, operation, { concurrency });
	}
}
