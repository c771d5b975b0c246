/** The parameters of Order → Create: every element of putOrder's body (3.1.4), the rare ones through JSON. */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { IDNOW_ORDER_WEBHOOK_KINDS } from '../../constants';
import { triggerUrlField } from '../../webhookUrls';

/**
 * The product table lost its numbers in the document: 13 (eID) is certain, 12 and 15 nearly so, the others follow
 * the table's order (PROVIDERS.md). "Custom" takes any number for products IDnow enables that are not listed.
 */
const PRODUCTS: INodePropertyOptions[] = [
	{ name: '10 – Identification Without Video or AutoID', value: 10 },
	{ name: '11 – ShopIdent', value: 11 },
	{ name: '12 – Identification Including Video', value: 12 },
	{ name: '13 – eID (German Online ID)', value: 13 },
	{ name: '15 – eSign', value: 15 },
	{ name: '16 – AutoID', value: 16 },
	{ name: '17 – Mobile Number Verification', value: 17 },
	{ name: '19 – Reader (PoS)', value: 19 },
	{ name: 'Custom Number', value: 'custom' },
];

/** Bits of Add (3.1.4); the PoS value is garbled in the document, so it is left to Add (Raw Value). */
const ADD_FLAGS: INodePropertyOptions[] = [
	{ name: '1 – eID: Only Request the Restricted Identifier', value: 1 },
	{ name: '4 – Sign-Me: Use Existing Account, Else Create One', value: 4 },
	{ name: '8 – Sign-Me: Create Account', value: 8 },
	{ name: '16 – Sign-Me: Use Existing Account', value: 16 },
	{ name: '128 – eSign: AES Instead of QES', value: 128 },
	{ name: '256 – eSign: BES Instead of QES (Sign-Me Only)', value: 256 },
	{ name: '4096 – Driving Licence Check With ID', value: 4096 },
	{ name: '8192 – Driving Licence Check Without ID', value: 8192 },
	{ name: '131072 – Record Video', value: 131072 },
];

const DATE_HINT = 'YYYY-MM-DD';

function textField(displayName: string, name: string, description: string, placeholder?: string): INodeProperties {
	return { displayName, name, type: 'string', default: '', description, ...(placeholder && { placeholder }) };
}

function countryField(displayName: string, name: string, description = 'ISO 3166-1 alpha-2 code, e.g. DE'): INodeProperties {
	return textField(displayName, name, description, 'DE');
}

function dateField(displayName: string, name: string, description: string): INodeProperties {
	return textField(displayName, name, `${description} (${DATE_HINT})`, '1964-08-12');
}

const ID_CARD_FIELDS: INodeProperties[] = [
	textField('Card Number', 'CardNo', 'ID document number, at most 50 characters'),
	textField('Place of Issue', 'PlaceOfIssue', 'At most 100 characters'),
	dateField('Date of Issue', 'DateOfIssue', 'ID document date of issue'),
	countryField('Country of Issue', 'CountryOfIssue'),
	dateField('Valid Until', 'ValidUntil', 'ID document valid until'),
	textField('Document Type', 'Type', 'e.g. IDCard or Passport', 'IDCard'),
	textField(
		'Front Image (Binary Field)',
		'frontImage',
		'The binary field of the input item holding a JPEG of the front side (sent Base64-encoded)',
		'front',
	),
	textField('Back Image (Binary Field)', 'backImage', 'The binary field of the input item holding a JPEG of the back side', 'back'),
];

const DRIVER_LICENCE_FIELDS: INodeProperties[] = [
	textField('Licence Number', 'LicenceNo', 'At most 50 characters'),
	textField('Classes', 'Classes', 'At most 50 characters', 'B, BE'),
	countryField('Country of Issue', 'CountryOfIssue'),
	dateField('Date of Issue', 'DateOfIssue', 'Date of issue'),
	dateField('Valid Until', 'ValidUntil', 'Date until the licence is valid'),
];

