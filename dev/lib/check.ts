/** Small helpers for end-to-end cases: assertions about executions, binaries and webhooks. */
import { createHash } from 'crypto';
import type { ExecutionDetail, N8nClient, WorkflowJson } from './n8n';

export function sha256(data: Buffer): string {
	return createHash('sha256').update(data).digest('hex');
}

export function assert(condition: unknown, message: string): asserts condition {
	if (!condition) throw new Error(message);
}

export function assertEqual<T>(actual: T, expected: T, what: string): void {
	if (JSON.stringify(actual) !== JSON.stringify(expected)) {
		throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
	}
}

export function assertSucceeded(execution: ExecutionDetail): void {
	if (execution.status !== 'success') {
		const nodeErrors = Object.entries(execution.runData)
			.flatMap(([name, runs]) => runs.filter((r) => r.error).map((r) => `${name}: ${r.error!.message}`))
			.join('; ');
		throw new Error(`execution ${execution.id} ended ${execution.status}: ${execution.error?.message ?? nodeErrors ?? 'no error recorded'}`);
	}
}

/**
 * Proves that nothing ran: waits `settleMs` (a webhook-started execution is recorded within milliseconds of the
 * response) and checks that the workflow's execution count has not moved.
 */
export async function assertNoNewExecution(api: N8nClient, workflowId: string, before: number, settleMs = 2500): Promise<void> {
	await new Promise((r) => setTimeout(r, settleMs));
	const after = (await api.listExecutions(workflowId)).length;
	if (after !== before) throw new Error(`expected no new execution of workflow ${workflowId}, but it has ${after - before} more`);
}

/**
 * The executions of a workflow newer than execution `afterId`, finished, oldest first, after `settleMs` (for a call
 * that may or may not have started one; execution ids grow with every new execution, in SQLite and PostgreSQL).
 */
export async function executionsAfter(api: N8nClient, workflowId: string, afterId: string, settleMs = 2500): Promise<ExecutionDetail[]> {
	await new Promise((r) => setTimeout(r, settleMs));
	const newer = (await api.listExecutions(workflowId)).filter((execution) => Number(execution.id) > Number(afterId));
	newer.sort((a, b) => Number(a.id) - Number(b.id));
	return await Promise.all(newer.map((execution) => api.waitForExecution(execution.id)));
}

export const manualTrigger = { name: 'Run', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} };

/**
 * Runs a throw-away workflow of `nodes` chained in order, started by hand from the first one (a trigger: the
 * Manual Trigger, or a provider's polling trigger), and returns its finished execution. For node behaviour that
 * no demo workflow covers, in real n8n.
 */
export async function runChain(api: N8nClient, name: string, nodes: Array<Record<string, any>>): Promise<ExecutionDetail> {
	const all: Array<Record<string, any>> = nodes.map((node, index) => ({ id: `n${index}`, position: [220 * index, 0], ...node }));
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < all.length - 1; i++) {
		connections[all[i].name] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	}
	const workflow: WorkflowJson = { name: `e2e: ${name}`, nodes: all, connections, settings: { executionOrder: 'v1' } };
	const created = await api.createWorkflow(workflow);
	const executionId = await api.runManually(created.id, all[0].name);
	return api.waitForExecution(executionId);
}
