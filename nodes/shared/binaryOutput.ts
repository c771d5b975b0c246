/**
 * Files an action node outputs: the parameters saying where they go and how large they may be, and several files that
 * arrive Base64-encoded inside one JSON answer (signed PDFs, voice recordings, images) stored as numbered binary
 * fields of one item. Every such file is decoded strictly, bounded in size and recognised as the kind of file it
 * should be before any of them is stored: a damaged answer is an error naming the file, never a broken attachment,
 * and never half of the files.
 */
import type { IBinaryData, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { decodeBase64Strict, fileNameFromContentDisposition, type BinaryContext } from './binary';
import { InputError } from './errors';

const MEGABYTE = 1024 * 1024;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const FIELD_NAME_FIX = 'Use letters, digits, _ and -, starting with a letter or _.';

type ParameterContext = Pick<IExecuteFunctions, 'getNodeParameter'>;

// ---------------------------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------------------------

/** The binary field one downloaded file is put in (parameter `binaryPropertyName`). */
export function binaryFieldProperty(defaultName: string, file: string): INodeProperties {
	return {
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: defaultName,
		required: true,
		hint: `The name of the output binary field to put the ${file} in`,
	};
}

export function readBinaryField(ctx: ParameterContext, itemIndex: number): string {
	const name = String(ctx.getNodeParameter('binaryPropertyName', itemIndex, '')).trim();
	if (!FIELD_NAME.test(name)) {
		throw new InputError(`"${name}" cannot be the name of a binary field`, `Change "Put Output File in Field". ${FIELD_NAME_FIX}`);
	}
	return name;
}

/** An option naming the binary fields of several files: `<prefix>0`, `<prefix>1`, … (option `fieldPrefix`). */
export function fieldPrefixOption(defaultPrefix: string, files: string): INodeProperties {
	return {
		displayName: 'Field Prefix',
		name: 'fieldPrefix',
		type: 'string',
		default: defaultPrefix,
		description: `The ${files} become the binary fields named this prefix followed by 0, 1, … in the order the provider lists them`,
	};
}

export function readFieldPrefix(ctx: ParameterContext, itemIndex: number, defaultPrefix: string): string {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const prefix = options.fieldPrefix === undefined ? defaultPrefix : String(options.fieldPrefix).trim();
	if (!FIELD_NAME.test(prefix)) {
		throw new InputError(`The Field Prefix "${prefix}" cannot start a binary field name`, `Change the option "Field Prefix". ${FIELD_NAME_FIX}`);
	}
	return prefix;
}

/** An option bounding each file's size, in MB (option `maxFileSizeMb`). */
export function maxFileSizeOption(defaultMegabytes: number, file: string): INodeProperties {
	return {
		displayName: 'Max File Size (MB)',
		name: 'maxFileSizeMb',
		type: 'number',
		default: defaultMegabytes,
		typeOptions: { minValue: 0.001 },
		description: `A larger ${file} is refused and nothing is stored. Raise it for unusually large files.`,
	};
}

export function readMaxBytes(ctx: ParameterContext, itemIndex: number, defaultMegabytes: number): number {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const value = options.maxFileSizeMb ?? defaultMegabytes;
	const megabytes = typeof value === 'number' ? value : Number(value);
	if (!Number.isFinite(megabytes) || megabytes <= 0) {
		throw new InputError(
			`The option "Max File Size (MB)" must be a positive number (it is ${JSON.stringify(value)})`,
			`Change "Max File Size (MB)" in the node's options, e.g. ${defaultMegabytes}.`,
		);
	}
	return Math.floor(megabytes * MEGABYTE);
}

// ---------------------------------------------------------------------------------------------------------------
// Base64 files from a JSON answer
// ---------------------------------------------------------------------------------------------------------------

export interface FileKind {
	/** What the file should be, for messages: 'a PDF'. */
	name: string;
	mimeType: string;
	/** The leading bytes every such file has, described for the error message. */
	signature: string;
	recognise(bytes: Buffer): boolean;
}

export const PDF_FILE: FileKind = {
	name: 'a PDF',
	mimeType: 'application/pdf',
	signature: '"%PDF-"',
	recognise: (bytes) => bytes.subarray(0, 5).toString('latin1') === '%PDF-',
};

/** An MP3 starts with an ID3 tag or directly with an MPEG audio frame (11 sync bits set). */
export const MP3_FILE: FileKind = {
	name: 'an MP3',
	mimeType: 'audio/mpeg',
	signature: 'an ID3 tag or an MPEG audio frame header',
	recognise: (bytes) =>
		bytes.subarray(0, 3).toString('latin1') === 'ID3' || (bytes.length >= 2 && bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0),
};

/** Every JPEG starts with the marker FF D8 FF. */
export const JPEG_FILE: FileKind = {
	name: 'a JPEG image',
	mimeType: 'image/jpeg',
	signature: 'the JPEG marker FF D8 FF',
	recognise: (bytes) => bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff,
};

export interface EncodedFile {
	base64: unknown;
	/** The provider's file name, if it sent one. */
	fileName?: unknown;
	/** Where the file sits in the answer, for messages: 'PDFs[2].Base64Data'. */
	field: string;
}

export interface StoredFileSummary {
	binaryProperty: string;
	fileName: string;
	bytes: number;
}

export interface StoreFilesOptions {
	kind: FileKind;
	/** Fields are named prefix + position from 0: `voice_0`, `voice_1`, … */
	propertyPrefix: string;
	/** The name of a file the provider sent without one, from its position counted from 1. */
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
	// All decoded and checked first: a bad third file must not leave the first two stored.
	const decoded = encoded.map((file) => ({ file, bytes: decodeFile(file, kind, maxBytes) }));
	const binary: Record<string, IBinaryData> = {};
	const files: StoredFileSummary[] = [];
	for (const [index, { file, bytes }] of decoded.entries()) {
		const binaryProperty = `${propertyPrefix}${index}`;
		const fileName = safeFileName(file.fileName) ?? defaultFileName(index + 1);
		binary[binaryProperty] = await ctx.helpers.prepareBinaryData(bytes, fileName, kind.mimeType);
		files.push({ binaryProperty, fileName, bytes: bytes.length });
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
 * A provider's file name reduced to its last path segment without control characters, by the rules a download's
 * Content-Disposition name follows (passed through that parser), so that it cannot climb out of a folder later.
 */
function safeFileName(name: unknown): string | undefined {
	if (typeof name !== 'string' || name.trim() === '') return undefined;
	return fileNameFromContentDisposition(`attachment; filename*=UTF-8''${encodeURIComponent(name)}`);
}
