import type { ResourceDefinition } from '../../../shared/resources';
import { cancel } from './cancel.operation';
import { create } from './create.operation';
import { getOrdersByRef } from './getOrdersByRef.operation';
import { getStatus } from './getStatus.operation';
import { waitForFinalStatus } from './waitForFinalStatus.operation';

export const order: ResourceDefinition = {
	value: 'order',
	name: 'Order',
	operations: [create, getStatus, getOrdersByRef, cancel, waitForFinalStatus],
};
