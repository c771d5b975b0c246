import type { IDataObject } from 'n8n-workflow';

import { InputError } from '../../../shared/errors';
import type { OperationDefinition } from '../../../shared/resources';
import { optionsProperty } from '../../../shared/requestOptions';
import { isJsonObject } from '../../../shared/util';
import { systemStatus as fetchSystemStatus } from '../../transport';
import { availabilityOf } from './availability';

/** Every flag that is false, by its path (`smsTanAvailable`, `eSign.qesAvailable`): the parts to look at. */
function unavailableParts(status: IDataObject, prefix = ''): string[] {
	return Object.entries(status).flatMap(([name, value]) => {
		if (value === false) return [`${prefix}${name}`];
		return isJsonObject(value) ? unavailableParts(value, `${prefix}${name}.`) : [];
	});
}

function statusObject(body: unknown): IDataObject {
	if (isJsonObject(body)) return body;
	throw new InputError(
		"IDnow's systemStatus answer is not the documented JSON object",
		'Check that the Base URL in the IDnow credential is the customer API, e.g. https://customer.identity.tm/api/2.10.',
	);
}

export const systemStatus: OperationDefinition = {
	value: 'systemStatus',
	name: 'System Status',
	action: 'Get the status of the IDnow systems',
	description:
		'Read which IDnow systems work (API, video, mailing, SMS TAN, eSign, …); "not available at all" is an output, not an error',
	kind: 'read',
	properties: [optionsProperty()],
	async execute(_itemIndex, call) {
		const availability = await availabilityOf(async () => await fetchSystemStatus(this, call));
		const checkedAt = new Date().toISOString();
		if (!availability.available) {
			// 500 or no answer: "services not available at all" (8.2.4).
			const { httpStatus, reason } = availability;
			return { json: { serverAlive: false, allAvailable: false, unavailable: ['serverAlive'], httpStatus, reason, checkedAt } };
		}
		const status = statusObject(availability.response.body);
		const unavailable = unavailableParts(status);
		return {
			json: {
				...status,
				allAvailable: unavailable.length === 0,
				unavailable,
				httpStatus: availability.response.statusCode,
				reason: null,
				checkedAt,
			},
		};
	},
};