const ADDITIONAL_IDENT_FIELD: INodeProperties = {
	displayName: 'Additional Fields to Check',
	name: 'Additional',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Field',
	default: {},
	description: 'Special attributes the agent checks: up to 10 (2 for ShopIdent)',
	options: [
		{
			displayName: 'Field',
			name: 'field',
			values: [
				textField('Name', 'name', 'Key of the field in IdentData.Additional, at most 50 characters', 'idCardDateOfIssue'),
				{
					displayName: 'Type',
					name: 'type',
					type: 'options',
					default: 1,
					options: [
						{ name: 'Text', value: 1 },
						{ name: 'Date', value: 2 },
						{ name: 'Boolean', value: 3 },
						{ name: 'Country Code', value: 4 },
					],
				},
				textField('Label', 'label', 'Readable label for the agent, at most 100 characters', 'Date of Issue'),
				textField('Value', 'value', 'Initial value (dates YYYY-MM-DD, booleans true or false), at most 150 characters'),
			],
		},
	],
};

/** IdentData (3.1.4): what the person's identification is checked against; empty fields are picked by IDnow. */
const personProperty: INodeProperties = {
	displayName: 'Person to Check (IdentData)',
	name: 'person',
	type: 'collection',
	placeholder: 'Add Person Field',
	default: {},
	description: 'The data IDnow checks the identification against; fields left out are read from the document',
	options: [
		textField('First Name', 'Firstname', 'At most 50 characters', 'Erika'),
		textField('Last Name', 'Surname', 'At most 50 characters', 'Mustermann'),
		textField('Street', 'Street', 'Street and house number, at most 100 characters', 'Heidestr. 17'),
		textField('ZIP Code', 'ZipCode', 'At most 5 characters', '51147'),
		textField('City', 'City', 'At most 100 characters', 'Köln'),
		countryField('Country', 'Country'),
		dateField('Birth Date', 'Birthdate', 'Date of birth'),
		textField('Birthplace', 'Birthplace', 'At most 100 characters', 'Berlin'),
		textField('Birth Name', 'Birthname', 'Surname at birth, at most 75 characters; only determined when given'),
		textField('Nationality', 'Nationality', 'At most 50 characters', 'DE'),
		textField('Title', 'Title', 'At most 50 characters'),
		textField('Artist Name', 'Artistname', 'Artist name or alias, at most 50 characters'),
		{
			displayName: 'Gender',
			name: 'Gender',
			type: 'options',
			default: 'female',
			options: [
				{ name: 'Female', value: 'female' },
				{ name: 'Male', value: 'male' },
				{ name: 'Diverse', value: 'diverse' },
			],
		},
		textField('Email', 'Email', 'At most 50 characters', 'name@email.com'),
		textField('Mobile', 'Mobile', 'International number, e.g. +491701234567', '+491701234567'),
		textField('Collected By', 'CollectedBy', 'Who carried out the identification (PoS eSign service only), at most 255 characters'),
		{
			displayName: 'ID Card',
			name: 'IDCard',
			type: 'fixedCollection',
			placeholder: 'Add ID Card',
			default: {},
			options: [{ displayName: 'ID Card', name: 'card', values: ID_CARD_FIELDS }],
		},
		{
			displayName: 'Driver Licence',
			name: 'DriverLicence',
			type: 'fixedCollection',
			placeholder: 'Add Driver Licence',
			default: {},
			description: 'For the driving licence check (Add 4096 or 8192)',
			options: [{ displayName: 'Driver Licence', name: 'licence', values: DRIVER_LICENCE_FIELDS }],
		},
		ADDITIONAL_IDENT_FIELD,
	],
};

