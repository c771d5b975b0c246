/**
 * Releasing happens only from CI: package.json is marked private, so npm refuses a plain `npm publish` (the .npmrc's
 * ignore-scripts=true would skip a prepublishOnly guard on a developer's machine); the release workflow lifts the flag,
 * and its prepublishOnly guard is a second lock that the workflow satisfies. Also the package.json promises n8n's verification checks.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const REPO = join(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
const RELEASE_YML = readFileSync(join(REPO, '.github/workflows/release.yml'), 'utf8');
const CI_YML = readFileSync(join(REPO, '.github/workflows/ci.yml'), 'utf8');

/** The environment of this process without anything that could make the guard pass (jest itself may run in CI). */
function envWithout(): NodeJS.ProcessEnv {
	const env = { ...process.env };
	for (const name of ['CI', 'GITHUB_ACTIONS', 'PUBLISH_FROM_RELEASE_WORKFLOW']) delete env[name];
	return env;
}

const RELEASE_ENV = { CI: 'true', GITHUB_ACTIONS: 'true', PUBLISH_FROM_RELEASE_WORKFLOW: 'true' };

describe('package.json for n8n verification', () => {
	it('has strict mode on in the n8n block', () => {
		expect(pkg.n8n.strict).toBe(true);
	});

	it('has no main field pointing at a file that does not exist', () => {
		if (pkg.main !== undefined) expect(existsSync(join(REPO, pkg.main))).toBe(true);
	});

	it('has @n8n/node-cli as a devDependency', () => {
		expect(pkg.devDependencies['@n8n/node-cli']).toMatch(/^0\.48\./);
	});
});

describe('npm publish is refused outside the release workflow', () => {
	let dir: string;
	beforeAll(() => {
		dir = mkdtempSync(join(tmpdir(), 'release-guard-'));
		copyFileSync(join(REPO, 'package.json'), join(dir, 'package.json'));
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	const guard = (env: NodeJS.ProcessEnv) =>
		spawnSync('npm', ['run', '--silent', 'prepublishOnly'], { cwd: dir, env, encoding: 'utf8' });

	it('is marked private, which npm itself enforces whatever the scripts setting', () => {
		expect(pkg.private).toBe(true);
		expect(RELEASE_YML).toMatch(/npm pkg delete private\s*\n\s*npm publish/);
	});

	it('refuses a plain npm publish, saying how releasing works', () => {
		// --ignore-scripts=false: this repository's .npmrc sets ignore-scripts=true, with which npm skips prepublishOnly.
		const run = spawnSync('npm', ['publish', '--dry-run', '--ignore-scripts=false'], { cwd: dir, env: envWithout(), encoding: 'utf8' });
		expect(run.status).not.toBe(0);
		expect(run.stderr).toContain('npm publish refused');
		expect(run.stderr).toContain('.github/workflows/release.yml');
		expect(run.stderr).toContain('push the matching tag');
	});

	it.each([
		['CI alone', { CI: 'true' }],
		['any CI but GitHub Actions', { CI: 'true', PUBLISH_FROM_RELEASE_WORKFLOW: 'true' }],
		['GitHub Actions outside the release workflow', { CI: 'true', GITHUB_ACTIONS: 'true' }],
		['the variable set by hand', { PUBLISH_FROM_RELEASE_WORKFLOW: 'true' }],
		['values other than true', { CI: '1', GITHUB_ACTIONS: 'true', PUBLISH_FROM_RELEASE_WORKFLOW: 'yes' }],
	])('refuses with %s', (_, env) => {
		const run = guard({ ...envWithout(), ...env });
		expect(run.status).toBe(1);
		expect(run.stderr).toContain('npm publish refused');
	});

	it('lets the release workflow publish', () => {
		expect(guard({ ...envWithout(), ...RELEASE_ENV })).toMatchObject({ status: 0 });
	});

	it('the release workflow sets what the guard asks for, runs the guard, and publishes with provenance', () => {
		expect(RELEASE_YML).toMatch(/PUBLISH_FROM_RELEASE_WORKFLOW: ['"]?true['"]?/);
		expect(RELEASE_YML).toContain('npm publish --provenance --access public --ignore-scripts=false');
		expect(RELEASE_YML).toMatch(/id-token: write/);
		expect(RELEASE_YML).toMatch(/NODE_AUTH_TOKEN: \$\{\{ secrets\.NPM_TOKEN \}\}/);
		expect(RELEASE_YML).toMatch(/tags:\s*\n\s*- ['"]?v\*/);
	});

	it('CI runs .ci/run on pushes and pull requests', () => {
		expect(CI_YML).toMatch(/^on:\s*\n(\s+.*\n)*?\s+push:/m);
		expect(CI_YML).toMatch(/pull_request:/);
		expect(CI_YML).toContain('bash .ci/run');
	});
});
