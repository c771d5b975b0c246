import { cancelOrder } from '../../transport';
import { orderAction } from '../orderAction';

export const cancel = orderAction({
	value: 'cancel',
	name: 'Cancel',
	action: 'Cancel an order',
	description: 'Stop an open order (status 63): the person can no longer identify or sign with it',
	notice: {
		displayName:
			'Cancel orders that are still open. Once OnFinal has come, delete the result with Identification → Delete Data instead.',
		name: 'cancelNotice',
		type: 'notice',
		default: '',
	},
	send: cancelOrder,
	confirms: 'cancelled',
});
