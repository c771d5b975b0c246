/**
 * Operations that ask IDnow to do one thing to an order (cancel it, delete its data, start signing, send a TAN…):
 * the Order ID in, IDnow's call, and a confirmation out, `{ OrderID, <confirms>: true }`.
 */
import type { INodeProperties } from 'n8n-workflow';

import type { ClientContext } from '../../shared/client';
import { optionsProperty, type CallSettings } from '../../shared/requestOptions';
import type { OperationDefinition } from '../../shared/resources';
import { orderIdField, readOrderId } from './fields';

export interface OrderActionDefinition extends Pick<OperationDefinition, 'value' | 'name' | 'action' | 'description'> {
	/** Shown above the Order ID: what must be enabled first, what comes next. */
	notice?: INodeProperties;
	/** The transport call; IDnow's answer carries nothing beyond its status. */
	send(ctx: ClientContext, orderId: string, settings?: CallSettings): Promise<void>;
	/** The output field saying it is done, e.g. 'cancelled'. */
	confirms: string;
}

export function orderAction({ notice, send, confirms, ...description }: OrderActionDefinition): OperationDefinition {
	return {
		...description,
		kind: 'write',
		properties: [...(notice ? [notice] : []), orderIdField, optionsProperty()],
		async execute(itemIndex, call) {
			const orderId = readOrderId(this, itemIndex);
			await send(this, orderId, call);
			return { json: { OrderID: orderId, [confirms]: true } };
		},
	};
}
