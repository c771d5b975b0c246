import type { OperationDefinition } from '../../../shared/resources';
import { optionsProperty } from '../../../shared/requestOptions';
import { downloadProofOfIdentity } from '../../transport';
import { assertRequestId } from '../../validation';
import { requestIdField } from './fields';

export const getProofOfIdentity: OperationDefinition = {
	value: 'getProofOfIdentity',
	name: 'Get Proof of Identity',
	action: 'Get the proof of identity PDF',
	description: 'Download the proof-of-identity PDF of a completed request',
	kind: 'read',
	properties: [
		requestIdField,
		{
			displayName: 'Put Output File in Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			hint: 'The name of the output binary field to put the PDF in',
		},
		optionsProperty(),
	],
	async execute(itemIndex, call) {
		const id = assertRequestId(this.getNodeParameter('requestId', itemIndex));
		const property = this.getNodeParameter('binaryPropertyName', itemIndex) as string;
		const binary = await downloadProofOfIdentity(this, id, call);
		return {
			json: { transactionId: id, fileName: binary.fileName ?? `${id}.pdf`, fileSize: binary.fileSize ?? null },
			binary: { [property]: binary },
		};
	},
};
