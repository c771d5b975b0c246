import type { ResourceDefinition } from '../../../shared/resources';
import { checkUser } from './checkUser.operation';

export const signMe: ResourceDefinition = {
	value: 'signMe',
	name: 'Sign-Me',
	operations: [checkUser],
};
