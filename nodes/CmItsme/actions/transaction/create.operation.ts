import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { OperationDefinition } from '../../../shared/resources';
import { optionsProperty } from '../../../shared/requestOptions';
import { LOCALE_OPTIONS, scopesProperty, serviceProperty } from '../../properties';
import { createTransaction } from '../../transport';
import type { ItsmeTransactionRequest } from '../../types';
import { checkLocale, checkPhoneNumber, checkRedirectUrl, checkScopes, checkService } from '../../validation';

interface AdditionalFields {
	locale?: string;
	phoneNumber?: string;
}

/** The request body, every field checked before anything is sent. */
function buildRequest(ctx: IExecuteFunctions, itemIndex: number): ItsmeTransactionRequest {
	const fields = ctx.getNodeParameter('additionalFields', itemIndex, {}) as AdditionalFields;
	const request: ItsmeTransactionRequest = {
		service: checkService(ctx.getNodeParameter('service', itemIndex)),
		scopes: checkScopes(ctx.getNodeParameter('scopes', itemIndex, [])),
		redirectUrl: checkRedirectUrl(ctx.getNodeParameter('redirectUrl', itemIndex)),
	};
	const locale = checkLocale(fields.locale);
	const phoneNumber = checkPhoneNumber(fields.phoneNumber);
	if (locale) request.locale = locale;
	if (phoneNumber) request.phoneNumber = phoneNumber;
	return request;
}

export const create: OperationDefinition = {
	value: 'create',
	name: 'Create',
	action: 'Create a transaction',
	description: 'Start an itsme login or registration; returns the link to send the person to',
	kind: 'write',
	properties: [
		serviceProperty,
		scopesProperty,
		{
			displayName: 'Redirect URL',
			name: 'redirectUrl',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'https://example.com/itsme/return',
			description:
				"Where itsme sends the person when they are done (also after cancelling). With n8n's Wait node: {{ $execution.resumeUrl }}.",
		},
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				{
					displayName: 'Locale',
					name: 'locale',
					type: 'options',
					default: 'en',
					options: LOCALE_OPTIONS,
					description: 'The language of the itsme pages',
				},
				{
					displayName: 'Phone Number',
					name: 'phoneNumber',
					type: 'string',
					default: '',
					placeholder: '+32471234567',
					description: "The person's number in E.164 format, prefilled on the itsme page",
				},
			],
		},
		optionsProperty(),
	],
	async execute(itemIndex, call) {
		const transaction = await createTransaction(this, buildRequest(this, itemIndex), call);
		const json: IDataObject = {
			transactionToken: transaction.transactionToken,
			authenticationUrl: transaction.authenticationUrl,
		};
		return { json };
	},
};
