/**
 * An action node described as data: resources, each with its operations, each operation with its own parameters
 * and its execute function. From that one description come the Resource and Operation selectors, every
 * parameter's displayOptions, the subtitle and the dispatch, so a new operation is one entry in one list.
 */
import type {
	IDisplayOptions,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULT_CONCURRENCY, readRequestOptions, type CallSettings, type OperationKind } from './requestOptions';
import { routeItems } from './router';

export interface OperationDefinition<Value extends string = string> {
	value: Value;
	/** Shown in the Operation list, e.g. 'Get Many'. */
	name: string;
	/** Sentence-case action n8n shows in the nodes panel, e.g. 'Get many identification requests'. */
	action: string;
	description: string;
	/** Reads run side by side by default; writes one at a time. */
	kind: OperationKind;
	/** The operation's own parameters; displayOptions for its resource and operation are added for it. */
	properties: INodeProperties[];
	execute(
		this: IExecuteFunctions,
		itemIndex: number,
		call: CallSettings,
	): Promise<INodeExecutionData | INodeExecutionData[]>;
}

export interface ResourceDefinition<Value extends string = string> {
	value: Value;
	name: string;
	operations: OperationDefinition[];
	/** The operation selected when the resource is picked; default the first one. */
	defaultOperation?: string;
}

function showFor(resource: string, operation: string): IDisplayOptions {
	return { show: { resource: [resource], operation: [operation] } };
}

/** An operation's parameter, shown for its resource and operation, keeping any conditions of its own. */
function scoped(property: INodeProperties, resource: string, operation: string): INodeProperties {
	const own = property.displayOptions ?? {};
	return {
		...property,
		displayOptions: { ...own, show: { ...own.show, ...showFor(resource, operation).show } },
	};
}

function byName<T extends { name: string }>(a: T, b: T): number {
	return a.name.localeCompare(b.name);
}

/** Resource selector, one Operation selector per resource, then every operation's parameters. */
export function nodeProperties(resources: ResourceDefinition[]): INodeProperties[] {
	const firstResource = resources[0].value;
	const resourceSelector: INodeProperties = {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [...resources].sort(byName).map(({ name, value }) => ({ name, value })),
		default: firstResource,
	};
	const operationSelectors = resources.map((resource): INodeProperties => {
		const defaultOperation = resource.defaultOperation ?? resource.operations[0].value;
		return {
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource.value] } },
			default: defaultOperation,
			options: [...resource.operations]
				.sort(byName)
				.map(({ name, value, action, description }) => ({ name, value, action, description })),
		};
	});
	const parameters = resources.flatMap((resource) =>
		resource.operations.flatMap((operation) =>
			operation.properties.map((property) => scoped(property, resource.value, operation.value)),
		),
	);
	return [resourceSelector, ...operationSelectors, ...parameters];
}

/** The node subtitle: the chosen operation's name, or "Resource: Operation" when the node has several resources. */
export function nodeSubtitle(resources: ResourceDefinition[]): string {
	const labels: Record<string, string> = {};
	for (const resource of resources) {
		for (const operation of resource.operations) {
			labels[`${resource.value}:${operation.value}`] =
				resources.length > 1 ? `${resource.name}: ${operation.name}` : operation.name;
		}
	}
	return `={{ ${JSON.stringify(labels)}[$parameter["resource"] + ":" + $parameter["operation"]] }}`;
}

export function findOperation(
	ctx: Pick<IExecuteFunctions, 'getNode' | 'getNodeParameter'>,
	resources: ResourceDefinition[],
): OperationDefinition {
	const resourceValue = String(ctx.getNodeParameter('resource', 0));
	const operationValue = String(ctx.getNodeParameter('operation', 0));
	const resource = resources.find((candidate) => candidate.value === resourceValue);
	if (!resource) {
		throw new NodeOperationError(ctx.getNode(), `The resource "${resourceValue}" is not known to this node`, {
			description: `Choose one of: ${resources.map((candidate) => candidate.name).join(', ')}.`,
		});
	}
	const operation = resource.operations.find((candidate) => candidate.value === operationValue);
	if (!operation) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The operation "${operationValue}" is not known for the resource "${resource.name}"`,
			{ description: `Choose one of: ${resource.operations.map((candidate) => candidate.name).join(', ')}.` },
		);
	}
	return operation;
}

/**
 * The node-wide concurrency, read from the first item's options. A mistake in those options is that item's error
 * (reported in its turn, so "On Error: Continue" applies); the other items then run at the default concurrency.
 */
function concurrencyOf(ctx: IExecuteFunctions, kind: OperationKind): number {
	try {
		return readRequestOptions(ctx, 0, kind).concurrency;
	} catch {
		return DEFAULT_CONCURRENCY[kind];
	}
}

/** A node's execute(): the chosen operation over every item, each with the call settings of its own options. */
export async function executeResources(
	this: IExecuteFunctions,
	resources: ResourceDefinition[],
): Promise<INodeExecutionData[][]> {
	const operation = findOperation(this, resources);
	const concurrency = concurrencyOf(this, operation.kind);
	return await routeItems.call(
		this,
		{
			kind: operation.kind,
			async execute(this: IExecuteFunctions, itemIndex: number) {
				const { itemIndex: index, retry, timeoutMs } = readRequestOptions(this, itemIndex, operation.kind);
				return await operation.execute.call(this, itemIndex, { itemIndex: index, retry, timeoutMs });
			},
		},
		{ concurrency },
	);
}
