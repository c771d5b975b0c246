import { InputError } from '../../../shared/errors';
import type { OperationDefinition } from '../../../shared/resources';
import { optionsProperty } from '../../../shared/requestOptions';
import { isEmailAddress } from '../../../shared/util';
import { checkSignmeUser, type IdnowSignmeCheck } from '../../transport';

const SIGNATURE_TYPES = ['QES', 'ADV', 'BAS'];

function assertEmail(value: unknown): string {
	const email = String(value ?? '').trim();
	if (!isEmailAddress(email)) {
		throw new InputError(
			email === '' ? 'The Email is empty' : `"${email}" is not an e-mail address`,
			"Enter the person's sign-me user name, their e-mail address, e.g. e.mustermann@example.com.",
		);
	}
	return email;
}

function assertSignatureType(value: unknown): string | undefined {
	const type = String(value ?? '');
	if (type === '' || type === 'any') return undefined;
	if (!SIGNATURE_TYPES.includes(type)) {
		throw new InputError(`The Signature Type "${type}" is not known`, `Use one of: ${SIGNATURE_TYPES.join(', ')}, or Default.`);
	}
	return type;
}

/** The table spells it `UserlsAbelToSign`, the example `UserIsAbleToSign` (9.1.4, 9.1.7): either is read. */
function ableToSign(answer: IdnowSignmeCheck): boolean {
	return (answer.UserIsAbleToSign ?? answer.UserlsAbelToSign) === true;
}

export const checkUser: OperationDefinition = {
	value: 'checkUser',
	name: 'Check User',
	action: 'Check a sign-me user',
	description: 'Find out before an eSign order whether a person has a sign-me (D-Trust) account that can sign',
	kind: 'read',
	properties: [
		{
			displayName: 'Email',
			name: 'email',
			type: 'string',
			placeholder: 'name@email.com',
			default: '',
			required: true,
			description: "The person's sign-me user name (their e-mail address)",
		},
		{
			displayName: 'Signature Type',
			name: 'signatureType',
			type: 'options',
			default: 'any',
			options: [
				{
					name: 'Default (Qualified)',
					value: 'any',
					description: 'Send no signature type: IDnow answers for a qualified electronic signature (9.1)',
				},
				{ name: 'Qualified (QES)', value: 'QES' },
				{ name: 'Advanced (AES)', value: 'ADV' },
				{ name: 'Basic (BES)', value: 'BAS' },
			],
			description: 'Check whether the account can sign with this type of signature',
		},
		optionsProperty(),
	],
	async execute(itemIndex, call) {
		const email = assertEmail(this.getNodeParameter('email', itemIndex));
		const signatureType = assertSignatureType(this.getNodeParameter('signatureType', itemIndex, 'any'));
		const answer = await checkSignmeUser(this, { Email: email, ...(signatureType && { signatureType }) }, call);
		const userExists = answer.UserExists === true;
		const userIsAbleToSign = ableToSign(answer);
		return {
			json: {
				email,
				signatureType: signatureType ?? null,
				userExists,
				userIsAbleToSign,
				// 9.1: only then can an order sign right away (Add 16); otherwise the account is created and verified first.
				plainSignatureOrderPossible: userExists && userIsAbleToSign,
			},
		};
	},
};
