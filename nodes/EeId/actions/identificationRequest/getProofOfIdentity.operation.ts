import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { Operation } from '../../../shared/router';
import { downloadProofAsBinary } from '../../transport';
import { assertRequestId } from '../../validation';
import { callSettings, optionsField, requestIdField, showFor } from './fields';

const OPERATION = 'getProofOfIdentity';

export const description: INodeProperties[] = [
	requestIdField(OPERATION),
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the PDF in',
		displayOptions: showFor(OPERATION),
	},
	optionsField(OPERATION),
];

export const operation: Operation = {
	kind: 'read',
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
		const id = assertRequestId(this.getNodeParameter('requestId', itemIndex));
		const property = this.getNodeParameter('binaryPropertyName', itemIndex) as string;
		const binary = await downloadProofAsBinary(this, id, callSettings(this, itemIndex, 'read'));
		return {
			json: { transactionId: id, fileName: binary.fileName ?? `${id}.pdf`, fileSize: binary.fileSize ?? null },
			binary: { [property]: binary },
		};
	},
};
