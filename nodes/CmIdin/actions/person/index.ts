import type { ResourceDefinition } from '../../../shared/resources';
import { add } from './add.operation';
import { get } from './get.operation';
import { invitePerson } from './invite.operation';
import { waitForResult } from './waitForResult.operation';

/** "Invite" is the default: most workflows need nothing else to ask a person to identify. */
export const person: ResourceDefinition = {
	value: 'person',
	name: 'Person',
	operations: [invitePerson, add, get, waitForResult],
	defaultOperation: invitePerson.value,
};
