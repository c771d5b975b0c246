import { createCipheriv, createHash } from 'node:crypto';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { NodeOperationError } from 'n8n-workflow';
import type { IBinaryData, IExecuteFunctions, IN8nHttpFullResponse } from 'n8n-workflow';

import {
	base64ToBinary,
	createGcmDecryptStream,
	decodeBase64Strict,
	decryptGcmBuffer,
	fileNameFromContentDisposition,
	parseAes256Key,
	responseToBinary,
	type ByteTransform,
} from '../../../nodes/shared/binary';
import { InputError } from '../../../nodes/shared/errors';
import {
	createRequestContext,
	readBinary,
	startTestServer,
	storedBinaryFiles,
	type Handler,
	type TestServer,
} from '../../harness';

const KEY = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
const OTHER_KEY = Buffer.alloc(32, 0x42);
const IV_23 = Buffer.from('aabbccddeeff00112233445566778899aabbccddeeff00', 'hex');
/** The layout under test: a 23-byte IV, as IDnow's /crypt answers use. */
const GCM = { ivLength: 23 };
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(70_000, 0x61), Buffer.from('\n%%EOF\n')]);
const PDF_SIGNATURE = Buffer.from('%PDF-');
const TAG_MISMATCH = 'AES-256-GCM decryption failed: the authentication tag does not match';

/** n8n-core's own node context: its prepareBinaryData writes to the harness's binary store (filesystem mode). */
let ctx: IExecuteFunctions;

async function readStoredBinary(binary: IBinaryData): Promise<Buffer> {
	return (await readBinary(binary)).data;
}

/** What IDnow's /crypt endpoints send: IV ‖ ciphertext ‖ 16-byte GCM tag. */
function encrypt(plaintext: Buffer, key = KEY, iv = IV_23): Buffer {
	const cipher = createCipheriv('aes-256-gcm', key, iv);
	const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
	return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]);
}

/** Jest compares buffers byte by byte, which takes seconds for a few hundred kilobytes; a digest says the same. */
function fingerprint(data: Buffer): { length: number; sha256: string } {
	return { length: data.length, sha256: createHash('sha256').update(data).digest('hex') };
}

function flipByte(data: Buffer, index: number): Buffer {
	const copy = Buffer.from(data);
	copy[index] ^= 0x01;
	return copy;
}

/** Writes the chunks in turn and collects what comes out; rejects when the stream errors. */
async function pushThrough(stream: ByteTransform, chunks: Buffer[]): Promise<Buffer> {
	const output: Buffer[] = [];
	const done = new Promise<Buffer>((resolve, reject) => {
		stream.on('data', (chunk: Buffer) => output.push(chunk));
		stream.once('end', () => resolve(Buffer.concat(output)));
		stream.once('error', reject);
	});
	for (const chunk of chunks) stream.write(chunk);
	stream.end();
	return await done;
}

function chunked(data: Buffer, sizes: number[]): Buffer[] {
	const chunks: Buffer[] = [];
	let offset = 0;
	for (let index = 0; offset < data.length; index++) {
		const size = sizes[index % sizes.length];
		chunks.push(data.subarray(offset, offset + size));
		offset += size;
	}
	return chunks;
}

