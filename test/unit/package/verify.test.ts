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

interface Run {
	/** Run n8n's community-package scanner (sources and packed tarball). */
	scan?: boolean;
	/** Run `n8n-node cloud-support`. */
	cloudSupport?: boolean;
}

function verify(root: string, run: Run = {}): { status: number | null; output: string } {
	const flags = [
		...(run.scan ? [] : ['--no-scan']),
		...(run.cloudSupport ? [] : ['--no-cloud-support']),
	];
	const result = spawnSync(process.execPath, [VERIFY, '--root', root, ...flags], { encoding: 'utf8' });
	return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const NODE = 'dist/nodes/X/X.node.js';
/** Everything n8n's scanner asks of package.json, so that only what a test adds can fail it. */
const clean = {
	name: 'n8n-nodes-x',
	version: '1.0.0',
	description: 'X nodes for n8n',
	license: 'MIT',
	keywords: ['n8n-community-node-package'],
	homepage: 'https://example.com/n8n-nodes-x',
	author: { name: 'X', email: 'x@example.com' },
	files: ['dist'],
	n8n: { n8nNodesApiVersion: 1, strict: true, nodes: [NODE], credentials: [] },
	peerDependencies: { 'n8n-workflow': '*' },
};
const cleanSource = 'const n8n = require("n8n-workflow"); const crypto = require("node:crypto"); require("crypto");';
/** n8n's stock ESLint config, the one `n8n-node cloud-support` accepts. */
const STOCK_ESLINT = "import { config } from '@n8n/node-cli/eslint';\n\nexport default config;\n";
const CUSTOM_ESLINT = "import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';\n\nexport default [n8nNodesBase.configs.community];\n";

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

	describe('main', () => {
		it('fails when main points at a file that does not exist', () => {
			const result = verify(make({ ...clean, main: 'index.js' }, { [NODE]: cleanSource }));
			expect(result.status).toBe(1);
			expect(result.output).toContain('package.json main points at index.js, which does not exist');
		});

		it('accepts a main that resolves (without main: the first test)', () => {
			expect(verify(make({ ...clean, main: NODE }, { [NODE]: cleanSource }))).toMatchObject({ status: 0 });
			expect(verify(make({ ...clean, main: 'dist/nodes/X/X.node' }, { [NODE]: cleanSource }))).toMatchObject({ status: 0 });
		});
	});

	describe('strict mode', () => {
		it.each([
			['missing', { n8nNodesApiVersion: 1, nodes: [NODE], credentials: [] }],
			['false', { n8nNodesApiVersion: 1, strict: false, nodes: [NODE], credentials: [] }],
		])('fails when n8n.strict is %s', (_, n8n) => {
			const result = verify(make({ ...clean, n8n }, { [NODE]: cleanSource }));
			expect(result.status).toBe(1);
			expect(result.output).toContain('package.json n8n block lacks "strict": true');
		});
	});

	describe('n8n-node cloud-support', () => {
		it('passes a package it reports eligible (strict mode and the stock ESLint config)', () => {
			const result = verify(make(clean, { [NODE]: cleanSource, 'eslint.config.mjs': STOCK_ESLINT }), {
				cloudSupport: true,
			});
			expect(result).toMatchObject({ status: 0 });
			expect(result.output).toContain('cloud-support: eligible for n8n Cloud verification');
		});

		it('fails a package it reports NOT eligible because of its ESLint config', () => {
			const result = verify(make(clean, { [NODE]: cleanSource, 'eslint.config.mjs': CUSTOM_ESLINT }), {
				cloudSupport: true,
			});
			expect(result.status).toBe(1);
			expect(result.output).toContain("n8n-node cloud-support: NOT eligible for n8n Cloud: eslint.config.mjs is not n8n's stock config");
		});

		it('fails a package it reports NOT eligible because strict mode is off', () => {
			const pkg = { ...clean, n8n: { n8nNodesApiVersion: 1, nodes: [NODE], credentials: [] } };
			const result = verify(make(pkg, { [NODE]: cleanSource, 'eslint.config.mjs': STOCK_ESLINT }), {
				cloudSupport: true,
			});
			expect(result.status).toBe(1);
			expect(result.output).toContain('n8n-node cloud-support: NOT eligible for n8n Cloud: strict mode is disabled');
		});

		it('fails a package without any ESLint config of its own', () => {
			const result = verify(make(clean, { [NODE]: cleanSource }), { cloudSupport: true });
			expect(result.status).toBe(1);
			expect(result.output).toContain('NOT eligible for n8n Cloud');
		});
	});

	describe("n8n's community-package scanner", () => {
		it('passes a package whose sources and tarball are clean', () => {
			const result = verify(make(clean, { [NODE]: cleanSource, 'nodes/X/X.node.ts': 'export const x = 1;\n' }), { scan: true });
			expect(result).toMatchObject({ status: 0 });
			expect(result.output).toContain('scanner (sources');
			expect(result.output).toContain('scanner (packed tarball): passed');
		}, 60000);

		it('fails when it reports an error in the packed tarball', () => {
			const result = verify(make(clean, { [NODE]: `${cleanSource} setTimeout(() => undefined, 1);` }), { scan: true });
			expect(result.status).toBe(1);
			expect(result.output).toContain('n8n community-package scanner (packed tarball)');
			expect(result.output).toContain("Use of restricted global 'setTimeout'");
		}, 60000);

		it('fails when it reports an error in a source file that the build does not ship as such', () => {
			const source = 'export const wait = () => setTimeout(() => undefined, 1);\n';
			const result = verify(make(clean, { [NODE]: cleanSource, 'nodes/X/helper.ts': source }), { scan: true });
			expect(result.status).toBe(1);
			expect(result.output).toContain('n8n community-package scanner (sources)');
			expect(result.output).toContain(join('nodes', 'X', 'helper.ts'));
			expect(result.output).toContain("Use of restricted global 'setTimeout'");
			// The tarball (dist only) is clean: only the source leg catches it.
			expect(result.output).toContain('scanner (packed tarball): passed');
		}, 60000);

		it('fails on a finding in credentials/ sources too', () => {
			const source = 'export const home = process.env.HOME;\n';
			const result = verify(make(clean, { [NODE]: cleanSource, 'credentials/XApi.credentials.ts': source }), { scan: true });
			expect(result.status).toBe(1);
			expect(result.output).toContain(join('credentials', 'XApi.credentials.ts'));
			expect(result.output).toContain("Use of restricted global 'process'");
		}, 60000);
	});
});