const ESIGN_DOCUMENT_VALUES: INodeProperties[] = [
	{
		displayName: 'Input Binary Field',
		name: 'binaryProperty',
		type: 'string',
		default: 'data',
		required: true,
		description: 'The binary field of the input item holding the PDF to sign (unprotected)',
	},
	textField('File Name', 'filename', 'At most 50 characters; default the binary file name'),
	{
		displayName: 'Signature Placement',
		name: 'placement',
		type: 'options',
		default: 'default',
		options: [
			{ name: "IDnow's Default", value: 'default' },
			{ name: 'Position', value: 'position', description: 'X/Y in PDF points (1/72 inch) from the lower left corner' },
			{ name: 'Signature Field', value: 'fieldName', description: 'A signature field the PDF already has' },
			{ name: 'Text Tag', value: 'tag', description: 'A text that appears exactly once in the PDF' },
		],
	},
	{
		displayName: 'Page',
		name: 'page',
		type: 'number',
		default: 1,
		typeOptions: { minValue: 1 },
		displayOptions: { show: { placement: ['position', 'fieldName', 'tag'] } },
	},
	...(['SignaturePosX', 'SignaturePosY', 'SignatureWidth', 'SignatureHeight'] as const).map(
		(name): INodeProperties => ({
			displayName: { SignaturePosX: 'X', SignaturePosY: 'Y', SignatureWidth: 'Width', SignatureHeight: 'Height' }[name],
			name,
			type: 'number',
			default: 0,
			typeOptions: { minValue: 0 },
			description: name.startsWith('SignaturePos') ? 'In PDF points' : 'In PDF points; 0 leaves it to IDnow',
			displayOptions: { show: { placement: ['position'] } },
		}),
	),
	{
		...textField('Field Name', 'SignatureFieldName', 'The name of the signature field in the PDF'),
		displayOptions: { show: { placement: ['fieldName'] } },
	},
	{
		...textField('Tag', 'SignatureTag', 'The text marking where the signature goes; it must appear only once in the PDF'),
		displayOptions: { show: { placement: ['tag'] } },
	},
	...(['SignatureOffsetPosX', 'SignatureOffsetPosY'] as const).map(
		(name): INodeProperties => ({
			displayName: name === 'SignatureOffsetPosX' ? 'Offset X' : 'Offset Y',
			name,
			type: 'number',
			default: 0,
			typeOptions: { numberPrecision: 0 },
			description: 'In PDF points from the tag',
			displayOptions: { show: { placement: ['tag'] } },
		}),
	),
];

