/**
 * Boots the slice of n8n's runtime that node execution reaches through the DI container:
 * instance settings (encryption key for credentials), the binary data service and the
 * outbound HTTP client. Everything lives in a temporary n8n user folder that is removed
 * after the test file.
 */
import { GlobalConfig, InstanceSettingsConfig, SsrfProtectionConfig } from '@n8n/config';
import { Container } from '@n8n/di';
import { BinaryDataConfig, BinaryDataService } from 'n8n-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * n8n ships with SSRF protection off. The harness turns it on, so nodes run through its
 * request checks, and allows only loopback, where the provider sandboxes listen.
 */
const SANDBOX_IP_RANGES = ['127.0.0.1/32', '::1/128'];

let userFolder: string | undefined;
let booting: Promise<void> | undefined;

/** Idempotent: the first call of a test file boots the runtime, later calls reuse it. */
export async function ensureRuntime(): Promise<void> {
	booting ??= boot();
	await booting;
}

async function boot(): Promise<void> {
	userFolder = mkdtempSync(path.join(tmpdir(), 'n8n-harness-'));
	// Config objects are read once, when the services that need them are first built, so
	// they are set before anything asks the container for InstanceSettings or OutboundHttp.
	Object.assign(Container.get(InstanceSettingsConfig), {
		userHome: userFolder,
		n8nFolder: path.join(userFolder, '.n8n'),
	});
	// n8n logs every node error through its error reporter; tests assert on the errors instead.
	// N8N_LOG_LEVEL still turns the logs on when debugging a test.
	if (!process.env.N8N_LOG_LEVEL) Container.get(GlobalConfig).logging.level = 'silent';
	Object.assign(Container.get(SsrfProtectionConfig), {
		enabled: true,
		allowedIpRanges: SANDBOX_IP_RANGES,
	});
	// Filesystem mode is n8n's default: `prepareBinaryData(stream)` writes to disk without
	// holding the file in memory, which is what the download tests must exercise.
	Container.get(BinaryDataConfig).mode = 'filesystem';
	await Container.get(BinaryDataService).init();
}

function removeUserFolder(): void {
	if (userFolder) rmSync(userFolder, { recursive: true, force: true });
}

// Registered when the harness is imported at the top of a test file, so the temporary
// folder goes away with the file's module registry (each jest file gets its own container).
if (typeof afterAll === 'function') afterAll(removeUserFolder);
