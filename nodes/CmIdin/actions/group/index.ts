import type { ResourceDefinition } from '../../../shared/resources';
import { create } from './create.operation';

export const group: ResourceDefinition = {
	value: 'group',
	name: 'Group',
	operations: [create],
};
