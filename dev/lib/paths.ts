/**
 * Where everything of the dev/e2e harness lives. Paths are absolute: child processes run in other folders.
 * Each tested n8n release has its own harness folder (dev/compat.json; its paths: `harnessPaths` in n8nVersions.ts).
 */
import { join, resolve } from 'path';

export const repoRoot = resolve(__dirname, '..', '..');
export const examplesDir = join(repoRoot, 'examples');
/** One `npm run test:e2e` at a time, whichever n8n it runs against (they share dist/). */
export const e2eLockDir = join(repoRoot, 'dev', 'n8n', 'user-e2e.lock');
export const artifactsRoot = join(repoRoot, 'test-artifacts');
export const screenshotsDir = join(repoRoot, 'docs', 'screenshots');

/**
 * test-artifacts/ for the default release; test-artifacts/n8n-<version>/ for the others (CI keeps both); a queue-mode
 * run's in `queue/` below that (test-artifacts/queue/).
 */
export function artifactsDirFor(release: { n8n: string; isDefault: boolean }, executionsMode: 'regular' | 'queue' = 'regular'): string {
	const base = release.isDefault ? artifactsRoot : join(artifactsRoot, `n8n-${release.n8n}`);
	return executionsMode === 'queue' ? join(base, 'queue') : base;
}
