import { NodeOperationError } from 'n8n-workflow';

import type { OperationDefinition } from '../../../shared/resources';
import { optionsProperty } from '../../../shared/requestOptions';
import { readTan, tanProperty } from '../../../shared/tan';
import { isObject } from '../../../shared/util';
import { confirmNewPassword as confirmPasswordChange } from '../../transport';

/** 9.2.2.2: the confirmation TAN has 6 characters. */
const PASSWORD_TAN_LENGTH = 6;

const STORE_IT =
	'IDnow has set this new API password; the old one no longer works. Store it now as the Password of the IDnow credential: this output is the only place it appears.';

export const confirmNewPassword: OperationDefinition = {
	value: 'confirmNewPassword',
	name: 'Confirm New Password',
	action: 'Confirm the new API password with the TAN',
	description: 'Set a new API password with the TAN from the SMS; the output holds the new password, once',
	kind: 'write',
	properties: [
		{
			displayName:
				'The output holds the new password, and the old one stops working at once: store it in the IDnow credential right away. A wrong TAN ends the request; start again with Request New Password.',
			name: 'confirmNotice',
			type: 'notice',
			default: '',
		},
		tanProperty(PASSWORD_TAN_LENGTH, 'The 6-character TAN IDnow sent by SMS after Request New Password'),
		optionsProperty(),
	],
	async execute(itemIndex, call) {
		const tan = readTan(this, itemIndex, PASSWORD_TAN_LENGTH);
		const answer = await confirmPasswordChange(this, tan, call);
		const password = isObject(answer) ? answer.password : undefined;
		if (typeof password !== 'string' || password === '') {
			// Never quote the answer: whatever it holds may be the password in another shape.
			throw new NodeOperationError(this.getNode(), 'IDnow confirmed the password change without sending the new password', {
				itemIndex,
				description:
					'The password may have changed nonetheless. Test the IDnow credential; if it fails, ask IDnow to reset the API password.',
			});
		}
		return { json: { password, passwordChangedAt: new Date().toISOString(), notice: STORE_IT } };
	},
};
