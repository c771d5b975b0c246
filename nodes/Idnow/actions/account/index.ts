import type { ResourceDefinition } from '../../../shared/resources';
import { confirmNewPassword } from './confirmNewPassword.operation';
import { requestNewPassword } from './requestNewPassword.operation';

export const account: ResourceDefinition = {
	value: 'account',
	name: 'Account',
	operations: [requestNewPassword, confirmNewPassword],
};
