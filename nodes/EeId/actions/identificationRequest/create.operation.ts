import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { OperationDefinition } from '../../../shared/resources';
import { outputMode, outputModeProperty } from '../../../shared/output';
import { optionsProperty } from '../../../shared/requestOptions';
import { createIdentificationRequest } from '../../transport';
import type { EeIdCreateBody, EeIdIdentificationRequest } from '../../types';
import { validateClaims } from '../../validation';
import { requestItem } from './fields';

const LANGUAGES = [
	{ name: 'English', value: 'en' },
	{ name: 'Estonian', value: 'et' },
	{ name: 'Russian', value: 'ru' },
];

const MAY_BE_IGNORED = 'Not part of eeID\'s current API: sent only when filled, and eeID may ignore it';

interface AdditionalFields {
	language?: string;
	reason?: string;
	reasonEn?: string;
	reasonEt?: string;
	reasonRu?: string;
}

function reasonTranslations(fields: AdditionalFields): EeIdCreateBody['reason_translations'] {
	const translations = { en: fields.reasonEn, et: fields.reasonEt, ru: fields.reasonRu };
	const given = Object.entries(translations).filter(([, value]) => value);
	return given.length ? Object.fromEntries(given) : undefined;
}

function buildBody(ctx: IExecuteFunctions, itemIndex: number, fields: AdditionalFields): EeIdCreateBody {
	const claims = ctx.getNodeParameter('claims.claim', itemIndex, []) as Array<{ type?: string; value?: string }>;
	const reference = (ctx.getNodeParameter('reference', itemIndex, '') as string).trim();
	const body: EeIdCreateBody = { claims_required: validateClaims(claims) };
	if (reference) body.reference = reference;
	if (fields.reason) body.reason = fields.reason;
	const translations = reasonTranslations(fields);
	if (translations) body.reason_translations = translations;
	return body;
}

/** eeID's link opens in the person's browser language; ui_locales asks for the language chosen for them. */
function localizedLink(request: EeIdIdentificationRequest, language: string | undefined): IDataObject {
	if (!language || !request.link) return {};
	const link = new URL(request.link);
	link.searchParams.set('ui_locales', language);
	return { localizedLink: link.toString() };
}

export const create: OperationDefinition = {
	value: 'create',
	name: 'Create',
	action: 'Create an identification request',
	description: 'Ask a person to identify with their eID; returns the link to send them',
	kind: 'write',
	properties: [
		{
			displayName: 'Claims Required',
			name: 'claims',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Claim',
			default: {},
			required: true,
			description:
				'Who the person must be. An Identification Number (sub) is required. eeID completes the request whoever authenticates, and says whether they matched: only a match counts as verified.',
			options: [
				{
					displayName: 'Claim',
					name: 'claim',
					values: [
						{
							displayName: 'Type',
							name: 'type',
							type: 'options',
							default: 'sub',
							options: [
								{
									name: 'Identification Number (Sub)',
									value: 'sub',
									description: 'National identification or document number with country prefix, e.g. EE30303039914',
								},
								{ name: 'Name', value: 'name', description: 'Full name of the person' },
								{ name: 'Birth Date', value: 'birthdate', description: 'YYYY-MM-DD' },
								{ name: 'Country', value: 'country', description: 'ISO 3166-1 alpha-2, e.g. EE' },
							],
						},
						{ displayName: 'Value', name: 'value', type: 'string', default: '' },
					],
				},
			],
		},
		{
			displayName: 'Reference',
			name: 'reference',
			type: 'string',
			default: '',
			description: 'Your own unique reference (e.g. a customer or case number); eeID returns it in the webhook',
		},
		{
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: [
				{
					displayName: 'Link Language',
					name: 'language',
					type: 'options',
					default: 'en',
					options: LANGUAGES,
					description: `Adds a second link, localizedLink, that asks eeID for this language (ui_locales). ${MAY_BE_IGNORED}.`,
				},
				{
					displayName: 'Reason',
					name: 'reason',
					type: 'string',
					default: '',
					description: `Why the person is asked to identify. ${MAY_BE_IGNORED}.`,
				},
				{
					displayName: 'Reason (English)',
					name: 'reasonEn',
					type: 'string',
					default: '',
					description: MAY_BE_IGNORED,
				},
				{
					displayName: 'Reason (Estonian)',
					name: 'reasonEt',
					type: 'string',
					default: '',
					description: MAY_BE_IGNORED,
				},
				{
					displayName: 'Reason (Russian)',
					name: 'reasonRu',
					type: 'string',
					default: '',
					description: MAY_BE_IGNORED,
				},
			],
		},
		outputModeProperty,
		optionsProperty(),
	],
	async execute(itemIndex, call) {
		const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as AdditionalFields;
		const body = buildBody(this, itemIndex, fields);
		const request = await createIdentificationRequest(this, body, call);
		return requestItem(request, outputMode(this, itemIndex), localizedLink(request, fields.language));
	},
};
