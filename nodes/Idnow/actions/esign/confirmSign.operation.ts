import type { OperationDefinition } from '../../../shared/resources';
import { optionsProperty } from '../../../shared/requestOptions';
import { readTan, tanProperty } from '../../../shared/tan';
import { confirmSign as confirmSigning } from '../../transport';
import { orderIdField, readOrderId } from '../fields';

/** 5.2.3: the TAN has 6 characters. */
const SIGN_TAN_LENGTH = 6;

export const confirmSign: OperationDefinition = {
	value: 'confirmSign',
	name: 'Confirm Sign',
	action: 'Confirm signing with the TAN',
	description: 'Sign the documents with the TAN the signee received by SMS after Request Sign',
	kind: 'write',
	properties: [
		orderIdField,
		tanProperty(SIGN_TAN_LENGTH, 'The 6-character TAN the signee received by SMS. Each wrong TAN counts; too many cancel the order.'),
		optionsProperty(),
	],
	async execute(itemIndex, call) {
		const orderId = readOrderId(this, itemIndex);
		const tan = readTan(this, itemIndex, SIGN_TAN_LENGTH);
		await confirmSigning(this, orderId, tan, call);
		return { json: { OrderID: orderId, signed: true } };
	},
};
