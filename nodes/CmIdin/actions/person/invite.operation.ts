/**
 * The common no-code case in one step: a group (new or given), the person in it, the invitation. The three calls
 * create things at CM and none can be undone through the API, so a failure after the first one says what exists
 * and how to finish without creating it twice.
 */
import { NodeApiError, NodeOperationError, type IDataObject, type INode } from 'n8n-workflow';

import type { OperationDefinition } from '../../../shared/resources';
import { optionsProperty } from '../../../shared/requestOptions';
import { redactSecrets } from '../../../shared/redact';
import { messageOf, text } from '../../../shared/util';
import { addPerson, createGroup, sendInvite } from '../../transport';
import {
	attributeFields,
	groupIdField,
	inviteItem,
	personFields,
	readGroupId,
	readPersonBody,
	sendEmailField,
} from '../fields';

type GroupMode = 'new' | 'existing';

/** What this run has made at CM so far. */
interface Progress {
	groupId?: string;
	groupCreated: boolean;
	personId?: string;
}

function alreadyCreated(progress: Progress): string | undefined {
	if (progress.personId) {
		const where = progress.groupCreated
			? `group ${progress.groupId} and person ${progress.personId} in it`
			: `person ${progress.personId} in group ${progress.groupId}`;
		return `already created: ${where} (not invited yet)`;
	}
	return progress.groupCreated ? `already created: group ${progress.groupId} (no person in it yet)` : undefined;
}

function howToFinish(progress: Progress): string {
	if (progress.personId) {
		return `To finish without adding the person again, use Resource "Invite", Operation "Send" with Group ID ${progress.groupId} and Person ID ${progress.personId}.`;
	}
	return `To finish without creating another group, run this step again with Group "Use an Existing Group" and Group ID ${progress.groupId}.`;
}

/** The error as CM (or the network) gave it, plus what exists already: the user must not create it twice. */
function explainHalfWay(node: INode, error: unknown, progress: Progress, itemIndex: number): unknown {
	const created = alreadyCreated(progress);
	if (!created) return error;
	const known = error instanceof NodeApiError || error instanceof NodeOperationError;
	const failure = known
		? error
		: new NodeOperationError(node, redactSecrets(messageOf(error)), { itemIndex });
	failure.message = `${failure.message} — ${created}`;
	failure.description = [failure.description, howToFinish(progress)].filter(Boolean).join(' ');
	return failure;
}

export const invitePerson: OperationDefinition = {
	value: 'invite',
	name: 'Invite',
	action: 'Invite a person to identify',
	description: 'Create a group (or use one), add the person and send the invite; returns the invite URL',
	kind: 'write',
	properties: [
		{
			displayName: 'Group',
			name: 'groupMode',
			type: 'options',
			noDataExpression: true,
			default: 'new',
			options: [
				{ name: 'Create a New Group', value: 'new', description: 'One group per invitation' },
				{ name: 'Use an Existing Group', value: 'existing', description: 'Add the person to a group you created before' },
			],
		},
		{
			displayName: 'Group Name',
			name: 'groupName',
			type: 'string',
			default: '',
			placeholder: 'Company ABC',
			description: 'Your name for the new group; leave empty to name it after the person',
			displayOptions: { show: { groupMode: ['new'] } },
		},
		{ ...groupIdField, displayOptions: { show: { groupMode: ['existing'] } } },
		...personFields,
		...attributeFields,
		sendEmailField,
		optionsProperty(),
	],
	async execute(itemIndex, call) {
		const mode = this.getNodeParameter('groupMode', itemIndex, 'new') as GroupMode;
		// Everything is read and checked before the first call: a typo must not leave an empty group behind.
		const body = readPersonBody(this, itemIndex);
		const existingGroupId = mode === 'existing' ? readGroupId(this, itemIndex) : undefined;
		const newGroupName = text(this.getNodeParameter('groupName', itemIndex, '')) ?? body.name;
		const email = this.getNodeParameter('sendEmail', itemIndex, true) as boolean;

		const progress: Progress = { groupId: existingGroupId, groupCreated: false };
		try {
			if (progress.groupId === undefined) {
				progress.groupId = (await createGroup(this, newGroupName, call)).id;
				progress.groupCreated = true;
			}
			const person = await addPerson(this, progress.groupId, body, call);
			progress.personId = person.id;
			const invite = await sendInvite(this, progress.groupId, person.id, email, call);
			const json: IDataObject = {
				...inviteItem(invite, progress.groupId, person.id),
				groupCreated: progress.groupCreated,
				invitedName: text(person.name),
				invitedEmail: text(person.email_address),
			};
			return { json };
		} catch (error) {
			throw explainHalfWay(this.getNode(), error, progress, itemIndex);
		}
	},
};
