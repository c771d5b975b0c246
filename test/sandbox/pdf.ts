/**
 * A minimal but valid one-page PDF written by hand (no dependency): a page of Helvetica text lines, plus an
 * unreferenced filler stream whose size the caller picks, so that memory benchmarks can download a large file
 * without the sandbox ever holding it whole.
 */
import { Readable } from 'node:stream';

export interface PdfDocument {
	/** Exact size in bytes (the Content-Length). */
	length: number;
	toBuffer(): Buffer;
	/** The same bytes as `toBuffer()`, the filler generated chunk by chunk. */
	toStream(): Readable;
}

const FILLER_CHUNK = Buffer.alloc(64 * 1024, '0123456789abcdef');

export function textPdf(lines: string[], fillerBytes = 0): PdfDocument {
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> ' +
			'/Contents 5 0 R >>',
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
		streamObject(pageContent(lines)),
	];
	// Everything is Latin-1, so string length equals byte length and object offsets can be counted in characters.
	let head = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
	const offsets: number[] = [];
	for (const [index, body] of objects.entries()) {
		offsets.push(head.length);
		head += `${index + 1} 0 obj\n${body}\nendobj\n`;
	}
	const fillerNumber = objects.length + 1;
	offsets.push(head.length);
	head += `${fillerNumber} 0 obj\n<< /Length ${fillerBytes} >>\nstream\n`;
	const xrefOffset = head.length + fillerBytes + '\nendstream\nendobj\n'.length;
	const tail =
		'\nendstream\nendobj\n' +
		`xref\n0 ${fillerNumber + 1}\n0000000000 65535 f \n` +
		offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('') +
		`trailer\n<< /Size ${fillerNumber + 1} /Root 1 0 R >>\nstartxref\n${xrefOffset}\n%%EOF\n`;

	const headBytes = Buffer.from(head, 'latin1');
	const tailBytes = Buffer.from(tail, 'latin1');
	return {
		length: headBytes.length + fillerBytes + tailBytes.length,
		toBuffer: () => Buffer.concat([headBytes, ...fillerChunks(fillerBytes), tailBytes]),
		toStream: () => Readable.from(chunks(headBytes, fillerBytes, tailBytes)),
	};
}

function* chunks(head: Buffer, fillerBytes: number, tail: Buffer): Generator<Buffer> {
	yield head;
	yield* fillerChunks(fillerBytes);
	yield tail;
}

function* fillerChunks(total: number): Generator<Buffer> {
	for (let sent = 0; sent < total; sent += FILLER_CHUNK.length) {
		yield FILLER_CHUNK.subarray(0, Math.min(FILLER_CHUNK.length, total - sent));
	}
}

function pageContent(lines: string[]): string {
	const [title, ...rest] = lines.map(pdfString);
	const body = rest.map((line) => `T* ${line} Tj`).join('\n');
	// The T* after the title's font switch leaves a blank line under the title.
	return `BT\n/F1 16 Tf 20 TL 56 780 Td ${title} Tj\n/F1 11 Tf 16 TL T*\n${body}\nET`;
}

function streamObject(content: string): string {
	return `<< /Length ${content.length} >>\nstream\n${content}\nendstream`;
}

/**
 * A PDF literal string on one line, in WinAnsi bytes: characters it cannot show become '?', control characters
 * a space.
 */
function pdfString(text: string): string {
	const latin1 = [...text].map(toPrintableLatin1).join('');
	return `(${latin1.replace(/[\\()]/g, (char) => `\\${char}`)})`;
}

/** Letters of Estonian and Latvian names that WinAnsi has outside the Latin-1 range. */
const WIN_ANSI_EXTRAS: Record<string, string> = { Š: '\x8a', š: '\x9a', Ž: '\x8e', ž: '\x9e' };

function toPrintableLatin1(char: string): string {
	const code = char.codePointAt(0) ?? 0;
	if (code < 0x20 || code === 0x7f) return ' ';
	return code <= 0xff ? char : (WIN_ANSI_EXTRAS[char] ?? '?');
}
