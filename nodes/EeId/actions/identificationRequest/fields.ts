import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { outputModeProperty, type OutputMode } from '../../../shared/output';
import { readRequestOptions, requestOptionFields } from '../../../shared/transport';
import type { OperationKind } from '../../../shared/router';
import type { EeIdCallSettings } from '../../transport';

export const RESOURCE = 'identificationRequest';

export function showFor(operation: string): IDisplayOptions {
	return { show: { resource: [RESOURCE], operation: [operation] } };
}

export function requestIdField(operation: string): INodeProperties {
	return {
		displayName: 'Identification Request ID',
		name: 'requestId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '497f6eca-6276-4993-bfeb-53cbbbba6f08',
		description: 'The UUID eeID returned when the request was created',
		displayOptions: showFor(operation),
	};
}

export function outputField(operation: string): INodeProperties {
	return { ...outputModeProperty, displayOptions: showFor(operation) };
}

export function optionsField(operation: string, extra: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor(operation),
		options: [...extra, ...requestOptionFields].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

export function callSettings(ctx: IExecuteFunctions, itemIndex: number, kind: OperationKind): EeIdCallSettings {
	const { retry, timeoutMs } = readRequestOptions(ctx, itemIndex, kind);
	return { itemIndex, retry, timeoutMs };
}

export function outputMode(ctx: IExecuteFunctions, itemIndex: number): OutputMode {
	return ctx.getNodeParameter('output', itemIndex, 'normalized') as OutputMode;
}
