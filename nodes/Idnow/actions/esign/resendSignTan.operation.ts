import type { OperationDefinition } from '../../../shared/resources';
import { optionsProperty } from '../../../shared/requestOptions';
import { resendSignTan as resendTan } from '../../transport';
import { orderIdField, readOrderId } from '../fields';

export const resendSignTan: OperationDefinition = {
	value: 'resendSignTan',
	name: 'Resend Sign TAN',
	action: 'Send the signee a new TAN',
	description: 'Send a new signing TAN by SMS when the signee did not receive it; it replaces the previous one',
	kind: 'write',
	properties: [orderIdField, optionsProperty()],
	async execute(itemIndex, call) {
		const orderId = readOrderId(this, itemIndex);
		await resendTan(this, orderId, call);
		return { json: { OrderID: orderId, tanResent: true } };
	},
};
