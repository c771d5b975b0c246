import { requestSign as startSigning } from '../../transport';
import { orderAction } from '../orderAction';

export const requestSign = orderAction({
	value: 'requestSign',
	name: 'Request Sign',
	action: 'Start signing an order',
	description: 'Start signing an identified eSign order on your side: IDnow sends the signee a TAN by SMS',
	notice: {
		displayName:
			'Customer-side signing (chapter 5) must be enabled for the account by IDnow. Then: Request Sign → the signee receives a TAN → Confirm Sign with it.',
		name: 'requestSignNotice',
		type: 'notice',
		default: '',
	},
	send: startSigning,
	confirms: 'signingStarted',
});