const orderFieldsProperty: INodeProperties = {
	displayName: 'Additional Fields',
	name: 'orderFields',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	options: [
		{
			displayName: 'Add',
			name: 'add',
			type: 'multiOptions',
			default: [],
			options: ADD_FLAGS,
			description: 'Additional product behaviours, combined into the Add bit mask (none: 0, normal behaviour)',
		},
		{
			displayName: 'Add (Raw Value)',
			name: 'addRaw',
			type: 'number',
			default: 0,
			typeOptions: { minValue: 0, numberPrecision: 0 },
			description: 'Bits not listed under Add (e.g. the PoS identification service), combined with them',
		},
		{
			displayName: 'Additional Body (JSON)',
			name: 'jsonBody',
			type: 'json',
			default: '{}',
			description:
				'Further putOrder elements as JSON, merged into the body, e.g. {"eSignOptions": {"AdditionalCheckboxes": ["I agree"]}} or MultiSignOptions. An element set here and in a field is refused.',
		},
		{
			displayName: 'Address',
			name: 'Address',
			type: 'fixedCollection',
			placeholder: 'Add Address',
			default: {},
			description: "The customer's contact address; required by IDnow when the account may use ShopIdent",
			options: [
				{
					displayName: 'Address',
					name: 'address',
					values: [
						textField('First Name', 'Firstname', 'Required, at most 50 characters'),
						textField('Last Name', 'Surname', 'Required, at most 50 characters'),
						textField('Company Name', 'CompanyName', 'At most 50 characters'),
						textField('Street', 'Street', 'At most 50 characters'),
						textField('ZIP Code', 'ZipCode', 'At most 5 characters'),
						textField('City', 'City', 'At most 100 characters'),
						countryField('Country', 'Country', 'Required: ISO 3166-1 alpha-2 code, e.g. DE'),
					],
				},
			],
		},
		textField('Customer Route Tag', 'CustomerRouteTag', 'Routes the order to another preconfigured account, e.g. for invoicing; at most 250 characters'),
		{
			displayName: 'eID Settings',
			name: 'eidSettings',
			type: 'multiOptions',
			default: [],
			description: 'Settings for eID, ignored when the person picks another method',
			options: [
				{ name: 'Capture Images', value: 'CaptureImages' },
				{ name: 'Disable eID', value: 'DisableEID' },
				{ name: 'Enable OCR', value: 'EnableOCR' },
				{ name: 'No Video Fallback', value: 'NoVideoFallback' },
				{ name: 'Verify Mobile Number', value: 'VerifyMobileNumber' },
			],
		},
		{
			displayName: 'Email Notifications',
			name: 'EmailNotifications',
			type: 'fixedCollection',
			placeholder: 'Add Email Notifications',
			default: {},
			description: 'Final processing mails to these addresses (overrides the account settings)',
			options: [
				{
					displayName: 'Notify',
					name: 'notify',
					values: [
						textField('On Positive Identification', 'OnPositiveIdent', 'E-mail address, at most 150 characters'),
						textField('On Negative Identification', 'OnNegativeIdent', 'E-mail address, at most 150 characters'),
						textField('On Time Out', 'OnTimeOut', 'E-mail address, at most 150 characters'),
						textField('On Leave', 'OnLeave', 'E-mail address; the person left the identification'),
					],
				},
			],
		},
		{
			displayName: 'eSign Documents',
			name: 'eSignDocuments',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Document',
			default: {},
			description: 'PDFs to sign (Product 15), each from a binary field of the input item',
			options: [{ displayName: 'Document', name: 'document', values: ESIGN_DOCUMENT_VALUES }],
		},
		{
			displayName: 'eSign Hashes',
			name: 'eSignHashes',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Hash',
			default: {},
			description: 'Hashes of prepared PDFs to sign instead of the PDFs (Product 15)',
			options: [
				{
					displayName: 'Hash',
					name: 'hash',
					values: [
						textField('Hash', 'Hash', 'Base64 hash of the prepared PDF'),
						textField('File Name', 'Filename', 'At most 50 characters'),
					],
				},
			],
		},
		textField('eSign TAN SMS Text', 'eSignTanSmsText', 'SMS text for the signing TAN (eSign orders only); [TAN] is replaced by the TAN', 'Your TAN: [TAN]'),
		{
			displayName: 'Get Deep Link',
			name: 'getDeepLink',
			type: 'boolean',
			default: false,
			description: 'Whether to get a deep link into the IDnow app (DeepLinkURL)',
		},
		{
			displayName: 'Get Video Hashes',
			name: 'getVideoHashes',
			type: 'boolean',
			default: false,
			description: 'Whether to get the codes to start a video identification in the app or SDK (Products 12 and 15)',
		},
		{
			displayName: 'Language (Lang)',
			name: 'Lang',
			type: 'string',
			default: '',
			placeholder: 'de',
			description: 'ISO 639-1 language hint for the video agent; no effect on web or app',
		},
		{
			displayName: 'Legitimation Documents',
			name: 'LegitimationDocument',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Document',
			default: {},
			description: 'Documents the agent asks for when the defaults are not enough',
			options: [{ displayName: 'Document', name: 'document', values: [textField('Description', 'description', 'Shown to the agent, at most 50 characters')] }],
		},
		textField('Mobile', 'Mobile', "The customer's mobile number, international, e.g. +491711234567", '+491711234567'),
		textField('Phone', 'Phone', "The customer's phone number, international", '+4922112345678'),
		textField('Purpose', 'Purpose', 'Purpose of the identification shown in the app, for every language; at most 150 characters'),
		{
			displayName: 'Purpose per Language',
			name: 'purposeByLanguage',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Language',
			default: {},
			description: 'Purpose texts by two-letter language code (instead of Purpose)',
			options: [
				{
					displayName: 'Language',
					name: 'language',
					values: [textField('Language Code', 'code', 'Two letters, e.g. de', 'de'), textField('Text', 'text', 'At most 150 characters')],
				},
			],
		},
		textField('Redirect URL on Abort', 'redirectAbort', 'Where the person goes after a failure; at most 150 characters. [OrderID] and [Ref] are replaced.'),
		textField('Redirect URL on Success', 'redirectSuccess', 'Where the person goes after success; at most 150 characters. [OrderID] and [Ref] are replaced.'),
		textField(
			'Signed Identification Data',
			'IdentDataSigned',
			'The result of Identification → Get Data with "Signed" for an earlier order, to sign without identifying again (eSign orders)',
		),
		{
			displayName: 'Testrobot Outcome (Autotest)',
			name: 'Autotest',
			type: 'options',
			default: 'POSITIVE',
			options: [
				{ name: 'Positive', value: 'POSITIVE' },
				{ name: 'Negative', value: 'NEGATIVE' },
				{ name: 'Fraud', value: 'FRAUD' },
			],
			description: 'Integration accounts only: the order completes by itself about 20 s later with this outcome',
		},
		textField('Verification SMS Text', 'verificationSmsText', 'SMS text for mobile number verification; [TAN] is replaced by the TAN', 'Your code: [TAN]'),
		{
			displayName: 'Webhook URLs',
			name: 'webhookUrls',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Webhook URL',
			default: {},
			description: 'URLs IDnow calls for this order; one of them wins over "Send Webhooks to IDnow Trigger" for its kind',
			options: [
				{
					displayName: 'Webhook',
					name: 'webhook',
					values: [
						{
							displayName: 'Kind',
							name: 'kind',
							type: 'options',
							default: 'OnFinal',
							options: IDNOW_ORDER_WEBHOOK_KINDS.map((kind) => ({ name: kind, value: kind })),
						},
						textField('URL', 'url', 'At most 250 characters; [OrderID], [Ref] and (OnStatusChange) [statusCode] are replaced'),
					],
				},
			],
		},
	],
};

