import { Container } from '@n8n/di';
import { BinaryDataConfig, BinaryDataService, prepareBinaryData } from 'n8n-core';
import type { IBinaryData } from 'n8n-workflow';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';

import { ensureRuntime } from './runtime';
import { WORKFLOW_ID } from './workflow';

export interface BinaryContent {
	data: Buffer;
	mimeType: string;
	fileName?: string;
	fileExtension?: string;
	/** Human-readable size as n8n shows it, e.g. "1 MB". */
	fileSize?: string;
	bytes?: number;
	/** True when the bytes live in the binary data store (filesystem mode), not inline base64. */
	storedOnDisk: boolean;
}

/** Input items for upload tests are written to the store by n8n-core, as a trigger's would be. */
const INPUT_EXECUTION_ID = 'input';

/** Reads a binary property back through n8n's BinaryDataService. */
export async function readBinary(binary: IBinaryData): Promise<BinaryContent> {
	const data = await Container.get(BinaryDataService).getAsBuffer(binary);
	return {
		data,
		mimeType: binary.mimeType,
		fileName: binary.fileName,
		fileExtension: binary.fileExtension,
		fileSize: binary.fileSize,
		bytes: binary.bytes,
		storedOnDisk: binary.id !== undefined,
	};
}

/**
 * A binary property for an input item, stored the way n8n stores a trigger's file:
 * `{ json: {}, binary: { data: await binaryInput(pdf, 'contract.pdf') } }`.
 */
export async function binaryInput(
	data: Buffer | Readable,
	fileName: string,
	mimeType?: string,
): Promise<IBinaryData> {
	await ensureRuntime();
	return await prepareBinaryData(data, INPUT_EXECUTION_ID, WORKFLOW_ID, fileName, mimeType);
}

/** Every file in the binary data store, temporary ones included: a failed store must leave none behind. */
export async function storedBinaryFiles(): Promise<string[]> {
	await ensureRuntime();
	const walk = (dir: string): string[] =>
		readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
			entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
		);
	try {
		return walk(Container.get(BinaryDataConfig).localStoragePath);
	} catch {
		return [];
	}
}
