import type { OperationDefinition } from '../../../shared/resources';
import { outputMode, outputModeProperty } from '../../../shared/output';
import { optionsProperty } from '../../../shared/requestOptions';
import { getTransactionStatus } from '../../transport';
import { checkTransactionToken } from '../../validation';
import { statusItem, transactionTokenField } from './fields';

export const getStatus: OperationDefinition = {
	value: 'getStatus',
	name: 'Get Status',
	action: 'Get the status of a transaction',
	description:
		"Read the status and, the first time after success, the person's data (itsme hands it out only once)",
	kind: 'read',
	properties: [
		{
			displayName:
				"itsme hands the person's data out only once: the first status read after success has it, later reads say success without it (status review). Keep this node's output.",
			name: 'onceNotice',
			type: 'notice',
			default: '',
		},
		transactionTokenField,
		outputModeProperty,
		optionsProperty(),
	],
	async execute(itemIndex, call) {
		const transactionToken = checkTransactionToken(this.getNodeParameter('transactionToken', itemIndex));
		const answer = await getTransactionStatus(this, transactionToken, call);
		return statusItem(answer, transactionToken, outputMode(this, itemIndex));
	},
};
