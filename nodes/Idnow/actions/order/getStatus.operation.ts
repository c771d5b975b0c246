import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { OperationDefinition } from '../../../shared/resources';
import { optionsProperty } from '../../../shared/requestOptions';
import { statusCodeEntry } from '../../statusCodes';
import { summarizeStatus, type IdnowOrderKind } from '../../status';
import { getStatus as fetchStatus } from '../../transport';
import type { IdnowStatusAnswer, IdnowStatusEntry } from '../../types';
import { orderIdField, orderKindField, readOrderId, readOrderKind } from '../fields';

interface StatusView {
	extendedList?: boolean;
	includeSubKind?: boolean;
}

/** The options choosing which status entries are listed, as getStatus's variants would (3.2.5). */
export const statusViewOptions: INodeProperties[] = [
	{
		displayName: 'Extended List',
		name: 'extendedList',
		type: 'boolean',
		default: false,
		description: 'Whether to list the extended status codes too (e.g. 84 document signed, 89 possible fraud)',
	},
	{
		displayName: 'Include Sub-Status',
		name: 'includeSubKind',
		type: 'boolean',
		default: false,
		description: 'Whether to list the sub-status codes (SubKind) with their meaning',
	},
];

/** Entries the default variant lists; codes outside the table count as extended, as only ExtendedList shows those. */
function isNormalEntry(entry: IdnowStatusEntry): boolean {
	return statusCodeEntry(entry.Kind)?.extended === false;
}

/**
 * The order's status, always read with ExtendedList and IncludeSubKind (one call either way): the verdict needs the
 * extended codes (84 ends eSign orders, 89 flags a possible fraud) and the sub-status for its reason.
 */
export async function readFullStatus(
	ctx: IExecuteFunctions,
	orderId: string,
	call: Parameters<typeof fetchStatus>[3],
): Promise<IdnowStatusAnswer> {
	return await fetchStatus(ctx, orderId, { extendedList: true, includeSubKind: true }, call);
}

function withoutSubStatus(entry: IDataObject): IDataObject {
	const shown = { ...entry };
	delete shown.SubKind;
	delete shown.subMeaning;
	return shown;
}

/** The summary with only the entries the options ask for, exactly those IDnow would list for those variants. */
export function statusItem(ctx: IExecuteFunctions, itemIndex: number, answer: IdnowStatusAnswer, kind: IdnowOrderKind): IDataObject {
	const view = ctx.getNodeParameter('options', itemIndex, {}) as StatusView;
	const summary = summarizeStatus(answer, kind, (entry) => view.extendedList === true || isNormalEntry(entry));
	if (!view.includeSubKind) {
		summary.Status = (summary.Status as IDataObject[]).map(withoutSubStatus);
	}
	return summary;
}

export const getStatus: OperationDefinition = {
	value: 'getStatus',
	name: 'Get Status',
	action: 'Get the status of an order',
	description: 'Read the status codes of an order, each explained, with whether the order is final and its outcome',
	kind: 'read',
	properties: [orderIdField, orderKindField, optionsProperty(statusViewOptions)],
	async execute(itemIndex, call) {
		const orderId = readOrderId(this, itemIndex);
		const kind = readOrderKind(this, itemIndex);
		const answer = await readFullStatus(this, orderId, call);
		return { json: statusItem(this, itemIndex, answer, kind) };
	},
};
