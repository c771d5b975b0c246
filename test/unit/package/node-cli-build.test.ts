/**
 * What `n8n-node build` (@n8n/node-cli, n8n's own toolchain) would ship is what our tsup + gulp build ships.
 *
 * `n8n-node build` (node-cli/dist/commands/build.js) does two things in the package folder:
 * 1. `tsc` with the project's tsconfig.json: every .ts under nodes/ and credentials/ (and the .json files there, and
 *    package.json: the template's `include`) compiled file by file into dist/, keeping paths;
 * 2. copies every `**\/*.{png,svg}` and `**\/__schema__/**\/*.json` of the project (except dist/ and node_modules/) to
 *    the same relative path under dist/.
 *
 * Both builds run here for real, offline, each on its own copy of the repository as a fresh clone has it (tracked
 * and untracked-but-not-ignored files), sharing this repository's node_modules. node-cli's build uses the tsconfig.json
 * of its project template (what `n8n-node new` writes), with one change noted at TEMPLATE_TSCONFIG.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';

const REPO = join(__dirname, '../../..');
const NODE_CLI = join(REPO, 'node_modules/@n8n/node-cli');

/**
 * Every difference between the two dist/ folders that is accepted, with the reason. Each is a predicate on a path
 * relative to node-cli's dist/; whatever none of them accepts must be in ours, and everything in ours must be in
 * node-cli's.
 */
const ACCEPTED: Array<{ why: string; accepts: (path: string) => boolean }> = [
	{
		why: 'declarations and source maps: the template tsconfig sets declaration and sourceMap; ours (tsup dts: false, sourcemap: false) ships neither, n8n loads only the .js',
		accepts: (path) => path.endsWith('.d.ts') || path.endsWith('.js.map'),
	},
	{
		why: "tsc's incremental build cache (the template sets incremental), which tsc writes into dist/",
		accepts: (path) => path === 'tsconfig.tsbuildinfo',
	},
	{
		why: "tsc emits package.json because the template's include lists it; n8n reads the package root's package.json, never dist/package.json",
		accepts: (path) => path === 'package.json',
	},
	{
		why: 'tsc compiles module by module; tsup bundles each node and credential entry with the modules it imports (and jose, which a per-file build would leave as a run-time require of a dependency n8n Cloud does not allow), so only the entries exist in ours',
		accepts: (path) => path.endsWith('.js') && !/\.(node|credentials)\.js$/.test(path),
	},
	{
		why: "node-cli copies every PNG/SVG of the project; docs/screenshots/ are the README's screenshots (npm shows them from the repository), not node assets",
		accepts: (path) => path.startsWith(`docs${sep}`),
	},
];

/**
 * node-cli's template tsconfig (programmatic/example), with target and lib raised from es2019 to ES2022 (ours, and
 * tsup's node20 target): es2019 cannot compile the BigInt literals of nodes/shared/webhookSecurity.ts. The output
 * layout does not depend on either setting.
 */
function templateTsconfig(): string {
	const template = JSON.parse(readFileSync(join(NODE_CLI, 'dist/template/templates/programmatic/example/template/tsconfig.json'), 'utf8'));
	template.compilerOptions.target = 'ES2022';
	template.compilerOptions.lib = ['ES2022'];
	return JSON.stringify(template, null, 2);
}

/** The repository as a fresh clone has it (plus files not yet committed and not ignored), with our node_modules. */
function copyOfRepository(into: string): string {
	const files = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: REPO, encoding: 'utf8' });
	if (files.status !== 0) throw new Error(`git ls-files failed: ${files.stderr}`);
	for (const file of files.stdout.split('\0').filter(Boolean)) {
		const from = join(REPO, file);
		if (!existsSync(from) || !statSync(from).isFile()) continue; // deleted in the work tree
		mkdirSync(dirname(join(into, file)), { recursive: true });
		cpSync(from, join(into, file));
	}
	rmSync(join(into, 'dist'), { recursive: true, force: true });
	symlinkSync(join(REPO, 'node_modules'), join(into, 'node_modules'), 'dir');
	return into;
}

function listFiles(dir: string, base = dir): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? listFiles(path, base) : [relative(base, path)];
	});
}

function run(command: string, args: string[], cwd: string): void {
	const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
	if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd} (exit ${result.status}):\n${result.stdout}${result.stderr}`);
}

describe('n8n-node build ships what our build ships', () => {
	let work: string;
	let ours: string[];
	let theirs: string[];
	let oursDist: string;
	let theirsDist: string;

	beforeAll(() => {
		work = mkdtempSync(join(tmpdir(), 'node-cli-build-'));
		const oursRoot = copyOfRepository(join(work, 'ours'));
		const theirsRoot = copyOfRepository(join(work, 'node-cli'));
		writeFileSync(join(theirsRoot, 'tsconfig.json'), templateTsconfig());

		run('npm', ['run', '--silent', 'build'], oursRoot);
		run(process.execPath, [join(NODE_CLI, 'bin/n8n-node.mjs'), 'build'], theirsRoot);

		oursDist = join(oursRoot, 'dist');
		theirsDist = join(theirsRoot, 'dist');
		ours = listFiles(oursDist).sort();
		theirs = listFiles(theirsDist).sort();
	}, 180000);

	afterAll(() => {
		if (work) rmSync(work, { recursive: true, force: true });
	});

	it('produces the same files, apart from the accepted differences', () => {
		const expected = theirs.filter((path) => !ACCEPTED.some((difference) => difference.accepts(path)));
		expect(ours).toEqual(expected);
	});

	it('has the same layout for the n8n block, icons and codex files', () => {
		const pkg = JSON.parse(readFileSync(join(work, 'ours', 'package.json'), 'utf8'));
		const declared: string[] = [...pkg.n8n.nodes, ...pkg.n8n.credentials].map((file: string) => relative('dist', file));
		for (const file of declared) {
			expect(ours).toContain(file);
			expect(theirs).toContain(file);
		}
		const assets = (files: string[]) => files.filter((path) => /\.(svg|png)$/.test(path) && !path.startsWith(`docs${sep}`));
		const codex = (files: string[]) => files.filter((path) => path.endsWith('.node.json'));
		expect(assets(ours)).toEqual(assets(theirs));
		expect(codex(ours)).toEqual(codex(theirs));
		expect(assets(ours).length).toBeGreaterThan(0);
		expect(codex(ours).length).toBeGreaterThan(0);
	});

	it('ships the same icons and codex contents', () => {
		for (const path of ours.filter((file) => /\.(svg|png)$/.test(file))) {
			expect([path, readFileSync(join(oursDist, path))]).toEqual([path, readFileSync(join(theirsDist, path))]);
		}
		// tsc re-prints the JSON it emits: compared as data.
		for (const path of ours.filter((file) => file.endsWith('.json'))) {
			expect([path, JSON.parse(readFileSync(join(oursDist, path), 'utf8'))]).toEqual([path, JSON.parse(readFileSync(join(theirsDist, path), 'utf8'))]);
		}
	});

	it('accepts each difference only where it applies (every accepted category occurs in this build)', () => {
		for (const difference of ACCEPTED) {
			expect([difference.why, theirs.some((path) => difference.accepts(path))]).toEqual([difference.why, true]);
			// None of them ever accepts a file that ours ships.
			expect([difference.why, ours.filter((path) => difference.accepts(path))]).toEqual([difference.why, []]);
		}
	});
});
