/**
 * Operations whose answer lists an order's files in JSON, Base64 each with its name (`{ Base64Data, Filename }`):
 * signed PDFs, voice files. Every file becomes a numbered binary field, all of them or, when one is damaged, none;
 * with an AES key in the credential the answer is requested encrypted and decrypted on the way.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	fieldPrefixOption,
	maxFileSizeOption,
	readFieldPrefix,
	readMaxBytes,
	storeBase64Files,
	type FileKind,
	type StoredFiles,
} from '../../shared/binaryOutput';
import { optionsProperty, type CallSettings } from '../../shared/requestOptions';
import { cryptKey, DEFAULT_MAX_FILE_MB } from '../transport';

export interface ListedFile {
	Base64Data?: string;
	Filename?: string;
}

/** The operation's Options: the Field Prefix (`files`: 'voice files') and the Max File Size (`file`: 'voice file'). */
export function listedFilesOptions(defaultPrefix: string, files: string, file: string): INodeProperties {
	return optionsProperty([fieldPrefixOption(defaultPrefix, files), maxFileSizeOption(DEFAULT_MAX_FILE_MB, file)]);
}

export interface ListedFilesDownload {
	defaultPrefix: string;
	kind: FileKind;
	/** Where the list sits in IDnow's answer, for messages: 'PDFs'. */
	list: string;
	/** IDnow's call, giving the answer's list. */
	fetch(): Promise<ListedFile[] | undefined>;
	/** The name of a file IDnow sent without one, from its position counted from 1. */
	defaultFileName(position: number): string;
}

/** Reads the options, asks IDnow and stores the files; `decrypted` says whether they came encrypted. */
export async function downloadListedFiles(
	ctx: IExecuteFunctions,
	itemIndex: number,
	call: CallSettings,
	{ defaultPrefix, kind, list, fetch, defaultFileName }: ListedFilesDownload,
): Promise<StoredFiles & { decrypted: boolean }> {
	const prefix = readFieldPrefix(ctx, itemIndex, defaultPrefix);
	const maxBytes = readMaxBytes(ctx, itemIndex, DEFAULT_MAX_FILE_MB);
	const decrypted = (await cryptKey(ctx, call)) !== undefined;
	const files = (await fetch()) ?? [];
	const stored = await storeBase64Files(
		ctx,
		files.map((file, index) => ({ base64: file.Base64Data, fileName: file.Filename, field: `${list}[${index}].Base64Data` })),
		{ kind, propertyPrefix: prefix, defaultFileName, maxBytes },
	);
	return { ...stored, decrypted };
}
