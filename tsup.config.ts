import { readdirSync, statSync } from 'fs';
import { join } from 'path';
import { defineConfig } from 'tsup';

/** Every `*.node.ts` and `*.credentials.ts` is an entry; its output keeps the same relative path under dist/. */
function findEntries(dir: string, suffix: RegExp): Record<string, string> {
	const entries: Record<string, string> = {};
	for (const name of readdirSync(dir)) {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) Object.assign(entries, findEntries(path, suffix));
		else if (suffix.test(name)) entries[path.replace(/\.ts$/, '')] = path;
	}
	return entries;
}

export default defineConfig({
	entry: {
		...findEntries('nodes', /\.node\.ts$/),
		...findEntries('credentials', /\.credentials\.ts$/),
	},
	outDir: 'dist',
	format: ['cjs'],
	platform: 'node',
	target: 'node20',
	// n8n provides n8n-workflow at run time; everything else (jose, the shared core) is bundled.
	external: ['n8n-workflow'],
	noExternal: ['jose'],
	bundle: true,
	splitting: false,
	minify: false,
	sourcemap: false,
	dts: false,
	clean: true,
	shims: false,
});
