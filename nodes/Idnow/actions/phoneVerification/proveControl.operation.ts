import type { OperationDefinition } from '../../../shared/resources';
import { optionsProperty } from '../../../shared/requestOptions';
import { readTan, tanProperty } from '../../../shared/tan';
import { provePhoneControl } from '../../transport';
import { orderIdField, readOrderId } from '../fields';

/** 6.2.3: the TAN has 5 characters (the example's six-digit "123456" contradicts it; the table is followed). */
const PHONE_TAN_LENGTH = 5;

export const proveControl: OperationDefinition = {
	value: 'proveControl',
	name: 'Prove Control',
	action: 'Prove control over the mobile phone',
	description: 'Verify the mobile number with the TAN the person received by SMS after Request',
	kind: 'write',
	properties: [
		orderIdField,
		tanProperty(PHONE_TAN_LENGTH, 'The 5-character TAN the person received by SMS. Each wrong TAN counts; too many cancel the order.'),
		optionsProperty(),
	],
	async execute(itemIndex, call) {
		const orderId = readOrderId(this, itemIndex);
		const tan = readTan(this, itemIndex, PHONE_TAN_LENGTH);
		await provePhoneControl(this, orderId, tan, call);
		return { json: { OrderID: orderId, phoneVerified: true } };
	},
};
