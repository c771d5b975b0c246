/**
 * A scriptable HTTP server on 127.0.0.1 (ephemeral port) that records what it receives: the stand-in provider for
 * tests of request code (retries, error bodies, downloads). Script the answers with `respond(...)`; each call also
 * clears the recorded requests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
	method: string;
	url: string;
	headers: IncomingMessage['headers'];
	body: string;
}

export type Handler = (request: ReceivedRequest, response: ServerResponse) => void;

export interface TestServer {
	url: string;
	requests: ReceivedRequest[];
	/** Answers the next requests with these handlers in turn; the last one repeats. */
	respond(...handlers: Handler[]): void;
	close(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
	let handlers: Handler[] = [json(200, {})];
	const requests: ReceivedRequest[] = [];
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const received = {
				method: req.method ?? 'GET',
				url: req.url ?? '/',
				headers: req.headers,
				body: Buffer.concat(chunks).toString('utf8'),
			};
			const index = requests.push(received) - 1;
			handlers[Math.min(index, handlers.length - 1)](received, res);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		respond: (...next) => {
			handlers = next;
			requests.length = 0;
		},
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Handler {
	return (_request, response) => {
		response.writeHead(status, { 'content-type': 'application/json', ...headers });
		response.end(JSON.stringify(body));
	};
}

export function text(status: number, body: string, headers: Record<string, string> = {}): Handler {
	return (_request, response) => {
		response.writeHead(status, { 'content-type': 'text/plain', ...headers });
		response.end(body);
	};
}

/** Drops the connection without an answer: the client sees "socket hang up" (ECONNRESET). */
export const hangUp: Handler = (_request, response) => response.socket?.destroy();

/** Never answers, so the client's timeout fires. */
export const silence: Handler = () => undefined;

/** A URL on 127.0.0.1 where nothing listens any more: connecting to it is refused (ECONNREFUSED). */
export async function closedPortUrl(): Promise<string> {
	const closed = await startTestServer();
	await closed.close();
	return closed.url;
}
