/**
 * Status sweep in real n8n: the status of N eeID identification requests, fetched by a manually run workflow,
 * against the eeID sandbox answering after 50 ms and serving at most 10 requests of one client at a time (one more
 * is answered 429 with Retry-After: 1). The physical limit is therefore 10 / 50 ms = 200 requests per second.
 *
 * The same job four ways, each in the same run, at every N:
 * - our eeID node, operation Get, at its default settings;
 * - n8n's HTTP Request node at its defaults: every item's request at once;
 * - the HTTP Request node with its Batching option (10 items per batch, 100 ms apart), what its own 429 message
 *   ("Try spacing your requests out using the batching settings") points a careful user to;
 * - the HTTP Request node inside Loop Over Items (10 items per round), the careful way that waits for each round.
 * - for reference, not a configuration: the HTTP Request node at its defaults against the sandbox with its limit
 *   lifted, which shows how fast n8n itself issues the requests on this machine (its own ceiling).
 * The HTTP Request nodes authenticate as a user without this package would: n8n's generic "OAuth2 API" credential
 * with the Client Credentials grant, pointed at eeID's token endpoint (client id and secret sent as Basic auth).
 * Each run gets a credential of its own, so every run starts without a token, as a first run does.
 */
import { EEID_REQUESTS_PATH, EEID_TEST_CLIENT, EEID_TOKEN_PATH, EeIdSimulator } from '../sandbox/eeid';
import { packageName } from '../../dev/lib/package';
import type { ExecutionDetail, N8nClient, WorkflowJson } from '../../dev/lib/n8n';
import { freshCredential, type BenchTarget } from './n8n-instance';
import { median, round, type Result } from './result';

const LATENCY_MS = 50;
const MAX_IN_FLIGHT = 10;
/** Requests per second the sandbox can serve one client: MAX_IN_FLIGHT every LATENCY_MS. */
const PHYSICAL_LIMIT = (MAX_IN_FLIGHT * 1000) / LATENCY_MS;
const REPEATS = 3;

type VariantId = 'ours' | 'httpDefault' | 'httpBatching' | 'httpLoop' | 'httpUnlimited';

interface Variant {
	id: VariantId;
	label: string;
	/** Run against the sandbox without its in-flight limit (a reference, not a way a user could choose). */
	unlimited?: true;
	/** The nodes after the item source, their connections, and where the results come out. */
	build(ctx: BuildContext): { nodes: Array<Record<string, any>>; connections: Record<string, unknown>; jobNodes: string[]; resultNode: string };
	credential(api: N8nClient, baseUrl: string, run: string): Promise<{ type: string; ref: { id: string; name: string } }>;
}

interface BuildContext {
	baseUrl: string;
	credentials: Record<string, { id: string; name: string }>;
}

const SOURCE = 'Split';

function main(from: string, to: string, output = 0): Record<string, unknown> {
	const outputs: Array<Array<{ node: string; type: string; index: number }>> = [];
	for (let i = 0; i <= output; i++) outputs.push(i === output ? [{ node: to, type: 'main', index: 0 }] : []);
	return { [from]: { main: outputs } };
}

const eeIdCredential = (api: N8nClient, baseUrl: string, run: string) =>
	freshCredential(api, 'eeIdApi', `bench sweep ${run}`, {
		clientId: EEID_TEST_CLIENT.clientId,
		clientSecret: EEID_TEST_CLIENT.clientSecret,
		baseUrl,
	}).then((ref) => ({ type: 'eeIdApi', ref }));

/** n8n's generic OAuth2 credential, Client Credentials grant, against eeID's token endpoint. */
const oauth2Credential = (api: N8nClient, baseUrl: string, run: string) =>
	freshCredential(api, 'oAuth2Api', `bench sweep ${run}`, {
		grantType: 'clientCredentials',
		accessTokenUrl: `${baseUrl}${EEID_TOKEN_PATH}`,
		clientId: EEID_TEST_CLIENT.clientId,
		clientSecret: EEID_TEST_CLIENT.clientSecret,
		scope: '',
		authentication: 'header',
	}).then((ref) => ({ type: 'oAuth2Api', ref }));

