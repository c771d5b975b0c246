import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { InputError } from '../../../shared/errors';
import { outputMode, outputModeProperty, shapeOutput } from '../../../shared/output';
import type { OperationDefinition } from '../../../shared/resources';
import { optionsProperty } from '../../../shared/requestOptions';
import { imagePrefixOption, readImagePrefix, storeImages } from '../../images';
import { identDataParts, normalizeIdnowIdentData, withoutImageData } from '../../normalize';
import { explainStatusEntry, verdictOf } from '../../status';
import { getIdentData, getSignedIdentData, getStatus, type IdentDataVariant } from '../../transport';
import { orderIdField, orderKindField, readOrderId, readOrderKind } from '../fields';

interface DataOptions {
	IncludeInitialData?: boolean;
	IncludeIdentifyMethod?: boolean;
	IncludeIdentifier?: boolean;
	IncludeEidJwt?: boolean;
	Signed?: boolean;
}

/** In the document's order (3.3.2), which is the order they are sent in; the Options list sorts them by name. */
const VARIANT_OPTIONS: Array<{ name: IdentDataVariant; displayName: string; description: string }> = [
	{
		name: 'IncludeInitialData',
		displayName: 'Include Initial Data',
		description: 'Whether to include the data given to Create as a second entry (Type 2); the normalized output shows it as initialData',
	},
	{
		name: 'IncludeIdentifyMethod',
		displayName: 'Include Identify Method',
		description: 'Whether to include the method used (Video, eID, AutoID…); the normalized output puts it in assurance.method',
	},
	{
		name: 'IncludeIdentifier',
		displayName: 'Include Identifier',
		description: 'Whether to include the internal ID of the agent who conducted the identification',
	},
	{
		name: 'IncludeEidJwt',
		displayName: 'Include eID Attestation (JWT)',
		description: 'Whether to include the transaction attestation of an eID identification (eidJwt)',
	},
];

function chosenVariants(options: DataOptions): IdentDataVariant[] {
	return VARIANT_OPTIONS.map(({ name }) => name).filter((name) => options[name] === true);
}

/**
 * The Signed variant returns an opaque token for a later eSign order (chapter 7), not data: it is its own output,
 * and asking for data variants with it would promise data that does not come.
 */
function assertSignedAlone(variants: IdentDataVariant[]): void {
	if (variants.length > 0) {
		throw new InputError(
			`"Signed" returns only the signed data, so it cannot be combined with ${variants.join(', ')}`,
			'Turn off the other Include options, or use a second Get Data for the readable data.',
		);
	}
}

export const getData: OperationDefinition = {
	value: 'getData',
	name: 'Get Data',
	action: 'Get the identification data of an order',
	description:
		'Read the identified person of a final order (getIdentData), decrypted when the credential holds an AES key; images become binary fields',
	kind: 'read',
	properties: [
		orderIdField,
		{
			...orderKindField,
			displayOptions: { hide: { output: ['raw'] } },
			description: `${orderKindField.description} It decides status and verified.`,
		},
		outputModeProperty,
		optionsProperty([
			...VARIANT_OPTIONS.map(({ name, displayName, description }) => ({
				displayName,
				name,
				type: 'boolean' as const,
				default: false,
				description,
			})),
			imagePrefixOption,
			{
				displayName: 'Signed (For Re-Use)',
				name: 'Signed',
				type: 'boolean',
				default: false,
				description:
					'Whether to get the signed identification data instead, to feed a later eSign order (Create → Signed Identification Data)',
			},
		]),
	],
	async execute(itemIndex, call): Promise<INodeExecutionData> {
		const orderId = readOrderId(this, itemIndex);
		const options = this.getNodeParameter('options', itemIndex, {}) as DataOptions;
		const variants = chosenVariants(options);
		if (options.Signed) {
			assertSignedAlone(variants);
			return { json: { OrderID: orderId, IdentDataSigned: await getSignedIdentData(this, orderId, call) } };
		}
		const mode = outputMode(this, itemIndex);
		const prefix = readImagePrefix(this, itemIndex);
		const answer = await getIdentData(this, orderId, variants, call);
		const parts = identDataParts(answer);
		const { binary, files } = await storeImages(this, parts.images, prefix, 'IdentData.Images');
		const raw = withoutImageData(answer, files.map((file) => file.binaryProperty));
		const withBinary = (json: IDataObject): INodeExecutionData => ({ json, ...(files.length > 0 && { binary }) });
		if (mode === 'raw') return withBinary(raw);

		const statusAnswer = await getStatus(this, orderId, { extendedList: true, includeSubKind: true }, call);
		const verdict = verdictOf((statusAnswer.Status ?? []).map(explainStatusEntry), readOrderKind(this, itemIndex), answer.FraudAttempt === true);
		const identity = normalizeIdnowIdentData({ orderId, ref: statusAnswer.Ref ?? null, answer, verdict, raw });
		return withBinary(
			shapeOutput(mode, identity, {
				finalStatus: verdict.finalStatus,
				images: files,
				...(parts.initial && { initialData: parts.initial }),
			}),
		);
	},
};
