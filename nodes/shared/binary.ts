/**
 * Provider files into n8n binary data: streamed downloads checked for size, truncation and file signature,
 * strict Base64 fields, and AES-256-GCM decryption (IV ‖ ciphertext ‖ tag) as a stream.
 */
import { createDecipheriv, createHash } from 'crypto';
import type { DecipherGCM } from 'crypto';
import type { BinaryHelperFunctions, IBinaryData, IN8nHttpFullResponse, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { InputError } from './errors';
import { headerText, isReadableStream, messageOf } from './util';

/** node:stream's Readable, named through n8n's own types because community nodes may not import node:stream. */
type Readable = Exclude<Parameters<BinaryHelperFunctions['prepareBinaryData']>[0], Buffer>;

/** A node:stream Transform, typed by the members used here. */
export type ByteTransform = Readable & NodeJS.WritableStream;

type StreamCallback = (error?: Error | null, data?: Buffer) => void;

interface TransformHooks {
	transform(chunk: Buffer, encoding: string, callback: StreamCallback): void;
	flush?(callback: StreamCallback): void;
}

/**
 * node:stream's Transform class, reached through a crypto Hash (which is a Transform), because community nodes
 * may not import node:stream. prepareBinaryData needs a real Node stream, not just an async iterable.
 */
const Transform = findTransformClass();

function findTransformClass(): new (hooks: TransformHooks) => ByteTransform {
	for (let prototype = Object.getPrototypeOf(createHash('sha256')); prototype; prototype = Object.getPrototypeOf(prototype)) {
		if (prototype.constructor?.name === 'Transform') return prototype.constructor;
	}
	throw new Error('The stream Transform class was not found behind crypto.Hash in this Node.js version');
}

export interface BinaryContext {
	getNode(): INode;
	helpers: Pick<BinaryHelperFunctions, 'prepareBinaryData'>;
}

// ---------------------------------------------------------------------------------------------------------------
// Downloads
// ---------------------------------------------------------------------------------------------------------------

export interface ResponseToBinaryOptions {
	fallbackFileName: string;
	fallbackMimeType: string;
	/** Refuses larger files: before reading when Content-Length says so, otherwise as soon as the count passes it. */
	maxBytes?: number;
	/** Leading bytes every valid file has (e.g. `%PDF-`), checked after any decryption. */
	expectedSignature?: Buffer;
	/** Runs between the size checks (which count the bytes received) and the signature check, e.g. GCM decryption. */
	decrypt?: ByteTransform;
	itemIndex?: number;
}

/**
 * Streams a response body (requested with `encoding: 'stream'`) into n8n's binary store without holding it in
 * memory. Every check runs inside the stream, so a failed one makes prepareBinaryData reject and nothing is kept.
 */
export async function responseToBinary(
	ctx: BinaryContext,
	response: IN8nHttpFullResponse,
	options: ResponseToBinaryOptions,
): Promise<IBinaryData> {
	const fail = (message: string, description: string) =>
		new NodeOperationError(ctx.getNode(), message, { itemIndex: options.itemIndex, description });
	const declaredLength = contentLength(response.headers);
	const fileName =
		fileNameFromContentDisposition(headerText(response.headers, 'content-disposition')) ?? options.fallbackFileName;
	const mimeType = (!options.decrypt && specificMimeType(response.headers)) || options.fallbackMimeType;
	const source = toReadable(response.body);
	if (!source) {
		throw fail(`The download of "${fileName}" returned no file data`, "Request the file with encoding 'stream'.");
	}
	if (options.maxBytes !== undefined && declaredLength !== undefined && declaredLength > options.maxBytes) {
		source.destroy();
		throw fail(tooLargeMessage(fileName, options.maxBytes, declaredLength), 'The file was not downloaded.');
	}
	const stored = storedByteCounter();
	const stages = [
		byteCountStage(fileName, declaredLength, options.maxBytes),
		...(options.decrypt ? [options.decrypt] : []),
		...(options.expectedSignature ? [signatureStage(fileName, options.expectedSignature)] : []),
		stored.stage,
	];
	try {
		const binary = await ctx.helpers.prepareBinaryData(chain(source, stages, fileName), fileName, mimeType);
		// n8n 2.x records the stored size itself; n8n 1.x only a text like "25.2 MB".
		return { ...binary, bytes: binary.bytes ?? stored.count() };
	} catch (error) {
		const { message, fix } = describeStoreFailure(error);
		throw fail(message, fix);
	}
}

function describeStoreFailure(error: unknown): { message: string; fix: string } {
	if (error instanceof InputError) return { message: error.message, fix: `${error.fix} Nothing was stored.` };
	return { message: messageOf(error), fix: 'Nothing was stored. Try again; if it keeps happening, the provider sends a damaged file.' };
}

/** `bytes` is unknown while streaming without Content-Length: then only "larger" is certain. */
function tooLargeMessage(fileName: string, maxBytes: number, bytes?: number): string {
	const size = bytes === undefined ? 'larger than' : `${bytes} bytes, more than`;
	return `The file "${fileName}" is ${size} the allowed ${maxBytes} bytes`;
}

function toReadable(body: unknown): Readable | undefined {
	if (Buffer.isBuffer(body)) {
		const stream = passThrough();
		stream.end(body);
		return stream;
	}
	return isReadableStream(body) ? (body as unknown as Readable) : undefined;
}

function passThrough(): ByteTransform {
	return new Transform({ transform: (chunk, _encoding, callback) => callback(null, chunk) });
}

/**
 * pipe() passes data on but neither errors nor an early end: both are forwarded here, so a broken download
 * fails the store instead of leaving it waiting, and a failed check stops reading from the socket.
 */
function chain(source: Readable, stages: ByteTransform[], fileName: string): Readable {
	const brokeOff = (detail: string) =>
		new Error(`The download of "${fileName}" broke off before the file was complete (${detail})`);
	let upstream = source;
	for (const stage of stages) {
		const from = upstream;
		// The source's own errors are network errors ("aborted", ECONNRESET); the stages' errors already explain.
		from.once('error', (error: Error) => stage.destroy(from === source ? brokeOff(error.message) : error));
		from.once('close', () => {
			if (!from.readableEnded) stage.destroy(brokeOff('the connection closed early'));
		});
		stage.once('error', () => from.destroy());
		from.pipe(stage);
		upstream = stage;
	}
	return upstream;
}

/** Counts what is finally stored (after any decryption), for n8n releases that do not record it. */
function storedByteCounter(): { stage: ByteTransform; count(): number } {
	let count = 0;
	const stage = new Transform({
		transform(chunk, _encoding, callback) {
			count += chunk.length;
			callback(null, chunk);
		},
	});
	return { stage, count: () => count };
}

function byteCountStage(fileName: string, declaredLength: number | undefined, maxBytes: number | undefined): ByteTransform {
	let received = 0;
	return new Transform({
		transform(chunk, _encoding, callback) {
			received += chunk.length;
			if (maxBytes !== undefined && received > maxBytes) {
				callback(new Error(tooLargeMessage(fileName, maxBytes)));
				return;
			}
			callback(null, chunk);
		},
		flush(callback) {
			// Only "fewer" proves a loss: a body decompressed on the way can legitimately be longer than declared.
			if (declaredLength !== undefined && received < declaredLength) {
				callback(new Error(`The download of "${fileName}" is incomplete: ${received} of ${declaredLength} bytes arrived`));
				return;
			}
			callback();
		},
	});
}

/** Holds back the first bytes until there are enough to compare with the expected file signature. */
function signatureStage(fileName: string, signature: Buffer): ByteTransform {
	let head = Buffer.alloc(0);
	let checked = false;
	const corrupted = () =>
		new Error(`The file "${fileName}" is damaged: it does not start with ${describeSignature(signature)}`);
	return new Transform({
		transform(chunk, _encoding, callback) {
			if (checked) {
				callback(null, chunk);
				return;
			}
			head = Buffer.concat([head, chunk]);
			if (head.length < signature.length) {
				callback();
				return;
			}
			checked = true;
			callback(head.subarray(0, signature.length).equals(signature) ? null : corrupted(), head);
		},
		flush(callback) {
			callback(checked ? null : corrupted());
		},
	});
}

function describeSignature(signature: Buffer): string {
	const text = signature.toString('latin1');
	return /^[\x20-\x7e]+$/.test(text) ? `"${text}"` : `the bytes ${signature.toString('hex')}`;
}

function contentLength(headers: IN8nHttpFullResponse['headers']): number | undefined {
	const value = headerText(headers, 'content-length');
	return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value) : undefined;
}

