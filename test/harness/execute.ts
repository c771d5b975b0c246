/**
 * Runs a node's `execute` through n8n-core's `WorkflowExecute`, the engine n8n itself uses:
 * parameter resolution per item, pairedItem lineage, "On Error: Continue" and the
 * ExecuteContext the node receives are all the real thing.
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type { INodeExecutionData, IRun } from 'n8n-workflow';
import { createRunExecutionData } from 'n8n-workflow';

import type { BinaryContent } from './binary';
import { readBinary } from './binary';
import type { AnyNodeType } from './node-types';
import { ensureRuntime } from './runtime';
import type { NodeRunOptions } from './workflow';
import { createAdditionalData, createWorkflow } from './workflow';

export interface ExecuteOptions extends NodeRunOptions {
	/** The node's input items; one empty item by default, like a manual trigger provides. */
	items?: INodeExecutionData[];
	/** `trigger` (default) runs as a production execution, `manual` as a run from the editor. */
	mode?: 'trigger' | 'manual';
}

export interface ExecuteResult {
	output: INodeExecutionData[][];
	/** Reads binary property `property` (default `data`) of item `itemIndex` of the first output. */
	binary(itemIndex: number, property?: string): Promise<BinaryContent>;
}

export async function runExecute(
	nodeType: AnyNodeType,
	options: ExecuteOptions,
): Promise<ExecuteResult> {
	await ensureRuntime();
	const mode = options.mode ?? 'trigger';
	const { workflow, workflowData, node, store, staticData } = createWorkflow(nodeType, options, mode);
	const additionalData = createAdditionalData(store);
	additionalData.hooks = new ExecutionLifecycleHooks(mode, additionalData.executionId!, workflowData);

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node, data: { main: [options.items ?? [{ json: {} }]] }, source: null }],
		},
	});
	const run = await new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(
		workflow,
	);
	// n8n saves static data after every production execution, failed ones included.
	if (mode !== 'manual') staticData.commit();

	const output = nodeOutput(run, node.name);
	return {
		output,
		binary: async (itemIndex, property) => await readOutputBinary(output, itemIndex, property),
	};
}

/**
 * A failed node fails the run. n8n records the node's error in serialised form (a plain
 * object with `name: 'NodeApiError'`, `httpCode`, `description`, ...); it is rethrown as an
 * Error carrying those fields, so tests match on them rather than on `instanceof`.
 */
function nodeOutput(run: IRun, nodeName: string): INodeExecutionData[][] {
	const { error, runData } = run.data.resultData;
	if (error) throw Object.assign(new Error(error.message), error);
	const main = runData[nodeName]?.[0]?.data?.main ?? [];
	return main.map((items) => items ?? []);
}

async function readOutputBinary(
	output: INodeExecutionData[][],
	itemIndex: number,
	property = 'data',
): Promise<BinaryContent> {
	const binary = output[0]?.[itemIndex]?.binary?.[property];
	if (!binary) throw new Error(`Output item ${itemIndex} has no binary property "${property}"`);
	return await readBinary(binary);
}
