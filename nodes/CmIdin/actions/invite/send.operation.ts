import type { OperationDefinition } from '../../../shared/resources';
import { optionsProperty } from '../../../shared/requestOptions';
import { sendInvite } from '../../transport';
import { groupIdField, inviteItem, personIdField, readGroupId, readPersonId, sendEmailField } from '../fields';

export const send: OperationDefinition = {
	value: 'send',
	name: 'Send',
	action: 'Send an identification invite',
	description: 'Invite a person of a group to identify with their bank; returns the invite URL and its expiry',
	kind: 'write',
	properties: [groupIdField, personIdField, sendEmailField, optionsProperty()],
	async execute(itemIndex, call) {
		const groupId = readGroupId(this, itemIndex);
		const personId = readPersonId(this, itemIndex);
		const email = this.getNodeParameter('sendEmail', itemIndex, true) as boolean;
		return { json: inviteItem(await sendInvite(this, groupId, personId, email, call), groupId, personId) };
	},
};