export const createProperties: INodeProperties[] = [
	{
		displayName: 'Product',
		name: 'product',
		type: 'options',
		default: 12,
		options: PRODUCTS,
		description: 'The product to use; it must be enabled for the account',
	},
	{
		displayName: 'Product Number',
		name: 'productNumber',
		type: 'number',
		default: 12,
		required: true,
		typeOptions: { minValue: 0, numberPrecision: 0 },
		displayOptions: { show: { product: ['custom'] } },
	},
	{
		displayName: 'Ref',
		name: 'ref',
		type: 'string',
		default: '',
		placeholder: 'customer-4711',
		description:
			'Your reference for the order, at most 100 characters. Use only a-z A-Z 0-9 - . + to find orders by it later.',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		default: '',
		placeholder: 'name@email.com',
		description: "The customer's e-mail address, at most 50 characters. IDnow e-mails the link to it.",
	},
	{
		displayName: 'Get Link',
		name: 'getTargetLink',
		type: 'boolean',
		default: true,
		description: 'Whether to get the link for the person (TargetURL) in the output; otherwise IDnow only e-mails it',
	},
	{
		displayName: 'Send Webhooks to IDnow Trigger',
		name: 'sendToTrigger',
		type: 'boolean',
		default: false,
		description:
			"Whether to set the order's webhook URLs to an IDnow Trigger's URLs (with the credential's Webhook Token and the placeholders)",
	},
	{ ...triggerUrlField, displayOptions: { show: { sendToTrigger: [true] } } },
	{
		displayName: 'Webhook Kinds',
		name: 'triggerKinds',
		type: 'multiOptions',
		default: ['AfterIdent', 'OnFinal', 'OnError', 'OnVideoError', 'OnStatusChange'],
		options: IDNOW_ORDER_WEBHOOK_KINDS.map((kind) => ({ name: kind, value: kind })),
		description: 'The kinds sent to the trigger (AfterVideo and AfterIdent exclude each other); its Events choose which start the workflow',
		displayOptions: { show: { sendToTrigger: [true] } },
	},
	personProperty,
	orderFieldsProperty,
];