describe('AES-256-GCM with a 23-byte IV', () => {
	const encrypted = encrypt(PDF);

	it('decrypts a buffer', () => {
		expect(fingerprint(decryptGcmBuffer(KEY, encrypted, GCM))).toEqual(fingerprint(PDF));
	});

	it('decrypts a stream in one chunk', async () => {
		expect(fingerprint(await pushThrough(createGcmDecryptStream(KEY, GCM), [encrypted]))).toEqual(fingerprint(PDF));
	});

	it('decrypts a stream byte by byte', async () => {
		const small = Buffer.from('short plaintext');
		await expect(pushThrough(createGcmDecryptStream(KEY, GCM), chunked(encrypt(small), [1]))).resolves.toEqual(small);
	});

	it('decrypts whatever the chunk sizes, IV split across chunks included', async () => {
		for (const sizes of [[5, 19], [23], [24, 1000], [4096], [7, 16, 3]]) {
			expect(fingerprint(await pushThrough(createGcmDecryptStream(KEY, GCM), chunked(encrypted, sizes)))).toEqual(fingerprint(PDF));
		}
	});

	it('decrypts when a chunk boundary falls anywhere inside the tag', async () => {
		for (let intoTag = 0; intoTag <= 16; intoTag++) {
			const cut = encrypted.length - intoTag;
			const chunks = [encrypted.subarray(0, cut), encrypted.subarray(cut)];
			expect(fingerprint(await pushThrough(createGcmDecryptStream(KEY, GCM), chunks))).toEqual(fingerprint(PDF));
		}
	});

	it('decrypts an empty plaintext', async () => {
		await expect(pushThrough(createGcmDecryptStream(KEY, GCM), [encrypt(Buffer.alloc(0))])).resolves.toEqual(Buffer.alloc(0));
	});

	it('supports other IV and tag lengths', async () => {
		const cipher = createCipheriv('aes-256-gcm', KEY, IV_23.subarray(0, 12), { authTagLength: 12 });
		const data = Buffer.concat([IV_23.subarray(0, 12), cipher.update(PDF), cipher.final(), cipher.getAuthTag()]);

		expect(fingerprint(decryptGcmBuffer(KEY, data, { ivLength: 12, tagLength: 12 }))).toEqual(fingerprint(PDF));
		expect(fingerprint(await pushThrough(createGcmDecryptStream(KEY, { ivLength: 12, tagLength: 12 }), [data]))).toEqual(fingerprint(PDF));
	});

	describe('refuses tampered, truncated or wrongly keyed data', () => {
		const cases: Array<[string, Buffer, Buffer, string]> = [
			['a flipped ciphertext byte', flipByte(encrypted, 23 + 1000), KEY, TAG_MISMATCH],
			['a flipped tag byte', flipByte(encrypted, encrypted.length - 3), KEY, TAG_MISMATCH],
			['a flipped IV byte', flipByte(encrypted, 5), KEY, TAG_MISMATCH],
			['the last byte cut off', encrypted.subarray(0, encrypted.length - 1), KEY, TAG_MISMATCH],
			['the tag cut off', encrypted.subarray(0, encrypted.length - 16), KEY, TAG_MISMATCH],
			['a body shorter than IV and tag', encrypted.subarray(0, 30), KEY, 'shorter than IV and tag together'],
			['the wrong key', encrypted, OTHER_KEY, TAG_MISMATCH],
		];

		it.each(cases)('as a buffer: %s', (_case, data, key, message) => {
			expect(() => decryptGcmBuffer(key, data, GCM)).toThrow(InputError);
			expect(() => decryptGcmBuffer(key, data, GCM)).toThrow(message);
		});

		it.each(cases)('as a stream, which errors instead of ending: %s', async (_case, data, key, message) => {
			const stream = createGcmDecryptStream(key, GCM);
			const ended = jest.fn();
			stream.on('end', ended);

			await expect(pushThrough(stream, chunked(data, [4000]))).rejects.toThrow(message);
			expect(ended).not.toHaveBeenCalled();
		});

		it('and tells the user what to check', () => {
			try {
				decryptGcmBuffer(OTHER_KEY, encrypted, GCM);
			} catch (error) {
				expect((error as InputError).fix).toBe(
					'Check that the AES key in the credentials is the one agreed with the provider. If it is, the download was damaged or altered: try again.',
				);
			}
			expect.assertions(1);
		});
	});

	it.each([
		[Buffer.alloc(16), GCM, 'The AES key has 16 bytes instead of 32'],
		[KEY, { ivLength: 0 }, 'The GCM IV length 0 is invalid'],
		[KEY, { ivLength: 23, tagLength: 17 }, 'The GCM tag length 17 is invalid'],
	])('refuses bad parameters (%#)', (key, options, message) => {
		expect(() => createGcmDecryptStream(key, options)).toThrow(message);
		expect(() => decryptGcmBuffer(key, encrypted, options)).toThrow(message);
	});
});

