/**
 * Runs a polling trigger's `poll` with n8n-core's PollContext: in `trigger` mode through the
 * PollTriggerExecutor an active workflow's schedule uses, in `manual` mode the way the
 * editor's "Fetch test event" does (WorkflowExecute.executePollNode).
 */
import { Container } from '@n8n/di';
import { PollContext, PollTriggerExecutor } from 'n8n-core';
import type { INodeExecutionData, IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import type { AnyNodeType } from './node-types';
import { ensureRuntime } from './runtime';
import type { HarnessWorkflow, NodeRunOptions } from './workflow';
import { createAdditionalData, createWorkflow } from './workflow';

export interface PollOptions extends NodeRunOptions {
	/** `trigger` (default): a scheduled poll of an active workflow; `manual`: a test fetch. */
	mode?: 'trigger' | 'manual';
}

/** What the poll emitted (the items the workflow would start with), or null for "nothing new". */
export async function runPoll(
	nodeType: AnyNodeType,
	options: PollOptions,
): Promise<INodeExecutionData[][] | null> {
	await ensureRuntime();
	const mode = options.mode ?? 'trigger';
	const harness = createWorkflow(nodeType, options, mode);
	const additionalData = createAdditionalData(harness.store);
	return mode === 'manual'
		? await pollManually(harness, additionalData)
		: await pollAsTrigger(harness, additionalData);
}

/** Manual runs use the node's static data in memory only; n8n does not save it afterwards. */
async function pollManually(
	{ workflow, node, nodeType }: HarnessWorkflow,
	additionalData: IWorkflowExecuteAdditionalData,
): Promise<INodeExecutionData[][] | null> {
	const context = new PollContext(workflow, node, additionalData, 'manual', 'manual');
	return await nodeType.poll!.call(context);
}

/**
 * The executor hands emitted items to `__emit` and errors to `__emitError` instead of
 * throwing; both are captured here. Static data is saved after a poll that succeeded
 * (emitted or returned null) and discarded after one that failed.
 */
async function pollAsTrigger(
	{ workflow, node, staticData }: HarnessWorkflow,
	additionalData: IWorkflowExecuteAdditionalData,
): Promise<INodeExecutionData[][] | null> {
	const outcome: { emitted: INodeExecutionData[][] | null; error?: Error } = { emitted: null };
	const context = new PollContext(
		workflow,
		node,
		additionalData,
		'trigger',
		'activate',
		(data) => (outcome.emitted = data),
		(error) => (outcome.error = error),
	);
	const isCurrentWorkflowVersion = () => true;
	await Container.get(PollTriggerExecutor).create(workflow, node, context, isCurrentWorkflowVersion)();
	if (outcome.error) throw outcome.error;
	staticData.commit();
	return outcome.emitted;
}
