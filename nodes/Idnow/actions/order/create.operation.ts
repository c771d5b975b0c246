import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { InputError } from '../../../shared/errors';
import type { OperationDefinition } from '../../../shared/resources';
import { optionsProperty } from '../../../shared/requestOptions';
import type { IdnowWebhookKind } from '../../constants';
import { ESIGN_PRODUCT, validateOrderBody } from '../../orderValidation';
import { putOrder } from '../../transport';
import { createProperties } from './create.properties';
import { buildOrderBody, type OrderParameters } from './orderBody';

function readProduct(ctx: IExecuteFunctions, itemIndex: number): number {
	const chosen = ctx.getNodeParameter('product', itemIndex);
	const product = chosen === 'custom' ? ctx.getNodeParameter('productNumber', itemIndex) : chosen;
	const number = typeof product === 'number' ? product : Number(product);
	if (!Number.isInteger(number) || number < 0) {
		throw new InputError(`The Product "${String(product)}" is not a product number`, 'Choose a Product, or enter its whole number under Product Number.');
	}
	return number;
}

export const create: OperationDefinition = {
	value: 'create',
	name: 'Create',
	action: 'Create an order',
	description: 'Create an identification or eSign order (putOrder); returns the OrderID and the link for the person',
	kind: 'write',
	properties: [...createProperties, optionsProperty()],
	async execute(itemIndex, call) {
		const parameter = (name: string, fallback: unknown) => this.getNodeParameter(name, itemIndex, fallback);
		const product = readProduct(this, itemIndex);
		const parameters: OrderParameters = {
			product,
			ref: parameter('ref', ''),
			email: parameter('email', ''),
			getTargetLink: parameter('getTargetLink', true) === true,
			trigger: parameter('sendToTrigger', false)
				? { triggerUrl: parameter('triggerUrl', ''), kinds: parameter('triggerKinds', []) as IdnowWebhookKind[] }
				: undefined,
			person: parameter('person', {}) as IDataObject,
			fields: parameter('orderFields', {}) as IDataObject,
		};
		const body = await buildOrderBody(this, itemIndex, parameters);
		validateOrderBody(body);
		const answer = await putOrder(this, body, call);
		// The body is not echoed: its webhook URLs carry the trigger's token, and its documents can be large.
		return {
			json: {
				...answer,
				Product: product,
				orderKind: product === ESIGN_PRODUCT ? 'eSign' : 'identification',
				link: answer.TargetURL ?? answer.DeepLinkURL ?? answer.AutoIdURL ?? null,
				webhookKinds: Object.keys((body.WebhookURL as IDataObject | undefined) ?? {}),
			},
		};
	},
};