describe('parseAes256Key', () => {
	it.each([
		['hex', KEY.toString('hex')],
		['upper-case hex with spaces', KEY.toString('hex').toUpperCase().replace(/(.{8})/g, '$1 ')],
		['base64', KEY.toString('base64')],
		['base64url', KEY.toString('base64url')],
	])('reads %s', (_format, text) => {
		expect(parseAes256Key(text)).toEqual(KEY);
	});

	it.each(['', 'not a key', Buffer.alloc(16).toString('hex'), Buffer.alloc(48, 0xff).toString('base64')])(
		'refuses %j without repeating it',
		(text) => {
			expect(() => parseAes256Key(text)).toThrow(new InputError('The AES key is not a 32-byte key', ''));
		},
	);
});

describe('fileNameFromContentDisposition', () => {
	it.each([
		['attachment; filename="report.pdf"', 'report.pdf'],
		['attachment; filename=report.pdf', 'report.pdf'],
		['attachment; filename="quoted \\"name\\".pdf"', 'quoted "name".pdf'],
		["attachment; filename*=UTF-8''Pr%C3%BCfbericht%202024.pdf", 'Prüfbericht 2024.pdf'],
		["attachment; filename=\"fallback.pdf\"; filename*=utf-8''echt.pdf", 'echt.pdf'],
		["attachment; filename*=ISO-8859-1'de'Pr%FCfung.pdf", 'Prüfung.pdf'],
		["attachment; filename*=UTF-8''%E0%A4%A; filename=\"ok.pdf\"", 'ok.pdf'],
		['attachment; filename="../../etc/passwd"', 'passwd'],
		['attachment; filename="C:\\\\Users\\\\me\\\\doc.pdf"', 'doc.pdf'],
		['attachment; filename="ev\u0000il.pdf"', 'evil.pdf'],
	])('%s → %s', (header, name) => {
		expect(fileNameFromContentDisposition(header)).toBe(name);
	});

	it.each([undefined, '', 'inline', 'attachment; filename=""', 'attachment; filename=".."', 'attachment; filename="dir/"'])(
		'%j names no file',
		(header) => {
			expect(fileNameFromContentDisposition(header)).toBeUndefined();
		},
	);
});

describe('decodeBase64Strict', () => {
	const bytes = Buffer.from([0, 1, 2, 250, 251, 252, 253, 254, 255, 10]);

	it.each([
		['padded', bytes.toString('base64')],
		['unpadded', bytes.toString('base64').replace(/=+$/, '')],
		['URL-safe', bytes.toString('base64url')],
		['with MIME line breaks', bytes.toString('base64').replace(/(.{4})/g, '$1\r\n')],
	])('decodes %s Base64', (_form, text) => {
		expect(decodeBase64Strict(text, 'field')).toEqual(bytes);
	});

	it.each([
		['AAAA!AAA', 'The field "images.front" is not valid Base64: it contains "!" at position 5'],
		['data:image/png;base64,AAAA', 'The field "images.front" is not valid Base64: it contains ":" at position 5'],
		['AAAAA', 'The field "images.front" is not valid Base64: its length or padding is wrong'],
		['AA=A', 'The field "images.front" is not valid Base64: its length or padding is wrong'],
		['AA===', 'The field "images.front" is not valid Base64: its length or padding is wrong'],
		['AAA', undefined],
		['', 'The field "images.front" holds no Base64 data'],
		[null, 'The field "images.front" holds no Base64 data'],
	])('checks %j', (text, message) => {
		if (message === undefined) {
			expect(() => decodeBase64Strict(text, 'images.front')).not.toThrow();
			return;
		}
		expect(() => decodeBase64Strict(text, 'images.front')).toThrow(InputError);
		expect(() => decodeBase64Strict(text, 'images.front')).toThrow(message);
	});

	it('refuses data over maxBytes before decoding it', () => {
		expect(() => decodeBase64Strict(Buffer.alloc(2000).toString('base64'), 'voice', 1000)).toThrow(
			'The file "voice" is 2000 bytes, more than the allowed 1000 bytes',
		);
	});
});

