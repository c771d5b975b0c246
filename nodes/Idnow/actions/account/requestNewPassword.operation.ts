import { InputError } from '../../../shared/errors';
import { isE164Phone } from '../../../shared/identity';
import type { OperationDefinition } from '../../../shared/resources';
import { optionsProperty } from '../../../shared/requestOptions';
import { requestNewPassword as requestPasswordChange } from '../../transport';

/**
 * 9.2.1.2: type PN, "international phone number without blanks (MSISDN)", at most 64 characters. Blanks, dashes and
 * brackets as people write numbers are dropped; what remains must be an MSISDN, which E.164 describes.
 */
function assertMobile(value: unknown): string {
	const mobile = String(value ?? '').replace(/[\s()-]/g, '');
	if (!isE164Phone(mobile)) {
		throw new InputError(
			mobile === '' ? 'The Mobile Number is empty' : 'The Mobile Number is not an international phone number',
			"Enter the mobile number registered with IDnow's Service Desk in international format, e.g. +49171123456.",
		);
	}
	return mobile;
}

/** The number is an additional secret (9.2): only its last digits are shown. */
function masked(mobile: string): string {
	return `${mobile.slice(0, 3)}${'•'.repeat(mobile.length - 5)}${mobile.slice(-2)}`;
}

export const requestNewPassword: OperationDefinition = {
	value: 'requestNewPassword',
	name: 'Request New Password',
	action: 'Request a new API password',
	description: "Start changing the credential's API password: IDnow sends a TAN to the registered mobile number",
	kind: 'write',
	properties: [
		{
			displayName:
				"The mobile number must first be registered with IDnow's Service Desk for this API user. Then: Request New Password → a TAN arrives by SMS → Confirm New Password with it, and store the new password in the credential.",
			name: 'passwordNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Mobile Number',
			name: 'mobile',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: '+49171123456',
			description: "The mobile number registered with IDnow for password changes; it serves as an additional secret",
		},
		optionsProperty(),
	],
	async execute(itemIndex, call) {
		const mobile = assertMobile(this.getNodeParameter('mobile', itemIndex));
		await requestPasswordChange(this, mobile, call);
		return { json: { passwordChangeRequested: true, tanSentTo: masked(mobile) } };
	},
};
