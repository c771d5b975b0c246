import { STATUS_CODES } from 'node:http';

export interface HarnessResponse {
	status: number;
	body: unknown;
	headers: Record<string, string>;
}

/**
 * The part of Express's `res` that webhook nodes use (`status().send().end()`, `json()`,
 * headers, `write()`), recording what the node answered instead of writing to a socket.
 */
export class RecordedResponse {
	statusCode = 200;

	headersSent = false;

	writableEnded = false;

	private readonly headers: Record<string, string> = {};

	private body: unknown;

	private readonly chunks: Buffer[] = [];

	status(code: number): this {
		this.statusCode = code;
		return this;
	}

	sendStatus(code: number): this {
		return this.status(code).send(STATUS_CODES[code]);
	}

	setHeader(name: string, value: string): this {
		this.headers[name.toLowerCase()] = value;
		return this;
	}

	set(name: string, value: string): this {
		return this.setHeader(name, value);
	}

	header(name: string, value: string): this {
		return this.setHeader(name, value);
	}

	getHeader(name: string): string | undefined {
		return this.headers[name.toLowerCase()];
	}

	type(contentType: string): this {
		return this.setHeader('content-type', contentType);
	}

	/** Express's `send` also ends the response; the body is kept as given for assertions. */
	send(body?: unknown): this {
		this.body = body;
		this.headersSent = true;
		this.writableEnded = true;
		return this;
	}

	json(body: unknown): this {
		return this.type('application/json').send(body);
	}

	writeHead(code: number, headers: Record<string, string> = {}): this {
		this.status(code);
		for (const [name, value] of Object.entries(headers)) this.setHeader(name, value);
		this.headersSent = true;
		return this;
	}

	write(chunk: Buffer | string): boolean {
		this.chunks.push(Buffer.from(chunk));
		this.headersSent = true;
		return true;
	}

	end(chunk?: Buffer | string): this {
		if (chunk !== undefined) this.write(chunk);
		if (this.chunks.length > 0) this.body = Buffer.concat(this.chunks);
		this.headersSent = true;
		this.writableEnded = true;
		return this;
	}

	recorded(): HarnessResponse {
		return { status: this.statusCode, body: this.body, headers: { ...this.headers } };
	}
}
