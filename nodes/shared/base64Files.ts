/**
 * Several files that arrive Base64-encoded inside one JSON answer (signed PDFs, voice recordings, images) as numbered
 * binary properties of one output item. Every file is decoded strictly, bounded in size and recognised as the kind of
 * file it should be before any of them is stored: a damaged answer is an error naming the file, never a broken
 * attachment, and never half of the files.
 */
import type { IBinaryData } from 'n8n-workflow';

import { decodeBase64Strict, fileNameFromContentDisposition, type BinaryContext } from './binary';
import { InputError } from './errors';

export interface FileKind {
	/** What the file should be, for messages: 'a PDF'. */
	name: string;
	mimeType: string;
	extension: string;
	/** The leading bytes every such file has, described for the error message. */
	signature: string;
	recognise(bytes: Buffer): boolean;
}

export const PDF_FILE: FileKind = {
	name: 'a PDF',
	mimeType: 'application/pdf',
	extension: 'pdf',
	signature: '"%PDF-"',
	recognise: (bytes) => bytes.subarray(0, 5).toString('latin1') === '%PDF-',
};

/** An MP3 starts with an ID3 tag or directly with an MPEG audio frame (11 sync bits set). */
export const MP3_FILE: FileKind = {
	name: 'an MP3',
	mimeType: 'audio/mpeg',
	extension: 'mp3',
	signature: 'an ID3 tag or an MPEG frame header',
	recognise: (bytes) =>
		bytes.subarray(0, 3).toString('latin1') === 'ID3' || (bytes.length >= 2 && bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0),
};

export interface EncodedFile {
	base64: unknown;
	/** The provider's file name, if it sent one; otherwise a name is made from the property. */
	fileName?: unknown;
	/** Where the file sits in the answer, for messages: 'PDFs[2].Base64Data'. */
	field: string;
}

export interface StoredFileSummary {
	binaryProperty: string;
	fileName: string;
	fileSize: number;
}

export interface StoreFilesOptions {
	kind: FileKind;
	/** Properties are named prefix + position from 0: `voice_0`, `voice_1`, … */
	propertyPrefix: string;
	/** The name of a file without a name of its own, given its position from 1. */
	defaultFileName(position: number): string;
	maxBytes?: number;
}

export interface StoredFiles {
	binary: Record<string, IBinaryData>;
	files: StoredFileSummary[];
}

export async function storeBase64Files(
	ctx: BinaryContext,
	encoded: EncodedFile[],
	{ kind, propertyPrefix, defaultFileName, maxBytes }: StoreFilesOptions,
): Promise<StoredFiles> {
	// Decoded and checked all first: a bad third file must not leave the first two stored.
	const decoded = encoded.map((file) => ({ file, bytes: decodeFile(file, kind, maxBytes) }));
	const binary: Record<string, IBinaryData> = {};
	const files: StoredFileSummary[] = [];
	for (const [index, { file, bytes }] of decoded.entries()) {
		const binaryProperty = `${propertyPrefix}${index}`;
		const fileName = safeFileName(file.fileName) ?? defaultFileName(index + 1);
		binary[binaryProperty] = await ctx.helpers.prepareBinaryData(bytes, fileName, kind.mimeType);
		files.push({ binaryProperty, fileName, fileSize: bytes.length });
	}
	return { binary, files };
}

function decodeFile(file: EncodedFile, kind: FileKind, maxBytes: number | undefined): Buffer {
	const bytes = decodeBase64Strict(file.base64, file.field, maxBytes);
	if (!kind.recognise(bytes)) {
		throw new InputError(
			`The file in "${file.field}" is not ${kind.name}: it does not start with ${kind.signature}`,
			'The provider sent a damaged or different file. Nothing was stored; try again, and report it to the provider if it persists.',
		);
	}
	return bytes;
}

/**
 * A provider's file name reduced to its last path segment without control characters, as for a download's
 * Content-Disposition (the same rules, by passing it through that parser), so it cannot climb out of a folder later.
 */
function safeFileName(name: unknown): string | undefined {
	if (typeof name !== 'string' || name.trim() === '') return undefined;
	return fileNameFromContentDisposition(`attachment; filename*=UTF-8''${encodeURIComponent(name)}`);
}
