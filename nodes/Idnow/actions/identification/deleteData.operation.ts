import type { OperationDefinition } from '../../../shared/resources';
import { optionsProperty } from '../../../shared/requestOptions';
import { deleteIdentData } from '../../transport';
import { orderIdField, readOrderId } from '../fields';

export const deleteData: OperationDefinition = {
	value: 'deleteData',
	name: 'Delete Data',
	action: 'Delete the identification data of an order',
	description: 'Delete the result data, images, documents and recordings of a final order at IDnow (delIdentdata)',
	kind: 'write',
	properties: [
		{
			displayName:
				'Delete once every result (data, PDF, images, recordings) has been fetched: IDnow keeps them 7 days after the order became final otherwise. The status codes stay readable.',
			name: 'deleteNotice',
			type: 'notice',
			default: '',
		},
		orderIdField,
		optionsProperty(),
	],
	async execute(itemIndex, call) {
		const orderId = readOrderId(this, itemIndex);
		await deleteIdentData(this, orderId, call);
		return { json: { OrderID: orderId, deleted: true } };
	},
};
