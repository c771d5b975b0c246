/**
 * What a provider adds to the harness: data and cases, no machinery. dev/dev.ts and dev/e2e.ts bring up the same
 * stack (sandboxes, n8n, owner, one credential per sandbox, the demo workflows) and then use these.
 */
import type { SandboxServer } from '../../test/sandbox/framework';
import type { ProviderId, RunningSimulator } from '../../test/sandbox/registry';
import type { N8nClient, N8nInstance, Owner } from '../lib/n8n';
import type { Feature, N8nRelease } from '../lib/n8nVersions';
import type { ImportedWorkflow } from '../lib/workflows';

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
}

export interface E2ECase {
	name: string;
	/** Demo workflows this case runs; every demo workflow must be run by at least one case. */
	runs?: string[];
	/** n8n features the case needs; on a release that lacks one it is skipped, with the reason n8nVersions.ts gives. */
	needs?: Feature[];
	run(stack: Stack): Promise<void>;
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
