import type { ResourceDefinition } from '../../../shared/resources';
import { create } from './create.operation';
import { getStatus } from './getStatus.operation';
import { waitForCompletion } from './waitForCompletion.operation';

export const transaction: ResourceDefinition = {
	value: 'transaction',
	name: 'Transaction',
	operations: [create, getStatus, waitForCompletion],
};
