import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { NormalizedIdentity } from './identity';

export type OutputMode = 'normalized' | 'raw' | 'both';

/** The "Output" choice every action node offers for results that describe a person. */
export const outputModeProperty: INodeProperties = {
	displayName: 'Output',
	name: 'output',
	type: 'options',
	noDataExpression: true,
	default: 'normalized',
	options: [
		{
			name: 'Normalized Identity',
			value: 'normalized',
			description: 'The same fields for every provider (raw is left null)',
		},
		{ name: 'Raw', value: 'raw', description: "The provider's answer as it came" },
		{ name: 'Both', value: 'both', description: "The normalized identity with the provider's answer in raw" },
	],
};

/**
 * Normalized output keeps `raw` null so that flows which store identities do not store the provider's
 * whole answer by accident; "Both" fills it in. `extra` (e.g. a link to send) is added in every mode.
 */
export function shapeOutput(
	mode: OutputMode,
	identity: NormalizedIdentity,
	extra: IDataObject = {},
): IDataObject {
	if (mode === 'raw') return { ...(identity.raw as IDataObject), ...extra };
	const shaped = { ...identity, ...extra } as unknown as IDataObject;
	if (mode === 'normalized') shaped.raw = null;
	return shaped;
}

export function outputMode(ctx: Pick<IExecuteFunctions, 'getNodeParameter'>, itemIndex: number): OutputMode {
	return ctx.getNodeParameter('output', itemIndex, 'normalized') as OutputMode;
}
