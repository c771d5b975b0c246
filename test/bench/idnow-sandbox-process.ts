/**
 * The IDnow sandbox in a process of its own, for the video benchmark (./run.ts): the server generating and
 * encrypting 1 GiB then runs on another core, as IDnow would, and the benchmark process's memory is n8n's side only.
 *
 * Started with `fork()` (IPC): it sends `{ ready: baseUrl }`, then answers `{ id, method, args }` with
 * `{ id, result }` or `{ id, error }` by calling that IdnowSimulator method. It stops when the parent disconnects.
 */
import { IdnowSimulator } from '../sandbox/idnow';

/** The simulator methods the benchmark may call. */
export const SANDBOX_METHODS = ['configureAccount', 'createOrderDirect', 'completeOrder', 'advanceClock', 'videoInfo'] as const;
export type SandboxMethod = (typeof SANDBOX_METHODS)[number];

export interface SandboxCall {
	id: number;
	method: SandboxMethod;
	args: unknown[];
}

export type SandboxReply = { ready: string } | { id: number; result: unknown } | { id: number; error: string };

async function main(): Promise<void> {
	if (!process.send) throw new Error('start this file with fork(): it talks to its parent over IPC');
	const simulator = new IdnowSimulator();
	const baseUrl = await simulator.start();
	const send = (reply: SandboxReply) => process.send!(reply);

	process.on('message', (message: SandboxCall) => {
		void (async () => {
			try {
				if (!SANDBOX_METHODS.includes(message.method)) throw new Error(`unknown sandbox method ${String(message.method)}`);
				const method = simulator[message.method] as (...args: unknown[]) => unknown;
				send({ id: message.id, result: await method.apply(simulator, message.args) });
			} catch (error) {
				send({ id: message.id, error: error instanceof Error ? error.message : String(error) });
			}
		})();
	});
	process.on('disconnect', () => {
		void simulator.stop().finally(() => process.exit(0));
	});
	send({ ready: baseUrl });
}

void main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
