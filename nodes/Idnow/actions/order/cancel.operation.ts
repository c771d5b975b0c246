import type { OperationDefinition } from '../../../shared/resources';
import { optionsProperty } from '../../../shared/requestOptions';
import { cancelOrder } from '../../transport';
import { orderIdField, readOrderId } from '../fields';

export const cancel: OperationDefinition = {
	value: 'cancel',
	name: 'Cancel',
	action: 'Cancel an order',
	description: 'Stop an open order (status 63): the person can no longer identify or sign with it',
	kind: 'write',
	properties: [
		{
			displayName:
				'Cancel orders that are still open. Once OnFinal has come, delete the result with Identification → Delete Data instead.',
			name: 'cancelNotice',
			type: 'notice',
			default: '',
		},
		orderIdField,
		optionsProperty(),
	],
	async execute(itemIndex, call) {
		const orderId = readOrderId(this, itemIndex);
		await cancelOrder(this, orderId, call);
		return { json: { OrderID: orderId, cancelled: true } };
	},
};
