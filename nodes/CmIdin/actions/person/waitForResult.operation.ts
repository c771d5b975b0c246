import type { OperationDefinition } from '../../../shared/resources';
import { outputMode, outputModeProperty } from '../../../shared/output';
import { optionsProperty } from '../../../shared/requestOptions';
import { pollUntilSettled, waitOptionFields, type WaitWording } from '../../../shared/waitFor';
import { isSettled } from '../../normalize';
import { getPerson } from '../../transport';
import { groupIdField, personIdField, personItem, readGroupId, readPersonId } from '../fields';

const wording: WaitWording = {
	thing: 'person',
	outputLabel: 'Output the Pending Person',
	longWaitAlternative: 'the CM iDIN Trigger or a scheduled workflow with CM iDIN → Person → Get',
};

export const waitForResult: OperationDefinition = {
	value: 'waitForResult',
	name: 'Wait for Result',
	action: 'Wait for a person to identify',
	description: 'Poll until the person identified, cancelled, failed or expired, or until a timeout',
	kind: 'read',
	properties: [groupIdField, personIdField, outputModeProperty, optionsProperty(waitOptionFields(wording))],
	async execute(itemIndex, call) {
		const groupId = readGroupId(this, itemIndex);
		const personId = readPersonId(this, itemIndex);
		const person = await pollUntilSettled(this, wording, {
			itemIndex,
			id: personId,
			read: async () => await getPerson(this, groupId, personId, call),
			isSettled,
			// CM's null status is a person who has not tried yet.
			describe: (current) => current.status ?? 'pending',
		});
		return personItem(person, groupId, outputMode(this, itemIndex));
	},
};
