/**
 * What a provider adds to the harness: data and cases, no machinery. dev/dev.ts and dev/e2e.ts bring up the same
 * stack (sandboxes, n8n, owner, one credential per sandbox, the demo workflows) and then use these.
 */
import type { SandboxServer } from '../../test/sandbox/framework';
import type { ProviderId, RunningSimulator } from '../../test/sandbox/registry';
import type { N8nClient, N8nInstance, Owner } from '../lib/n8n';
import type { Feature, N8nRelease } from '../lib/n8nVersions';
import type { ExecutionsMode, QueueInstallation } from '../lib/queue';
import type { ImportedWorkflow } from '../lib/workflows';

export type { ExecutionsMode, QueueInstallation } from '../lib/queue';

export type RunningSandbox = RunningSimulator & { simulator: SandboxServer };

export interface StackCredential {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface Stack {
	mode: 'dev' | 'e2e';
	/** The n8n release running (dev/compat.json); what differs between releases is in lib/n8nVersions.ts. */
	release: N8nRelease;
	/**
	 * n8n's EXECUTIONS_MODE: `regular` (one n8n process on SQLite) or `queue` (`--queue`: PostgreSQL, Redis, a main
	 * process, two webhook processes, two workers, behind the proxy; lib/queue.ts).
	 */
	executionsMode: ExecutionsMode;
	/** Queue mode only: the processes' own URLs, the proxy's counters, PostgreSQL and Redis. */
	queue?: QueueInstallation;
	/**
	 * n8n as everybody reaches it: its `url` is the one for the REST API, webhooks and the editor (in queue mode the
	 * proxy's; `n8n.child` and `n8n.logFile` are then the main process's).
	 */
	n8n: N8nInstance;
	api: N8nClient;
	owner: Owner;
	/** The owner's personal project (data tables live in a project). */
	projectId: string;
	sandboxes: Map<ProviderId, RunningSandbox>;
	/** By credential type. */
	credentials: Map<string, StackCredential>;
	/** By file name in examples/. */
	workflows: Map<string, ImportedWorkflow>;
}

export interface DemoWorkflow {
	/** File in examples/. */
	file: string;
	/** Webhook-driven workflows are activated (published) so that their URLs answer. */
	activate: boolean;
	/** Imported only in these execution modes (default: both), e.g. a demo that needs queue mode's Redis. */
	modes?: ExecutionsMode[];
}

export interface E2ECase {
	name: string;
	/** Demo workflows this case runs; every demo workflow must be run by at least one case. */
	runs?: string[];
	/** n8n features the case needs; on a release that lacks one it is skipped, with the reason n8nVersions.ts gives. */
	needs?: Feature[];
	/**
	 * The execution modes the case runs in (default: both, `regular` and `queue`). In the others it is printed as
	 * skipped, with `skipReason`: `modes: ['queue']` for a case about queue mode itself, `modes: ['regular']` for one
	 * that cannot hold with several n8n processes (say why).
	 */
	modes?: ExecutionsMode[];
	/** Why the case does not run in the execution modes `modes` leaves out (printed with the skip). */
	skipReason?: string;
	/** Throws when the case fails; may return a line on what it observed, printed under its name. */
	run(stack: Stack): Promise<void | string>;
}

/**
 * Cases that belong to no single provider (e.g. queue mode's own, dev/providers/queue.ts), with the demo workflows
 * they run and what those need first. Listed in `suites` (dev/providers/index.ts); imported and prepared after the
 * providers' own.
 */
export interface CaseSuite {
	/** For messages. */
	name: string;
	/** Only in these execution modes are its workflows imported and `prepare` run (default: both). */
	modes?: ExecutionsMode[];
	workflows?: DemoWorkflow[];
	/** Before its workflows are imported (e.g. the data tables they write to). Must be idempotent. */
	prepare?(stack: Stack): Promise<void>;
	cases: E2ECase[];
}

/**
 * The editor check: search the node panel, place nodes, open their parameters, take screenshots.
 * n8n's node panel merges a node and its "<name> Trigger" into one entry named after the node; clicking it
 * shows its triggers and actions, from which `entry` (the text of the trigger or action) is picked.
 */
export interface BrowserSpec {
	/** What to type into the node panel's search. */
	search: string;
	/** Entry names the search must list. */
	listed: string[];
	/** A trigger to put on the empty canvas first: the listed entry, then the trigger inside it (if any). */
	trigger: { item: string; entry?: string };
	/** Then an action after it: the listed entry and the action's text. */
	action?: { item: string; entry: string };
}

export interface ProviderHarness {
	provider: ProviderId;
	workflows: DemoWorkflow[];
	/** Before the workflows are imported (e.g. the data table they write to). Must be idempotent. */
	prepare?(stack: Stack): Promise<void>;
	/** After import and activation: point the sandbox at n8n. Returns lines describing what it did. */
	wire?(stack: Stack): Promise<string[]>;
	/** "What to try first", printed by `npm run dev`. */
	tryFirst(stack: Stack): string[];
	cases: E2ECase[];
	browser?: BrowserSpec;
}