function httpNode(ctx: BuildContext, options: Record<string, unknown> = {}): Record<string, any> {
	return {
		name: 'Get status',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			url: `=${ctx.baseUrl}${EEID_REQUESTS_PATH}/{{ $json.ids }}`,
			authentication: 'genericCredentialType',
			genericAuthType: 'oAuth2Api',
			options,
		},
		credentials: { oAuth2Api: ctx.credentials.oAuth2Api },
	};
}

/** A way that is the HTTP Request node alone after the items. */
function httpRequestAlone(node: Record<string, any>) {
	return { nodes: [node], connections: main(SOURCE, 'Get status'), jobNodes: ['Get status'], resultNode: 'Get status' };
}

const VARIANTS: Variant[] = [
	{
		id: 'ours',
		label: 'eeID node, Get (defaults)',
		credential: eeIdCredential,
		build: (ctx) => ({
			nodes: [
				{
					name: 'Get status',
					type: `${packageName}.eeId`,
					typeVersion: 1,
					parameters: { resource: 'identificationRequest', operation: 'get', requestId: '={{ $json.ids }}' },
					credentials: { eeIdApi: ctx.credentials.eeIdApi },
				},
			],
			connections: main(SOURCE, 'Get status'),
			jobNodes: ['Get status'],
			resultNode: 'Get status',
		}),
	},
	{
		id: 'httpDefault',
		label: 'HTTP Request (defaults: all at once)',
		credential: oauth2Credential,
		build: (ctx) => httpRequestAlone(httpNode(ctx)),
	},
	{
		id: 'httpBatching',
		label: 'HTTP Request, Batching 10 per 100 ms',
		credential: oauth2Credential,
		build: (ctx) => httpRequestAlone(httpNode(ctx, { batching: { batch: { batchSize: MAX_IN_FLIGHT, batchInterval: 2 * LATENCY_MS } } })),
	},
	{
		id: 'httpUnlimited',
		label: 'reference: HTTP Request (defaults) with the sandbox limit lifted',
		unlimited: true,
		credential: oauth2Credential,
		build: (ctx) => httpRequestAlone(httpNode(ctx)),
	},
	{
		id: 'httpLoop',
		label: 'HTTP Request in Loop Over Items (10)',
		credential: oauth2Credential,
		build: (ctx) => ({
			nodes: [
				{ name: 'Loop', type: 'n8n-nodes-base.splitInBatches', typeVersion: 3, parameters: { batchSize: MAX_IN_FLIGHT, options: {} } },
				httpNode(ctx),
				{ name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} },
			],
			connections: {
				...main(SOURCE, 'Loop'),
				Loop: {
					main: [
						[{ node: 'Done', type: 'main', index: 0 }],
						[{ node: 'Get status', type: 'main', index: 0 }],
					],
				},
				...main('Get status', 'Loop'),
			},
			jobNodes: ['Loop', 'Get status'],
			resultNode: 'Done',
		}),
	},
];

interface RunFigures {
	variant: VariantId;
	n: number;
	/** From the first job node's start to the last one's end, as n8n recorded them (ms). */
	ms: number;
	/** Items without a status at the end of the job (what the next node would not get). */
	failed: number;
	/** Of those, items whose own request was refused (429 on the token or the status call, or never answered 200). */
	requestFailed: number;
	rateLimited: number;
	rateLimitedToken: number;
	tokenRequests: number;
	statusRequests: number;
	peakInFlight: number;
	executionStatus: string;
	error?: string;
}

interface RunData {
	startTime: number;
	executionTime: number;
	error?: { message: string };
	data?: { main?: Array<Array<{ json: Record<string, any> }> | null> };
}

function runsOf(execution: ExecutionDetail, node: string): RunData[] {
	return (execution.runData[node] ?? []) as unknown as RunData[];
}

function jobMs(execution: ExecutionDetail, jobNodes: string[]): number {
	const runs = jobNodes.flatMap((node) => runsOf(execution, node));
	if (runs.length === 0) return Number.NaN;
	const start = Math.min(...runs.map((run) => run.startTime));
	const end = Math.max(...runs.map((run) => run.startTime + run.executionTime));
	return end - start;
}

