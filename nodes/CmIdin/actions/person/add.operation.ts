import type { OperationDefinition } from '../../../shared/resources';
import { outputMode, outputModeProperty } from '../../../shared/output';
import { optionsProperty } from '../../../shared/requestOptions';
import { addPerson } from '../../transport';
import { attributeFields, groupIdField, personFields, personItem, readGroupId, readPersonBody } from '../fields';

export const add: OperationDefinition = {
	value: 'add',
	name: 'Add',
	action: 'Add a person to a group',
	description: 'Add a person to a group, with the attributes their bank is asked for; invite them next',
	kind: 'write',
	properties: [groupIdField, ...personFields, ...attributeFields, outputModeProperty, optionsProperty()],
	async execute(itemIndex, call) {
		const groupId = readGroupId(this, itemIndex);
		const body = readPersonBody(this, itemIndex);
		return personItem(await addPerson(this, groupId, body, call), groupId, outputMode(this, itemIndex));
	},
};
