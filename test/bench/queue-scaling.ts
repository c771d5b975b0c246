/**
 * Queue-mode scaling in real n8n: the same burst of signed eeID deliveries (N valid, N/10 forged, 50 in flight) into
 * an eeID Trigger workflow, once on the single-process n8n the other real-n8n benchmarks share, once on n8n in queue
 * mode (dev/lib/queue.ts: PostgreSQL, Redis, a main process, two webhook processes and two workers, the deliveries
 * handed to the webhook processes in turn by the harness's proxy, as a load balancer would). Both run on this one
 * machine, so the queue installation's five n8n processes, PostgreSQL and Redis share its cores with the sender.
 *
 * Throughput is deliveries handled end to end per second: from the first delivery sent to the last of their
 * executions finished (each execution runs the trigger's item through one No Operation node, so the work measured is
 * n8n's and the trigger's, not a workflow's). Each burst also counts the runs per request: every valid delivery must
 * run exactly once and no forged one at all.
 */
import { join } from 'node:path';

import { ensureHarness } from '../../dev/lib/harness';
import { N8nClient } from '../../dev/lib/n8n';
import type { N8nRelease } from '../../dev/lib/n8nVersions';
import { freePort } from '../../dev/lib/proc';
import { startQueueN8n, type RunningQueue } from '../../dev/lib/queue';
import { EeIdSimulator } from '../sandbox/eeid';
import { BENCH_OWNER, type BenchTarget } from './n8n-instance';
import { buildBenchPackage } from './package-build';
import { pool, round, type Result } from './result';
import { eeIdTriggerReceiver, FORGED_EVERY, IN_FLIGHT, post, SETTLE_TIMEOUT_MS, validDelivery } from './webhook-burst';


interface ScalingFigures {
	/** Deliveries handled end to end per second. */
	throughput: number;
	seconds: number;
	acknowledged: number;
	/** How the valid deliveries that were not acknowledged were answered. */
	unanswered: string[];
	forgedRefused: number;
	/** Valid deliveries whose request did not run exactly once, plus runs about no delivered request. */
	notOnce: number;
	failedExecutions: number;
}

async function startQueueTarget(release: N8nRelease, log: (line: string) => void): Promise<RunningQueue & { target: BenchTarget }> {
	await ensureHarness(release);
	const packageRoot = await buildBenchPackage(join(release.paths.logsDir, 'bench-build.log'));
	log('starting n8n in queue mode (PostgreSQL, Redis, main, 2 webhook processes, 2 workers)');
	const running = await startQueueN8n({
		release,
		userFolderRoot: join(release.paths.dir, 'user-bench-queue'),
		port: await freePort(),
		logsDir: release.paths.logsDir,
		logPrefix: 'bench',
		packageRoot,
	});
	try {
		const api = new N8nClient(running.n8n.url, release);
		await api.ensureOwner(BENCH_OWNER);
		return { ...running, target: { api, webhookBaseUrl: running.queue.proxy.url, release } };
	} catch (error) {
		await running.stop();
		throw error;
	}
}

