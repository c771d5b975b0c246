import type { OperationDefinition } from '../../../shared/resources';
import { InputError } from '../../../shared/errors';
import { optionsProperty } from '../../../shared/requestOptions';
import { getOrdersByRef as fetchOrdersByRef } from '../../transport';

const MAX_REF_LENGTH = 100;

function assertSearchableRef(value: unknown): string {
	const ref = String(value ?? '').trim();
	if (ref === '') throw new InputError('The Ref is empty', 'Enter the Ref the orders were created with.');
	if (ref.length > MAX_REF_LENGTH) {
		throw new InputError(`The Ref has ${ref.length} characters, more than ${MAX_REF_LENGTH}`, 'Enter the Ref as it was given to Create.');
	}
	// 3.13: "Only allowed/possible for Refs with Characters of: a-z A-Z 0-9 - . +"
	const stray = /[^A-Za-z0-9.+-]/.exec(ref);
	if (stray) {
		throw new InputError(
			`The Ref "${ref}" contains "${stray[0]}", which IDnow cannot search for`,
			'IDnow finds orders only by Refs made of a-z A-Z 0-9 - . + (document 3.13). Give new orders such Refs if you need to find them.',
		);
	}
	return ref;
}

export const getOrdersByRef: OperationDefinition = {
	value: 'getOrdersByRef',
	name: 'Get Orders by Ref',
	action: 'Get the orders with a Ref',
	description: 'Find the orders of the last 90 days created with a Ref: one item per OrderID, newest first',
	kind: 'read',
	properties: [
		{
			displayName: 'Ref',
			name: 'ref',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'customer-4711',
			description: 'Your reference given to Create. Only a-z A-Z 0-9 - . + can be searched for.',
		},
		optionsProperty(),
	],
	async execute(itemIndex, call) {
		const ref = assertSearchableRef(this.getNodeParameter('ref', itemIndex));
		const orderIds = await fetchOrdersByRef(this, ref, call);
		return orderIds.map((orderId) => ({ json: { OrderID: orderId, Ref: ref } }));
	},
};
