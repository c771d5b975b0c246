import type { OperationDefinition } from '../../../shared/resources';
import { optionsProperty } from '../../../shared/requestOptions';
import { requestSign as startSigning } from '../../transport';
import { orderIdField, readOrderId } from '../fields';

export const requestSign: OperationDefinition = {
	value: 'requestSign',
	name: 'Request Sign',
	action: 'Start signing an order',
	description: 'Start signing an identified eSign order on your side: IDnow sends the signee a TAN by SMS',
	kind: 'write',
	properties: [
		{
			displayName:
				'Customer-side signing (chapter 5) must be enabled for the account by IDnow. Then: Request Sign → the signee receives a TAN → Confirm Sign with it.',
			name: 'requestSignNotice',
			type: 'notice',
			default: '',
		},
		orderIdField,
		optionsProperty(),
	],
	async execute(itemIndex, call) {
		const orderId = readOrderId(this, itemIndex);
		await startSigning(this, orderId, call);
		return { json: { OrderID: orderId, signingStarted: true } };
	},
};
