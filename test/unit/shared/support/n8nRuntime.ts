/**
 * The slice of n8n-core the shared-core tests run against: the binary data store in filesystem mode (n8n's default,
 * where prepareBinaryData streams to disk) inside a temporary user folder, and n8n's outbound HTTP client.
 * Import it before anything else from n8n-core so no file is written to the real home folder.
 */
import { GlobalConfig, InstanceSettingsConfig } from '@n8n/config';
import { Container } from '@n8n/di';
import { BinaryDataConfig, BinaryDataService, prepareBinaryData } from 'n8n-core';
import type { BinaryHelperFunctions, IBinaryData } from 'n8n-workflow';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const WORKFLOW_ID = 'shared-core-tests';
const EXECUTION_ID = 'execution-1';

const userFolder = mkdtempSync(path.join(tmpdir(), 'n8n-shared-core-'));
const storagePath = path.join(userFolder, '.n8n', 'binaryData');

Object.assign(Container.get(InstanceSettingsConfig), {
	userHome: userFolder,
	n8nFolder: path.join(userFolder, '.n8n'),
});
Container.get(GlobalConfig).logging.level = 'silent';

let booting: Promise<void> | undefined;

export async function ensureBinaryStore(): Promise<void> {
	booting ??= (async () => {
		Object.assign(Container.get(BinaryDataConfig), { mode: 'filesystem', localStoragePath: storagePath });
		await Container.get(BinaryDataService).init();
	})();
	await booting;
}

/** n8n-core's own prepareBinaryData, bound to one execution like a node context's helper. */
export const binaryHelpers: Pick<BinaryHelperFunctions, 'prepareBinaryData'> = {
	prepareBinaryData: async (data, fileName, mimeType) =>
		await prepareBinaryData(data, EXECUTION_ID, WORKFLOW_ID, fileName, mimeType),
};

export async function readStoredBinary(binary: IBinaryData): Promise<Buffer> {
	return await Container.get(BinaryDataService).getAsBuffer(binary);
}

/** Every file in the binary store, temporary ones included: a failed store must leave none behind. */
export function storedFiles(): string[] {
	const walk = (dir: string): string[] =>
		readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
			entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
		);
	try {
		return walk(storagePath);
	} catch {
		return [];
	}
}

if (typeof afterAll === 'function') afterAll(() => rmSync(userFolder, { recursive: true, force: true }));
