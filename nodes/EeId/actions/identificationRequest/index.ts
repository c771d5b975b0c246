import type { ResourceDefinition } from '../../../shared/resources';
import { create } from './create.operation';
import { get } from './get.operation';
import { getMany } from './getMany.operation';
import { getProofOfIdentity } from './getProofOfIdentity.operation';
import { waitForCompletion } from './waitForCompletion.operation';

export const identificationRequest: ResourceDefinition = {
	value: 'identificationRequest',
	name: 'Identification Request',
	operations: [create, get, getMany, getProofOfIdentity, waitForCompletion],
};
