import type { ResourceDefinition } from '../../../shared/resources';
import { send } from './send.operation';

export const invite: ResourceDefinition = {
	value: 'invite',
	name: 'Invite',
	operations: [send],
};