/** Polls until `expected` executions have finished; returns when (performance.now()) the count was first seen there. */
async function allFinishedAt(api: N8nClient, workflowId: string, expected: number): Promise<number> {
	const deadline = Date.now() + SETTLE_TIMEOUT_MS;
	for (;;) {
		const { finished, open } = await api.executionCounts(workflowId);
		if (finished >= expected && open === 0) return performance.now();
		if (Date.now() > deadline) throw new Error(`workflow ${workflowId}: ${finished} of ${expected} executions finished after ${SETTLE_TIMEOUT_MS / 1000} s`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

/** Which request each finished execution of the workflow ran for (the trigger item's transactionId), and how it ended. */
async function runsOf(api: N8nClient, workflowId: string): Promise<Array<{ requestId: string; status: string }>> {
	const ids = (await api.finishedExecutions(workflowId)).map((execution) => execution.id);
	return await pool(ids, 4, async (id) => {
		const execution = await api.getExecution(id);
		const item = (execution.runData['eeID Trigger']?.[0] as { data?: { main?: Array<Array<{ json: { transactionId?: unknown } }>> } } | undefined)?.data?.main?.[0]?.[0];
		return { requestId: String(item?.json.transactionId ?? `(execution ${id})`), status: execution.status };
	});
}

async function scalingBurst(target: BenchTarget, sandbox: EeIdSimulator, sandboxUrl: string, n: number, label: string): Promise<ScalingFigures> {
	const requests = Array.from({ length: n + 1 }, (_, i) =>
		sandbox.createRequestDirect({ reference: `scaling-${label}-${n}-${i}`, claims_required: [{ type: 'sub', value: 'EE38001085718' }] }),
	);
	for (const request of requests) await sandbox.completeRequest(request.id);
	const [warmRequest, ...burstRequests] = requests;
	const deliveries = burstRequests.flatMap((request, i) => {
		const valid = validDelivery(request.id, request.reference);
		if ((i + 1) % FORGED_EVERY !== 0) return [valid];
		return [valid, { ...valid, signature: 'f'.repeat(64), forged: 'signed with another secret' as const }];
	});

	const receiver = await eeIdTriggerReceiver(target, sandboxUrl, `scaling ${label} N=${n}`);
	try {
		// The production webhook is registered a moment after activation: the warm-up is sent until it is taken.
		let warm = await post(receiver.url, validDelivery(warmRequest.id, warmRequest.reference));
		for (const deadline = Date.now() + 60_000; warm.status === 404 && Date.now() < deadline; ) {
			await new Promise((resolve) => setTimeout(resolve, 250));
			warm = await post(receiver.url, validDelivery(warmRequest.id, warmRequest.reference));
		}
		if (warm.status !== 200) throw new Error(`${label}: the warm-up delivery was answered ${warm.status}`);
		await allFinishedAt(target.api, receiver.workflowId, 1);

		const started = performance.now();
		const answers = await pool(deliveries, IN_FLIGHT, (delivery) => post(receiver.url, delivery));
		// Only an acknowledged delivery is sure to have started an execution (an unanswered one counts against the result).
		const acknowledged = answers.filter((answer) => !answer.delivery.forged && answer.status === 200).length;
		const done = await allFinishedAt(target.api, receiver.workflowId, 1 + acknowledged);
		// A second run of a request would finish after the others: give it a moment to show.
		await new Promise((resolve) => setTimeout(resolve, 3000));
		const runs = (await runsOf(target.api, receiver.workflowId)).filter((run) => run.requestId !== warmRequest.id);
		const perRequest = new Map<string, number>();
		for (const run of runs) perRequest.set(run.requestId, (perRequest.get(run.requestId) ?? 0) + 1);
		const strangers = [...perRequest.keys()].filter((id) => !burstRequests.some((request) => request.id === id)).length;
		const seconds = (done - started) / 1000;
		return {
			throughput: n / seconds,
			seconds,
			acknowledged,
			unanswered: [...new Set(answers.filter((answer) => !answer.delivery.forged && answer.status !== 200).map((answer) => String(answer.status ?? answer.error)))],
			forgedRefused: answers.filter((answer) => answer.delivery.forged && answer.status === 401).length,
			notOnce: burstRequests.filter((request) => perRequest.get(request.id) !== 1).length + strangers,
			failedExecutions: runs.filter((run) => run.status !== 'success').length,
		};
	} finally {
		await receiver.stop();
	}
}

function describe(label: string, figures: ScalingFigures, n: number, forged: number): string {
	return `${label}: ${round(figures.throughput, 1)} deliveries/s end to end (${figures.seconds.toFixed(2)} s), ${figures.acknowledged}/${n} acknowledged${figures.unanswered.length ? ` (others: ${figures.unanswered.join(', ')})` : ''}, ${figures.forgedRefused}/${forged} forged refused, ${figures.notOnce} not run exactly once, ${figures.failedExecutions} failed executions`;
}

export async function queueScaling(single: BenchTarget, sizes: number[], log: (line: string) => void): Promise<Result[]> {
	const queue = await startQueueTarget(single.release, log);
	const sandbox = new EeIdSimulator({});
	const sandboxUrl = await sandbox.start();
	const results: Result[] = [];
	try {
		for (const [index, n] of sizes.entries()) {
			const forged = Math.floor(n / FORGED_EVERY);
			// The two installations alternate which goes first from one N to the next.
			const order: Array<[string, BenchTarget]> = index % 2 === 0 ? [['queue', queue.target], ['single', single]] : [['single', single], ['queue', queue.target]];
			const figures = new Map<string, ScalingFigures>();
			for (const [label, target] of order) {
				const result = await scalingBurst(target, sandbox, sandboxUrl, n, label);
				figures.set(label, result);
				log(`  N=${n} ${describe(label === 'queue' ? 'queue mode (2 webhook processes, 2 workers)' : 'one process', result, n, forged)}`);
			}
			const [inQueue, inOne] = [figures.get('queue')!, figures.get('single')!];
			results.push({
				name: `eeID webhook burst in n8n, N=${n} (+${forged} forged, ${IN_FLIGHT} in flight): end-to-end throughput, queue mode (2 webhook processes, 2 workers) / one process`,
				value: round(inQueue.throughput / inOne.throughput, 2),
				unit: '×',
				higherIsBetter: true,
				details: [describe('queue mode', inQueue, n, forged), describe('one process', inOne, n, forged)],
			});
			results.push({
				name: `eeID webhook burst in queue mode, N=${n}: valid deliveries not run exactly once, forged ones not refused, failed executions`,
				value: inQueue.notOnce + (n - inQueue.acknowledged) + (forged - inQueue.forgedRefused) + inQueue.failedExecutions,
				unit: 'deliveries',
				target: 0,
				higherIsBetter: false,
				exact: true,
			});
		}
		return results;
	} finally {
		await sandbox.stop();
		await queue.stop();
	}
}
