/** Parameters and output items several iDIN operations share. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { normalizeDateTime } from '../../shared/identity';
import { shapeOutput, type OutputMode } from '../../shared/output';
import { text } from '../../shared/util';
import { IDIN_ATTRIBUTES, type IdinAttribute } from '../constants';
import { normalizeIdinPerson, personDetails } from '../normalize';
import type { IdinGroup, IdinInvite, IdinPerson, IdinPersonBody } from '../types';
import { assertIdinId, personBody } from '../validation';

export const groupIdField: INodeProperties = {
	displayName: 'Group ID',
	name: 'groupId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '1f7d7d18-3b0e-4322-8919-49e51d40c38b',
	description: 'The ID CM returned when the group was created',
};

export const personIdField: INodeProperties = {
	displayName: 'Person ID',
	name: 'personId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '81f50a17-b556-48b2-a79b-6bc5315d9083',
	description: 'The ID CM returned when the person was added to the group',
};

export const sendEmailField: INodeProperties = {
	displayName: 'Send Invitation Email',
	name: 'sendEmail',
	type: 'boolean',
	default: true,
	description:
		'Whether CM emails the invitation to the person. Either way the output carries the invite URL, so you can also deliver it yourself (chat, SMS, your own email).',
};

/** Name and e-mail of the person to invite. */
export const personFields: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Andre van Dijk',
		description: 'The name of the person to invite, as CM shows it in the invitation',
	},
	{
		displayName: 'Email Address',
		name: 'emailAddress',
		type: 'string',
		placeholder: 'name@email.com',
		required: true,
		default: '',
		description: 'Where CM sends the invitation (when it sends one)',
	},
];

/** One toggle per attribute. The bank returns only what is asked for; BIN and name are on by default (who it is). */
const ATTRIBUTE_PARAMETERS: Record<IdinAttribute, INodeProperties> = {
	identity: {
		displayName: 'Request BIN',
		name: 'requestIdentity',
		type: 'boolean',
		default: true,
		description:
			"Whether to ask for the person's BIN (attribute identity): the bank's stable ID of this person for your CM account",
	},
	name: {
		displayName: 'Request Name',
		name: 'requestName',
		type: 'boolean',
		default: true,
		description: 'Whether to ask for initials, first name and family name with its prefix',
	},
	address: {
		displayName: 'Request Address',
		name: 'requestAddress',
		type: 'boolean',
		default: false,
		description: 'Whether to ask for street, house number, postal code, city and country',
	},
	'18y_or_older': {
		displayName: 'Request 18 or Older',
		name: 'requestAdult',
		type: 'boolean',
		default: false,
		description: 'Whether to ask only whether the person is 18 or older, without the date of birth',
	},
	date_of_birth: {
		displayName: 'Request Date of Birth',
		name: 'requestDateOfBirth',
		type: 'boolean',
		default: false,
		description: 'Whether to ask for the date of birth',
	},
	gender: {
		displayName: 'Request Gender',
		name: 'requestGender',
		type: 'boolean',
		default: false,
		description: 'Whether to ask for the gender',
	},
	telephone_number: {
		displayName: 'Request Telephone Number',
		name: 'requestTelephoneNumber',
		type: 'boolean',
		default: false,
		description: 'Whether to ask for the telephone number the bank has on file',
	},
	email_address: {
		displayName: 'Request Email Address',
		name: 'requestEmailAddress',
		type: 'boolean',
		default: false,
		description: 'Whether to ask for the email address the bank has on file (not the invited one)',
	},
};

export const attributeFields: INodeProperties[] = IDIN_ATTRIBUTES.map((attribute) => ATTRIBUTE_PARAMETERS[attribute]);

/** The person to add, read from the parameters and checked before any request is made. */
export function readPersonBody(ctx: IExecuteFunctions, itemIndex: number): IdinPersonBody {
	const attributes = Object.fromEntries(
		IDIN_ATTRIBUTES.map((attribute) => {
			const { name, default: fallback } = ATTRIBUTE_PARAMETERS[attribute];
			return [attribute, ctx.getNodeParameter(name, itemIndex, fallback)];
		}),
	);
	return personBody({
		name: ctx.getNodeParameter('name', itemIndex),
		emailAddress: ctx.getNodeParameter('emailAddress', itemIndex),
		attributes,
	});
}

export function readGroupId(ctx: IExecuteFunctions, itemIndex: number): string {
	return assertIdinId(ctx.getNodeParameter('groupId', itemIndex), 'Group ID');
}

export function readPersonId(ctx: IExecuteFunctions, itemIndex: number): string {
	return assertIdinId(ctx.getNodeParameter('personId', itemIndex), 'Person ID');
}

/** A person (added, read or waited for) as an output item: the normalized identity and the iDIN details. */
export function personItem(person: IdinPerson, groupId: string, mode: OutputMode): INodeExecutionData {
	return { json: shapeOutput(mode, normalizeIdinPerson(person), personDetails(person, groupId)) };
}

export function groupItem(group: IdinGroup): IDataObject {
	return {
		groupId: group.id,
		name: text(group.name),
		status: text(group.status),
		expiresAt: normalizeDateTime(group.expires_at),
		createdAt: normalizeDateTime(group.created_at),
	};
}

/** What a workflow needs to deliver the invitation itself: the URL and until when it works. */
export function inviteItem(invite: IdinInvite, groupId: string, personId: string): IDataObject {
	return {
		groupId,
		personId,
		inviteId: invite.id,
		inviteUrl: invite.url,
		inviteExpiresAt: normalizeDateTime(invite.expires_at),
		emailSent: invite.email === true,
	};
}
