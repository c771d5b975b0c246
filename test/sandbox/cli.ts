/**
 * `npm run sandbox`: starts every registered provider simulator, prints where it listens, the n8n credential
 * that points at it and its control endpoints, and keeps them up until Ctrl-C.
 *
 *   npm run sandbox                      ports 4010, 4011, … in registry order
 *   npm run sandbox -- --port-base 5000  ports 5000, 5001, …
 *   npm run sandbox -- --port-base 0     ephemeral ports
 *   SANDBOX_PORT_BASE=5000 npm run sandbox
 */
import { SandboxClock } from './framework';
import { simulators, type RunningSimulator } from './registry';

const DEFAULT_PORT_BASE = 4010;
export const READY_LINE = 'Sandboxes ready. Ctrl-C stops them.';

export interface RunningSandboxes {
	running: Array<RunningSimulator & { controls: string[] }>;
	stop(): Promise<void>;
}

export function portBaseFrom(argv: string[], env: NodeJS.ProcessEnv): number {
	const flagIndex = argv.indexOf('--port-base');
	const raw = flagIndex >= 0 ? argv[flagIndex + 1] : env.SANDBOX_PORT_BASE;
	if (raw === undefined) return DEFAULT_PORT_BASE;
	const portBase = Number(raw);
	if (!Number.isInteger(portBase) || portBase < 0 || portBase > 65535) {
		throw new Error(`--port-base / SANDBOX_PORT_BASE must be a port number (0 = ephemeral), got "${raw}"`);
	}
	return portBase;
}

/**
 * Starts every simulator, each port one above the previous (or all ephemeral when portBase is 0). The clocks
 * tick with real time: a person trying the demo should see a token expire after two minutes.
 */
export async function startSandboxes(portBase: number): Promise<RunningSandboxes> {
	const running: RunningSandboxes['running'] = [];
	const stop = () => Promise.all(running.map((simulator) => simulator.stop())).then(() => undefined);
	try {
		for (const [index, entry] of simulators.entries()) {
			const port = portBase === 0 ? 0 : portBase + index;
			const started = await entry.start({ port, clock: new SandboxClock({ ticking: true }) });
			running.push({ ...started, controls: started.simulator.controlEndpoints() });
		}
	} catch (error) {
		await stop();
		throw error;
	}
	return { running, stop };
}

export function describeSandbox(simulator: RunningSandboxes['running'][number]): string {
	const credentialLines = Object.entries(simulator.credential.data).map(([key, value]) => `    ${key}: ${value}`);
	const controlLines = simulator.controls.map((endpoint) => `    ${endpoint}`);
	return [
		`${simulator.title}: ${simulator.baseUrl}`,
		`  n8n credential "${simulator.credential.name}" (type ${simulator.credential.type}):`,
		...credentialLines,
		`  control endpoints (JSON, on ${simulator.baseUrl}):`,
		...controlLines,
	].join('\n');
}

async function main(): Promise<void> {
	const sandboxes = await startSandboxes(portBaseFrom(process.argv.slice(2), process.env));
	for (const simulator of sandboxes.running) console.log(`${describeSandbox(simulator)}\n`);
	console.log(READY_LINE);
	const signal = await new Promise<NodeJS.Signals>((resolve) => {
		process.once('SIGINT', resolve);
		process.once('SIGTERM', resolve);
	});
	await sandboxes.stop();
	console.log(`Sandboxes stopped (${signal}).`);
}

if (require.main === module) {
	main().catch((error) => {
		console.error(error);
		process.exitCode = 1;
	});
}
