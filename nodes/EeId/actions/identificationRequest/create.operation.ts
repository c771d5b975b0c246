import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { shapeOutput } from '../../../shared/output';
import type { Operation } from '../../../shared/router';
import { normalizeEeIdRequest } from '../../normalize';
import { createIdentificationRequest } from '../../transport';
import type { EeIdCreateBody, EeIdIdentificationRequest } from '../../types';
import { validateClaims } from '../../validation';
import { callSettings, optionsField, outputField, outputMode, showFor } from './fields';

const OPERATION = 'create';
const LANGUAGES = [
	{ name: 'English', value: 'en' },
	{ name: 'Estonian', value: 'et' },
	{ name: 'Russian', value: 'ru' },
];

export const description: INodeProperties[] = [
	{
		displayName: 'Claims Required',
		name: 'claims',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Claim',
		default: {},
		required: true,
		description: 'What the person must prove; eeID completes the request only if their eID matches',
		displayOptions: showFor(OPERATION),
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
		displayOptions: showFor(OPERATION),
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showFor(OPERATION),
		options: [
			{
				displayName: 'Link Language',
				name: 'language',
				type: 'options',
				default: 'en',
				options: LANGUAGES,
				description: 'Adds a second link that opens eeID in this language (ui_locales)',
			},
			{
				displayName: 'Reason',
				name: 'reason',
				type: 'string',
				default: '',
				description: 'Why the person is asked to identify; shown to them by eeID',
			},
			{
				displayName: 'Reason (English)',
				name: 'reasonEn',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Reason (Estonian)',
				name: 'reasonEt',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Reason (Russian)',
				name: 'reasonRu',
				type: 'string',
				default: '',
			},
		],
	},
	outputField(OPERATION),
	optionsField(OPERATION),
];

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

/** eeID's link opens in the person's browser language; ui_locales pins the language we chose for them. */
function linkFields(request: EeIdIdentificationRequest, language: string | undefined): IDataObject {
	const fields: IDataObject = { link: request.link ?? null, linkExpiresAt: request.link_expires_at ?? null };
	if (language && request.link) {
		const localized = new URL(request.link);
		localized.searchParams.set('ui_locales', language);
		fields.localizedLink = localized.toString();
	}
	return fields;
}

export const operation: Operation = {
	kind: 'write',
	async execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData> {
		const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as AdditionalFields;
		const body = buildBody(this, itemIndex, fields);
		const request = await createIdentificationRequest(this, body, callSettings(this, itemIndex, 'write'));
		const mode = outputMode(this, itemIndex);
		// The raw answer already holds link and link_expires_at; only the localized link is ours to add.
		const { localizedLink, ...links } = linkFields(request, fields.language);
		const extra: IDataObject = mode === 'raw' ? {} : links;
		if (localizedLink) extra.localizedLink = localizedLink;
		return { json: shapeOutput(mode, normalizeEeIdRequest(request), extra) };
	},
};
