import type { OperationDefinition } from '../../../shared/resources';
import { outputMode, outputModeProperty } from '../../../shared/output';
import { optionsProperty } from '../../../shared/requestOptions';
import { getPerson } from '../../transport';
import { groupIdField, personIdField, personItem, readGroupId, readPersonId } from '../fields';

export const get: OperationDefinition = {
	value: 'get',
	name: 'Get',
	action: 'Get a person and their iDIN result',
	description: "Read a person's status and, once they identified, the identity their bank confirmed",
	kind: 'read',
	properties: [groupIdField, personIdField, outputModeProperty, optionsProperty()],
	async execute(itemIndex, call) {
		const groupId = readGroupId(this, itemIndex);
		const personId = readPersonId(this, itemIndex);
		return personItem(await getPerson(this, groupId, personId, call), groupId, outputMode(this, itemIndex));
	},
};
