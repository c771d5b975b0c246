import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../../../shared/router';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as getProofOfIdentity from './getProofOfIdentity.operation';
import * as waitForCompletion from './waitForCompletion.operation';
import { RESOURCE } from './fields';

export const operations: Record<string, Operation> = {
	create: create.operation,
	get: get.operation,
	getMany: getMany.operation,
	getProofOfIdentity: getProofOfIdentity.operation,
	waitForCompletion: waitForCompletion.operation,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [RESOURCE] } },
		default: 'create',
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create an identification request',
				description: 'Ask a person to identify with their eID; returns the link to send them',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get an identification request',
				description: 'Read the status and, once completed, the verified identity',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get many identification requests',
				description: 'List the identification requests of this eeID service',
			},
			{
				name: 'Get Proof of Identity',
				value: 'getProofOfIdentity',
				action: 'Get the proof of identity PDF',
				description: 'Download the proof-of-identity PDF of a completed request',
			},
			{
				name: 'Wait for Completion',
				value: 'waitForCompletion',
				action: 'Wait for an identification request to complete',
				description: 'Poll until the request is completed or expired, or until a timeout',
			},
		],
	},
	...create.description,
	...get.description,
	...getMany.description,
	...getProofOfIdentity.description,
	...waitForCompletion.description,
];
