import type { OperationDefinition } from '../../../shared/resources';
import { InputError } from '../../../shared/errors';
import { optionsProperty } from '../../../shared/requestOptions';
import { createGroup } from '../../transport';
import { groupItem } from '../fields';

export const create: OperationDefinition = {
	value: 'create',
	name: 'Create',
	action: 'Create a group',
	description: 'Create a group to add the persons to that should identify with their bank',
	kind: 'write',
	properties: [
		{
			displayName: 'Group Name',
			name: 'groupName',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'Company ABC',
			description: 'Your name for the group, e.g. a customer or case; CM may show it to the persons invited',
		},
		optionsProperty(),
	],
	async execute(itemIndex, call) {
		const name = String(this.getNodeParameter('groupName', itemIndex) ?? '').trim();
		if (name === '') throw new InputError('The group has no name', 'Fill in "Group Name", e.g. the customer or case it is for.');
		return { json: groupItem(await createGroup(this, name, call)) };
	},
};
