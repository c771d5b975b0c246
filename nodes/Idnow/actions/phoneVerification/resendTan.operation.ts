import type { OperationDefinition } from '../../../shared/resources';
import { optionsProperty } from '../../../shared/requestOptions';
import { resendPhoneTan } from '../../transport';
import { orderIdField, readOrderId } from '../fields';

export const resendTan: OperationDefinition = {
	value: 'resendTan',
	name: 'Resend TAN',
	action: 'Send the person a new verification TAN',
	description: 'Send a new verification TAN by SMS when the person did not receive it; it replaces the previous one',
	kind: 'write',
	properties: [orderIdField, optionsProperty()],
	async execute(itemIndex, call) {
		const orderId = readOrderId(this, itemIndex);
		await resendPhoneTan(this, orderId, call);
		return { json: { OrderID: orderId, tanResent: true } };
	},
};
