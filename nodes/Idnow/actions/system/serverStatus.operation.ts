import type { OperationDefinition } from '../../../shared/resources';
import { optionsProperty } from '../../../shared/requestOptions';
import { serverStatus as checkServer } from '../../transport';
import { availabilityOf } from './availability';

export const serverStatus: OperationDefinition = {
	value: 'serverStatus',
	name: 'Server Status',
	action: 'Check whether IDnow is alive',
	description: 'Check the basic availability of identity.TM; "down" is an output (alive: false), not an error',
	kind: 'read',
	properties: [optionsProperty()],
	async execute(_itemIndex, call) {
		const availability = await availabilityOf(async () => await checkServer(this, call));
		return {
			json: {
				alive: availability.available,
				httpStatus: availability.available ? availability.response.statusCode : availability.httpStatus,
				reason: availability.available ? null : availability.reason,
				checkedAt: new Date().toISOString(),
			},
		};
	},
};