function statusesOut(execution: ExecutionDetail, node: string): number {
	const runs = runsOf(execution, node);
	const last = runs[runs.length - 1];
	const items = last?.data?.main?.[0] ?? [];
	return items.filter((item) => !item.json.error && (item.json.transactionId ?? item.json.id) !== undefined).length;
}

function sourceNodes(ids: string[]): Array<Record<string, any>> {
	return [
		{ name: 'Run', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} },
		{ name: 'Ids', type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { mode: 'raw', jsonOutput: JSON.stringify({ ids }), options: {} } },
		{ name: SOURCE, type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'ids', options: {} } },
	];
}

async function runOnce(
	target: BenchTarget,
	sandbox: EeIdSimulator,
	baseUrl: string,
	variant: Variant,
	ids: string[],
	label: string,
): Promise<RunFigures> {
	const { api } = target;
	const credential = await variant.credential(api, baseUrl, `${variant.id} ${label}`);
	const built = variant.build({ baseUrl, credentials: { [credential.type]: credential.ref } });
	const nodes = [...sourceNodes(ids), ...built.nodes].map((node, index) => ({ id: `n${index}`, position: [220 * index, 0], ...node }));
	const workflow: WorkflowJson = {
		name: `bench: status sweep, ${variant.label}, ${label}`,
		nodes,
		connections: { ...main('Run', 'Ids'), ...main('Ids', SOURCE), ...built.connections },
		settings: { executionOrder: 'v1' },
	};
	const created = await api.createWorkflow(workflow);
	sandbox.clearRequests();
	sandbox.setRateLimit(variant.unlimited ? null : { maxInFlight: MAX_IN_FLIGHT, retryAfterSeconds: 1 });
	const execution = await api.waitForExecution(await api.runManually(created.id, 'Run'), 900_000);
	const state = sandbox.rateLimitState();
	const log = sandbox.requests();
	const token = log.filter((entry) => entry.method === 'POST' && entry.path === EEID_TOKEN_PATH);
	const status = log.filter((entry) => entry.method === 'GET' && entry.path.startsWith(`${EEID_REQUESTS_PATH}/`));
	const answered = new Set(status.filter((entry) => !entry.rateLimited && !entry.fault).map((entry) => entry.path));
	const out = statusesOut(execution, built.resultNode);
	const nodeError = built.jobNodes.flatMap((node) => runsOf(execution, node)).find((run) => run.error)?.error?.message;
	await api.request('DELETE', `/rest/workflows/${created.id}`).catch(() => undefined);
	return {
		variant: variant.id,
		n: ids.length,
		ms: jobMs(execution, built.jobNodes),
		failed: ids.length - out,
		requestFailed: ids.length - answered.size,
		rateLimited: state.rejected,
		rateLimitedToken: token.filter((entry) => entry.rateLimited).length,
		tokenRequests: token.length,
		statusRequests: status.length,
		peakInFlight: state.peakInFlight,
		executionStatus: execution.status,
		error: nodeError ?? execution.error?.message,
	};
}

function throughput(run: RunFigures): number {
	return run.n / (run.ms / 1000);
}

function describe(run: RunFigures, label: string): string {
	const parts = [
		`${label}: ${(run.ms / 1000).toFixed(2)} s`,
		`${Math.round(throughput(run))} items/s (${Math.round((100 * throughput(run)) / PHYSICAL_LIMIT)} % of ${PHYSICAL_LIMIT}/s)`,
		`failed ${run.failed} of ${run.n}${run.failed > 0 ? ` (own request refused or unanswered: ${run.requestFailed})` : ''}`,
		`429s ${run.rateLimited}${run.rateLimitedToken ? ` (${run.rateLimitedToken} on the token endpoint)` : ''}`,
		`token requests ${run.tokenRequests}`,
		`status requests ${run.statusRequests}`,
		`peak in flight ${run.peakInFlight}`,
		`execution ${run.executionStatus}${run.error ? `: ${run.error.slice(0, 120)}` : ''}`,
	];
	return parts.join(', ');
}