describe('with n8n binary data (filesystem mode)', () => {
	let server: TestServer;

	beforeAll(async () => {
		({ ctx } = await createRequestContext({ credentials: [] }));
		server = await startTestServer();
	});
	afterAll(async () => await server.close());

	/** A real IncomingMessage, as n8n's request helper returns with encoding: 'stream'. */
	async function download(handler: Handler): Promise<IN8nHttpFullResponse> {
		server.respond(handler);
		const message = await new Promise<IncomingMessage>((resolve, reject) =>
			httpGet(`${server.url}/file`, resolve).once('error', reject),
		);
		return { body: message, headers: message.headers, statusCode: message.statusCode ?? 0 };
	}

	const serve =
		(body: Buffer, headers: Record<string, string> = {}): Handler =>
		(_request, response) => {
			response.writeHead(200, { 'content-length': String(body.length), ...headers });
			response.end(body);
		};

	async function expectNothingStored(action: Promise<unknown>, message: string | RegExp): Promise<void> {
		const before = await storedBinaryFiles();
		await expect(action).rejects.toThrow(NodeOperationError);
		await expect(action).rejects.toThrow(message);
		expect(await storedBinaryFiles()).toEqual(before);
	}

	describe('base64ToBinary', () => {
		it('stores the decoded file', async () => {
			const binary = await base64ToBinary(ctx, PDF.toString('base64'), 'esign.pdf', 'application/pdf');

			expect(binary).toMatchObject({ fileName: 'esign.pdf', mimeType: 'application/pdf', bytes: PDF.length });
			expect(fingerprint(await readStoredBinary(binary))).toEqual(fingerprint(PDF));
			// What expectNothingStored compares: the store's files on disk.
			expect((await storedBinaryFiles()).some((file) => file.includes(binary.id!.split(':').pop()!))).toBe(true);
		});

		it('names the field in its error', async () => {
			await expect(base64ToBinary(ctx, 'no base64!', 'front.jpg', 'image/jpeg', { fieldName: 'images.front' })).rejects.toThrow(
				'The field "images.front" is not valid Base64',
			);
		});
	});

	describe('responseToBinary', () => {
		const options = { fallbackFileName: 'proof.pdf', fallbackMimeType: 'application/pdf' };

		it('streams the file into the store with the name and type the server gives', async () => {
			const response = await download(
				serve(PDF, {
					'content-type': 'application/pdf; charset=binary',
					'content-disposition': "attachment; filename*=UTF-8''Identit%C3%A4tsnachweis.pdf",
				}),
			);

			const binary = await responseToBinary(ctx, response, { ...options, maxBytes: PDF.length, expectedSignature: PDF_SIGNATURE });

			expect(binary).toMatchObject({ fileName: 'Identitätsnachweis.pdf', mimeType: 'application/pdf', bytes: PDF.length });
			expect(binary.id).toBeDefined();
			expect(fingerprint(await readStoredBinary(binary))).toEqual(fingerprint(PDF));
		});

		it('reports the stored size itself where n8n does not (n8n 1.x records only a text size)', async () => {
			const response = await download(serve(PDF));
			const without = {
				...ctx,
				helpers: {
					prepareBinaryData: async (...args: Parameters<typeof ctx.helpers.prepareBinaryData>) => {
						const { bytes: _dropped, ...binary } = await ctx.helpers.prepareBinaryData(...args);
						return binary as IBinaryData;
					},
				},
			};

			const binary = await responseToBinary(without, response, options);

			expect(binary.bytes).toBe(PDF.length);
		});

		it('falls back to the given name and type when the server only says octet-stream', async () => {
			const response = await download(serve(PDF, { 'content-type': 'application/octet-stream' }));

			const binary = await responseToBinary(ctx, response, options);

			expect(binary).toMatchObject({ fileName: 'proof.pdf', mimeType: 'application/pdf' });
		});

		it('refuses a declared size over maxBytes before reading the body', async () => {
			const response = await download(serve(PDF));

			await expectNothingStored(
				responseToBinary(ctx, response, { ...options, maxBytes: 1000 }),
				`The file "proof.pdf" is ${PDF.length} bytes, more than the allowed 1000 bytes`,
			);
			expect((response.body as IncomingMessage).destroyed).toBe(true);
		});

		it('stops a body without Content-Length once it passes maxBytes', async () => {
			const response = await download((_request, res) => {
				res.writeHead(200, { 'transfer-encoding': 'chunked' });
				res.end(PDF);
			});

			await expectNothingStored(
				responseToBinary(ctx, response, { ...options, maxBytes: 1000 }),
				'The file "proof.pdf" is larger than the allowed 1000 bytes',
			);
		});

		it('detects a download that broke off', async () => {
			const response = await download((_request, res) => {
				res.writeHead(200, { 'content-length': String(PDF.length) });
				res.write(PDF.subarray(0, 20_000), () => res.socket?.destroy());
			});

			await expectNothingStored(
				responseToBinary(ctx, response, options),
				/^The download of "proof\.pdf" broke off before the file was complete/,
			);
		});

		it('detects a body shorter than its Content-Length', async () => {
			const response = { body: PDF.subarray(0, 100), headers: { 'content-length': '500' }, statusCode: 200 };

			await expectNothingStored(
				responseToBinary(ctx, response, options),
				'The download of "proof.pdf" is incomplete: 100 of 500 bytes arrived',
			);
		});

		it('refuses a file that does not start with the expected signature', async () => {
			const response = await download(serve(Buffer.from('<html>Maintenance</html>'), { 'content-type': 'application/pdf' }));

			await expectNothingStored(
				responseToBinary(ctx, response, { ...options, expectedSignature: PDF_SIGNATURE }),
				'The file "proof.pdf" is damaged: it does not start with "%PDF-"',
			);
		});

		it('refuses a file shorter than the signature', async () => {
			const response = { body: Buffer.from('%PD'), headers: {}, statusCode: 200 };

			await expectNothingStored(
				responseToBinary(ctx, response, { ...options, expectedSignature: PDF_SIGNATURE }),
				'is damaged',
			);
		});

		it('says so when the body is not file data', async () => {
			const response = { body: { some: 'json' }, headers: {}, statusCode: 200 };

			await expect(responseToBinary(ctx, response, options)).rejects.toThrow('The download of "proof.pdf" returned no file data');
		});

		it('decrypts a /crypt download on the way into the store', async () => {
			const encrypted = encrypt(PDF);
			const response = await download(serve(encrypted, { 'content-type': 'application/octet-stream' }));

			const binary = await responseToBinary(ctx, response, {
				...options,
				maxBytes: encrypted.length,
				expectedSignature: PDF_SIGNATURE,
				decrypt: createGcmDecryptStream(KEY, GCM),
			});

			expect(binary.bytes).toBe(PDF.length);
			expect(fingerprint(await readStoredBinary(binary))).toEqual(fingerprint(PDF));
		});

		it.each([
			['tampered', flipByte(encrypt(PDF), 23 + 50_000), KEY],
			['wrongly keyed', encrypt(PDF), OTHER_KEY],
			['truncated', encrypt(PDF).subarray(0, 40_000), KEY],
		])('stores nothing of a %s /crypt download', async (_case, body, key) => {
			const response = await download(serve(body));

			await expectNothingStored(
				responseToBinary(ctx, response, { ...options, decrypt: createGcmDecryptStream(key, GCM) }),
				'AES-256-GCM decryption failed',
			);
		});
	});
});
