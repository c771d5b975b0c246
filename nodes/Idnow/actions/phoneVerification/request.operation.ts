import type { OperationDefinition } from '../../../shared/resources';
import { optionsProperty } from '../../../shared/requestOptions';
import { requestPhoneVerification } from '../../transport';
import { orderIdField, readOrderId } from '../fields';

export const request: OperationDefinition = {
	value: 'request',
	name: 'Request',
	action: 'Start verifying a mobile number',
	description: "Start verifying the order's mobile number: IDnow sends the person a TAN by SMS",
	kind: 'write',
	properties: [
		{
			displayName:
				'Mobile number verification (chapter 6) must be enabled for the account by IDnow, and the order must have a Mobile number. Then: Request → the person receives a TAN → Prove Control with it.',
			name: 'phoneNotice',
			type: 'notice',
			default: '',
		},
		orderIdField,
		optionsProperty(),
	],
	async execute(itemIndex, call) {
		const orderId = readOrderId(this, itemIndex);
		await requestPhoneVerification(this, orderId, call);
		return { json: { OrderID: orderId, verificationStarted: true } };
	},
};
