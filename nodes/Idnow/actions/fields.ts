/** Parameters and readers several IDnow operations share. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputError } from '../../shared/errors';
import type { IdnowOrderKind } from '../status';

/** OrderIDs are up to 20 letters and digits (3.1.5), e.g. 99921269855041 or 99920006C38842. */
const ORDER_ID = /^[A-Za-z0-9]{1,20}$/;

export const orderIdField: INodeProperties = {
	displayName: 'Order ID',
	name: 'orderId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '99921269855041',
	description: 'The OrderID IDnow returned when the order was created (also in every IDnow Trigger item)',
};

export const orderKindField: INodeProperties = {
	displayName: 'Order Type',
	name: 'orderKind',
	type: 'options',
	default: 'identification',
	options: [
		{
			name: 'Identification',
			value: 'identification',
			description: 'Final on 6, 16, 17, 22, 58, 63, 99, 100; verified only on 6',
		},
		{
			name: 'eSign (Product 15)',
			value: 'eSign',
			description: 'Final on 16, 17, 22, 58, 63, 84, 99, 100, 103; verified only on 84 (document signed)',
		},
	],
	description:
		'IDnow ends eSign orders on other status codes than identification orders. For a mix of both, set it with an expression from the order\'s Product (15 is eSign).',
};

function assertOrderId(value: unknown): string {
	const id = String(value ?? '').trim();
	if (!ORDER_ID.test(id)) {
		throw new InputError(
			id === '' ? 'The Order ID is empty' : `"${id}" is not an IDnow OrderID`,
			'Use the OrderID IDnow returned for the order: up to 20 letters and digits, e.g. 99921269855041.',
		);
	}
	return id;
}

export function readOrderId(ctx: IExecuteFunctions, itemIndex: number): string {
	return assertOrderId(ctx.getNodeParameter('orderId', itemIndex));
}

export function readOrderKind(ctx: IExecuteFunctions, itemIndex: number): IdnowOrderKind {
	const kind = String(ctx.getNodeParameter('orderKind', itemIndex, 'identification'));
	if (kind !== 'identification' && kind !== 'eSign') {
		throw new InputError(`The Order Type "${kind}" is not known`, 'Use "identification" or "eSign".');
	}
	return kind;
}
