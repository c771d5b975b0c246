import type { IDataObject } from 'n8n-workflow';

import type { OperationDefinition } from '../../../shared/resources';
import { optionsProperty } from '../../../shared/requestOptions';
import { isObject } from '../../../shared/util';
import { getSignedHashes } from '../../transport';
import { orderIdField, readOrderId } from '../fields';

/**
 * `Hashes` is an array of one-entry objects `{ "<Filename from putOrder>": "<signed hash>" }` (3.6.3); listed here
 * as `{ fileName, hash }` so a workflow can map them without knowing the names. An object of several entries (a
 * shape the table also allows) is read the same way.
 */
function listHashes(hashes: unknown): Array<{ fileName: string; hash: string }> {
	const entries = Array.isArray(hashes) ? hashes : isObject(hashes) ? [hashes] : [];
	return entries
		.filter(isObject)
		.flatMap((entry) => Object.entries(entry as IDataObject))
		.map(([fileName, hash]) => ({ fileName, hash: String(hash) }));
}

export const getSigningHashes: OperationDefinition = {
	value: 'getSigningHashes',
	name: 'Get Signing Hashes',
	action: 'Get the signed hashes of an order',
	description: 'Read the signed hashes of an eSign order (status 84) that was created with eSign hashes',
	kind: 'read',
	properties: [orderIdField, optionsProperty()],
	async execute(itemIndex, call) {
		const orderId = readOrderId(this, itemIndex);
		const answer = await getSignedHashes(this, orderId, call);
		return { json: { OrderID: orderId, hashes: listHashes(answer.Hashes) } };
	},
};
