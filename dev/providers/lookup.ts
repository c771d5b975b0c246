/** Finding a provider's running sandbox and imported demo workflows in the stack, with a clear error when absent. */
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
