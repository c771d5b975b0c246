import { resendSignTan as resendTan } from '../../transport';
import { orderAction } from '../orderAction';

export const resendSignTan = orderAction({
	value: 'resendSignTan',
	name: 'Resend Sign TAN',
	action: 'Send the signee a new TAN',
	description: 'Send a new signing TAN by SMS when the signee did not receive it; it replaces the previous one',
	send: resendTan,
	confirms: 'tanResent',
});
