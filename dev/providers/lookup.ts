/**
 * Finding a provider's running sandbox and imported demo workflows in the stack, and in queue mode one webhook
 * process, with a clear error when absent.
 */
import type { SandboxServer } from '../../test/sandbox/framework';
import type { ProviderId } from '../../test/sandbox/registry';
import type { Stack } from './types';

export function sandboxOf<S extends SandboxServer>(stack: Stack, provider: ProviderId): S {
	const sandbox = stack.sandboxes.get(provider);
	if (!sandbox) throw new Error(`the ${provider} sandbox is not running`);
	return sandbox.simulator as S;
}

export function demoWorkflow(stack: Stack, file: string) {
	const imported = stack.workflows.get(file);
	if (!imported) throw new Error(`demo workflow ${file} was not imported`);
	return imported;
}

/**
 * Queue mode: `url` (a production webhook URL on the stack's n8n URL, the proxy) sent straight to webhook process
 * `index` (0 or 1) instead, as the load balancer would forward it there.
 */
export function onWebhookProcess(stack: Stack, url: string, index: number): string {
	const processes = stack.queue?.webhookProcessUrls;
	if (!processes) throw new Error('only a queue-mode stack has webhook processes');
	const target = processes[index];
	if (!target) throw new Error(`the stack has ${processes.length} webhook processes, not ${index + 1}`);
	if (!url.startsWith(stack.n8n.url)) throw new Error(`${url} is not on n8n's URL ${stack.n8n.url}`);
	return target + url.slice(stack.n8n.url.length);
}
