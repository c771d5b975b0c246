import { requestPhoneVerification } from '../../transport';
import { orderAction } from '../orderAction';

export const request = orderAction({
	value: 'request',
	name: 'Request',
	action: 'Start verifying a mobile number',
	description: "Start verifying the order's mobile number: IDnow sends the person a TAN by SMS",
	notice: {
		displayName:
			'Mobile number verification (chapter 6) must be enabled for the account by IDnow, and the order must have a Mobile number. Then: Request → the person receives a TAN → Prove Control with it.',
		name: 'phoneNotice',
		type: 'notice',
		default: '',
	},
	send: requestPhoneVerification,
	confirms: 'verificationStarted',
});
