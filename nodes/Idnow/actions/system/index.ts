import type { ResourceDefinition } from '../../../shared/resources';
import { serverStatus } from './serverStatus.operation';
import { systemStatus } from './systemStatus.operation';

export const system: ResourceDefinition = {
	value: 'system',
	name: 'System',
	operations: [serverStatus, systemStatus],
};