/** The run with the median time among a variant's repeats. */
function medianRun(runs: RunFigures[]): RunFigures {
	const ms = median(runs.map((run) => run.ms));
	return runs.find((run) => run.ms === ms)!;
}

export async function statusSweep(target: BenchTarget, sizes: number[], log: (line: string) => void): Promise<Result[]> {
	const sandbox = new EeIdSimulator({});
	const baseUrl = await sandbox.start();
	try {
		// Requests to look at: every other one completed, the rest pending (both are "Get" answers of the same size class).
		const all: string[] = [];
		for (let i = 0; i < Math.max(...sizes); i++) {
			const { id } = sandbox.createRequestDirect({ reference: `sweep-${i}`, claims_required: [{ type: 'sub', value: 'EE38001085718' }] });
			if (i % 2 === 0) await sandbox.completeRequest(id);
			all.push(id);
		}
		sandbox.setLatency(LATENCY_MS);

		// Warm-up: each way once with 10 items (n8n loads node types and compiles on first use), not counted.
		for (const variant of VARIANTS) await runOnce(target, sandbox, baseUrl, variant, all.slice(0, 10), 'warm-up');

		const results: Result[] = [];
		for (const n of sizes) {
			const ids = all.slice(0, n);
			const runs = new Map<VariantId, RunFigures[]>(VARIANTS.map((variant) => [variant.id, []]));
			for (let repeat = 0; repeat < REPEATS; repeat++) {
				// Which way goes first rotates from one repeat to the next.
				const order = VARIANTS.map((_, i) => VARIANTS[(i + repeat) % VARIANTS.length]);
				for (const variant of order) {
					const figures = await runOnce(target, sandbox, baseUrl, variant, ids, `N=${n} #${repeat + 1}`);
					runs.get(variant.id)!.push(figures);
					log(`  N=${n} #${repeat + 1} ${describe(figures, variant.label)}`);
				}
			}
			const chosen = new Map(VARIANTS.map((variant) => [variant.id, medianRun(runs.get(variant.id)!)]));
			const ours = chosen.get('ours')!;
			const oursRuns = runs.get('ours')!;
			const table = VARIANTS.map((variant) => {
				const run = chosen.get(variant.id)!;
				const ratio = run.ms / ours.ms;
				return `${describe(run, variant.label)}; time ${ratio.toFixed(2)}× ours`;
			});
			const perRepeat = VARIANTS.map(
				(variant) =>
					`${variant.label}, every run: ${runs
						.get(variant.id)!
						.map((run) => `${(run.ms / 1000).toFixed(2)} s / failed ${run.failed} / 429s ${run.rateLimited} / tokens ${run.tokenRequests}`)
						.join('; ')}`,
			);
			results.push({
				name: `eeID status sweep in n8n, N=${n}: items the eeID node failed (worst of ${REPEATS} runs)`,
				value: Math.max(...oursRuns.map((run) => run.failed)),
				unit: 'items',
				target: 0,
				higherIsBetter: false,
				details: [...table, `(above: the run with the median time of ${REPEATS} each; below: every run)`, ...perRepeat],
			});
			results.push({
				name: `eeID status sweep in n8n, N=${n}: eeID node throughput as a share of the limit (${PHYSICAL_LIMIT} requests/s)`,
				value: round((100 * throughput(ours)) / PHYSICAL_LIMIT),
				unit: '%',
				target: n >= 1000 ? 80 : undefined,
				higherIsBetter: true,
				details: [`${Math.round(throughput(ours))} items/s in ${(ours.ms / 1000).toFixed(2)} s (median of ${REPEATS})`],
			});
			results.push({
				name: `eeID status sweep in n8n, N=${n}: token requests of the eeID node (the run furthest from one, of ${REPEATS})`,
				value: oursRuns.map((run) => run.tokenRequests).reduce((a, b) => (Math.abs(b - 1) > Math.abs(a - 1) ? b : a)),
				unit: 'requests',
				target: 1,
				higherIsBetter: false,
				exact: true,
				details: [`every run: ${oursRuns.map((run) => run.tokenRequests).join(', ')}`],
			});
		}
		return results;
	} finally {
		await sandbox.stop();
	}
}