/** The media type a response declares (Content-Type without its parameters), lower-case. */
export function mediaTypeOf(headers: IN8nHttpFullResponse['headers']): string | undefined {
	return headerText(headers, 'content-type')?.split(';')[0].trim().toLowerCase();
}

/** The response's own type, unless it only says "some bytes". */
function specificMimeType(headers: IN8nHttpFullResponse['headers']): string | undefined {
	const type = mediaTypeOf(headers);
	return type && type !== 'application/octet-stream' ? type : undefined;
}

/** `filename*=` (RFC 6266/5987, preferred) or `filename=`; only the last path segment is kept. */
export function fileNameFromContentDisposition(header: string | undefined): string | undefined {
	if (!header) return undefined;
	const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
	const plain = /(?:^|;)\s*filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/i.exec(header);
	const fromExtended = extended ? decodeExtendedValue(extended[1], extended[2].trim()) : undefined;
	const fromPlain = plain ? (plain[1]?.replace(/\\(.)/g, '$1') ?? plain[2].trim()) : undefined;
	return baseName(fromExtended ?? fromPlain);
}

function decodeExtendedValue(charset: string, value: string): string | undefined {
	if (/^utf-8$/i.test(charset.trim())) {
		try {
			return decodeURIComponent(value);
		} catch {
			return undefined; // malformed percent-encoding: fall back to the plain filename parameter
		}
	}
	return value.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function withoutControlCharacters(text: string | undefined): string | undefined {
	if (text === undefined) return undefined;
	return [...text].filter((character) => character > '\u001f' && character !== '\u007f').join('');
}

/** Servers may send a path; keeping it would let a file name climb out of wherever it is later written. */
function baseName(name: string | undefined): string | undefined {
	const base = withoutControlCharacters(name?.split(/[\\/]/).pop())?.trim();
	return base && base !== '.' && base !== '..' ? base : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Base64 fields
// ---------------------------------------------------------------------------------------------------------------

export interface Base64Options {
	maxBytes?: number;
	/** Names the field in error messages; defaults to the file name. */
	fieldName?: string;
}

export async function base64ToBinary(
	ctx: BinaryContext,
	base64: string,
	fileName: string,
	mimeType: string,
	{ maxBytes, fieldName = fileName }: Base64Options = {},
): Promise<IBinaryData> {
	return await ctx.helpers.prepareBinaryData(decodeBase64Strict(base64, fieldName, maxBytes), fileName, mimeType);
}

/**
 * Decodes standard or URL-safe Base64, padded or not, ignoring line breaks. Anything else is refused:
 * Buffer.from(text, 'base64') would silently skip stray characters and hand over a corrupted file.
 */
export function decodeBase64Strict(text: unknown, fieldName: string, maxBytes?: number): Buffer {
	const fix = `The provider should send "${fieldName}" as Base64; check that the right field is mapped.`;
	if (typeof text !== 'string' || text.trim() === '') {
		throw new InputError(`The field "${fieldName}" holds no Base64 data`, fix);
	}
	const compact = text.replace(/\s+/g, '');
	const stray = /[^A-Za-z0-9+/=_-]/.exec(compact);
	if (stray) {
		throw new InputError(
			`The field "${fieldName}" is not valid Base64: it contains "${stray[0]}" at position ${stray.index + 1}`,
			fix,
		);
	}
	const data = compact.replace(/=+$/, '');
	const padding = compact.length - data.length;
	if (data.includes('=') || data.length % 4 === 1 || padding > 2 || (padding > 0 && compact.length % 4 !== 0)) {
		throw new InputError(`The field "${fieldName}" is not valid Base64: its length or padding is wrong`, fix);
	}
	const size = Math.floor((data.length * 3) / 4);
	if (maxBytes !== undefined && size > maxBytes) {
		throw new InputError(tooLargeMessage(fieldName, maxBytes, size), 'The file was not stored.');
	}
	return Buffer.from(data.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

// ---------------------------------------------------------------------------------------------------------------
// AES-256-GCM: IV ‖ ciphertext ‖ tag, with the IV length the provider uses
// ---------------------------------------------------------------------------------------------------------------

export interface GcmOptions {
	/** The provider's IV length in bytes; nothing general can be assumed (12 is usual, some use more). */
	ivLength: number;
	/** Default 16, the tag Java's AES/GCM/NoPadding appends. */
	tagLength?: number;
}

const AES_256_KEY_BYTES = 32;
const GCM_TAG_LENGTHS = [4, 8, 12, 13, 14, 15, 16];

const DECRYPTION_FIX =
	'Check that the AES key in the credentials is the one agreed with the provider. If it is, the download was damaged or altered: try again.';

/** A 32-byte key written as 64 hexadecimal characters or as Base64. */
export function parseAes256Key(text: string): Buffer {
	const compact = (text ?? '').replace(/\s+/g, '');
	let key: Buffer | undefined;
	if (/^[0-9a-f]{64}$/i.test(compact)) {
		key = Buffer.from(compact, 'hex');
	} else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) {
		key = Buffer.from(compact.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
	}
	if (key?.length !== AES_256_KEY_BYTES) {
		throw new InputError(
			'The AES key is not a 32-byte key',
			'Enter the AES-256 key as 64 hexadecimal characters or as 44 Base64 characters.',
		);
	}
	return key;
}

function checkGcmParameters(key: Buffer, { ivLength, tagLength = 16 }: GcmOptions) {
	if (key.length !== AES_256_KEY_BYTES) {
		throw new InputError(
			`The AES key has ${key.length} bytes instead of ${AES_256_KEY_BYTES}`,
			'Enter the AES-256 key as 64 hexadecimal characters or as 44 Base64 characters.',
		);
	}
	if (!Number.isInteger(ivLength) || ivLength < 1) {
		throw new InputError(`The GCM IV length ${ivLength} is invalid`, 'Use a whole number of bytes, at least 1.');
	}
	if (!GCM_TAG_LENGTHS.includes(tagLength)) {
		throw new InputError(`The GCM tag length ${tagLength} is invalid`, `Use one of ${GCM_TAG_LENGTHS.join(', ')} bytes.`);
	}
	return { ivLength, tagLength };
}

function decryptionFailed(reason: string): InputError {
	return new InputError(`AES-256-GCM decryption failed: ${reason}`, DECRYPTION_FIX);
}

/**
 * A Transform that takes IV ‖ ciphertext ‖ tag and emits the plaintext. The last `tagLength` bytes are always held
 * back, because any chunk may be the last; at the end they must verify as the tag, or the stream errors, which
 * makes whoever consumes it (prepareBinaryData) reject instead of keeping unauthenticated plaintext.
 */
export function createGcmDecryptStream(key: Buffer, options: GcmOptions): ByteTransform {
	const { ivLength, tagLength } = checkGcmParameters(key, options);
	let header = Buffer.alloc(0);
	let decipher: DecipherGCM | undefined;
	let heldBack = Buffer.alloc(0);
	return new Transform({
		transform(chunk, _encoding, callback) {
			let data = chunk;
			if (!decipher) {
				header = Buffer.concat([header, chunk]);
				if (header.length < ivLength) {
					callback();
					return;
				}
				decipher = createDecipheriv('aes-256-gcm', key, header.subarray(0, ivLength), { authTagLength: tagLength });
				data = header.subarray(ivLength);
			}
			const pending = heldBack.length > 0 ? Buffer.concat([heldBack, data]) : data;
			const cut = Math.max(0, pending.length - tagLength);
			heldBack = Buffer.from(pending.subarray(cut));
			const plaintext = decipher.update(pending.subarray(0, cut));
			callback(null, plaintext.length > 0 ? plaintext : undefined);
		},
		flush(callback) {
			if (!decipher || heldBack.length < tagLength) {
				callback(decryptionFailed('the data is shorter than IV and tag together (truncated)'));
				return;
			}
			try {
				decipher.setAuthTag(heldBack);
				callback(null, decipher.final());
			} catch {
				callback(decryptionFailed('the authentication tag does not match'));
			}
		},
	});
}

/** The same for payloads small enough to hold in memory. */
export function decryptGcmBuffer(key: Buffer, data: Buffer, options: GcmOptions): Buffer {
	const { ivLength, tagLength } = checkGcmParameters(key, options);
	if (data.length < ivLength + tagLength) {
		throw decryptionFailed('the data is shorter than IV and tag together (truncated)');
	}
	const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, ivLength), { authTagLength: tagLength });
	decipher.setAuthTag(data.subarray(data.length - tagLength));
	const plaintext = decipher.update(data.subarray(ivLength, data.length - tagLength));
	try {
		return Buffer.concat([plaintext, decipher.final()]);
	} catch {
		throw decryptionFailed('the authentication tag does not match');
	}
}
