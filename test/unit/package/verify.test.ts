import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const VERIFY = join(__dirname, '../../../scripts/verify.mjs');

/** A minimal built package: package.json plus the files it names, each with the given source. */
function fixture(pkg: Record<string, unknown>, files: Record<string, string>): string {
	const root = mkdtempSync(join(tmpdir(), 'verify-'));
	writeFileSync(join(root, 'package.json'), JSON.stringify(pkg));
	for (const [path, source] of Object.entries(files)) {
		mkdirSync(dirname(join(root, path)), { recursive: true });
		writeFileSync(join(root, path), source);
	}
	return root;
}

function verify(root: string, scan = false): { status: number | null; output: string } {
	const run = spawnSync(process.execPath, [VERIFY, '--root', root, ...(scan ? [] : ['--no-scan'])], { encoding: 'utf8' });
	return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const NODE = 'dist/nodes/X/X.node.js';
const clean = { name: 'x', n8n: { n8nNodesApiVersion: 1, nodes: [NODE], credentials: [] } };
const cleanSource = 'const n8n = require("n8n-workflow"); const crypto = require("node:crypto"); require("crypto");';

describe('npm run verify', () => {
	const roots: string[] = [];
	const make = (pkg: Record<string, unknown>, files: Record<string, string>) => {
		const root = fixture(pkg, files);
		roots.push(root);
		return root;
	};
	afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

	it('passes a package that requires only n8n-workflow and built-ins', () => {
		expect(verify(make(clean, { [NODE]: cleanSource }))).toMatchObject({ status: 0 });
	});

	it('fails on runtime dependencies', () => {
		const result = verify(make({ ...clean, dependencies: { jose: '6.0.0' } }, { [NODE]: cleanSource }));
		expect(result.status).toBe(1);
		expect(result.output).toContain('package.json has runtime dependencies (jose)');
	});

	it('fails on a file the n8n block names but the build did not produce', () => {
		const result = verify(make(clean, {}));
		expect(result.status).toBe(1);
		expect(result.output).toContain(`lists ${NODE}, which the build did not produce`);
	});

	it('fails on dist code that requires a package at run time', () => {
		const result = verify(make(clean, { [NODE]: `${cleanSource} require("jose");` }));
		expect(result.status).toBe(1);
		expect(result.output).toContain(`${NODE} requires "jose"`);
	});

	it("fails when n8n's community-package scanner reports an error", () => {
		const pkg = { ...clean, version: '1.0.0', files: ['dist'] };
		const result = verify(make(pkg, { [NODE]: `${cleanSource} setTimeout(() => undefined, 1);` }), true);
		expect(result.status).toBe(1);
		expect(result.output).toContain('n8n community-package scanner');
		expect(result.output).toContain("Use of restricted global 'setTimeout'");
	});
});
