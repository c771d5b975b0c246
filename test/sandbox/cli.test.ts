import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { portBaseFrom, READY_LINE } from './cli';
import { EEID_TEST_CLIENT } from './eeid';
import { eeIdEntry, simulators } from './registry';

const ROOT = join(__dirname, '..', '..');

describe('registry', () => {
	it('lists one entry per provider', () => {
		const providers = simulators.map((entry) => entry.provider);
		expect(providers).toContain('eeid');
		expect(new Set(providers).size).toBe(providers.length);
	});

	it('starts eeID with a credential pointing at it', async () => {
		const running = await eeIdEntry.start();
		try {
			expect(running).toMatchObject({ provider: 'eeid', title: 'eeID (Estonian Internet Foundation)' });
			expect(running.baseUrl).toBe(running.simulator.baseUrl);
			expect(running.credential).toEqual({
				type: 'eeIdApi',
				name: 'eeID sandbox',
				data: { clientId: EEID_TEST_CLIENT.clientId, clientSecret: EEID_TEST_CLIENT.clientSecret, baseUrl: running.baseUrl },
			});
			const { clientId, clientSecret, baseUrl } = running.credential.data as Record<string, string>;
			const answer = await fetch(`${baseUrl}/api/auth/v1/token`, {
				method: 'POST',
				headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
			});
			expect(answer.status).toBe(201);
		} finally {
			await running.stop();
		}
	});
});

describe('cli', () => {
	it('reads the port base from --port-base, then SANDBOX_PORT_BASE, default 4010', () => {
		expect(portBaseFrom([], {})).toBe(4010);
		expect(portBaseFrom([], { SANDBOX_PORT_BASE: '5000' })).toBe(5000);
		expect(portBaseFrom(['--port-base', '0'], { SANDBOX_PORT_BASE: '5000' })).toBe(0);
		expect(() => portBaseFrom(['--port-base', 'x'], {})).toThrow('must be a port number');
	});

	it('is what `npm run sandbox` runs', () => {
		const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;
		expect(scripts.sandbox).toBe('tsx test/sandbox/cli.ts');
	});

	it('starts every simulator, prints URLs, credentials and controls, and stops on SIGINT', async () => {
		const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['test/sandbox/cli.ts', '--port-base', '0'], {
			cwd: ROOT,
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
		const lines: string[] = [];
		const ready = new Promise<void>((resolve) =>
			createInterface({ input: child.stdout }).on('line', (line) => {
				lines.push(line);
				if (line === READY_LINE) resolve();
			}),
		);
		try {
			await Promise.race([ready, exited]);
			const printed = lines.join('\n');
			const eeIdUrl = /^eeID \(Estonian Internet Foundation\): (http:\/\/127\.0\.0\.1:\d+)$/m.exec(printed)?.[1];
			expect(eeIdUrl).toBeDefined();
			expect(printed).toContain(`clientId: ${EEID_TEST_CLIENT.clientId}`);
			expect(printed).toContain(`clientSecret: ${EEID_TEST_CLIENT.clientSecret}`);
			expect(printed).toContain(`baseUrl: ${eeIdUrl}`);
			expect(printed).toContain('POST /__sandbox/eeid/requests/:id/complete');
			const description = await (await fetch(`${eeIdUrl}/__sandbox`)).json();
			expect(description).toMatchObject({ name: 'eeID', baseUrl: eeIdUrl });
		} finally {
			child.kill('SIGINT');
		}
		expect(await exited).toBe(0);
		expect(lines).toContain('Sandboxes stopped (SIGINT).');
	});
});
