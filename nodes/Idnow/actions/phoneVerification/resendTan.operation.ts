import { resendPhoneTan } from '../../transport';
import { orderAction } from '../orderAction';

export const resendTan = orderAction({
	value: 'resendTan',
	name: 'Resend TAN',
	action: 'Send the person a new verification TAN',
	description: 'Send a new verification TAN by SMS when the person did not receive it; it replaces the previous one',
	send: resendPhoneTan,
	confirms: 'tanResent',
});
