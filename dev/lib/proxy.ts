/**
 * The load balancer in front of a queue-mode n8n: one URL for people, providers and the REST API, as a real
 * installation has. Production webhook paths — the ones n8n's webhook processes serve (AbstractServer.start in n8n
 * 2.40: `/webhook/*`, `/webhook-waiting/*`, `/form/*`, `/form-waiting/*`, `/mcp/*`) — go to the webhook processes in
 * turn (round robin), everything else (the editor, `/rest`, `/healthz`, test webhooks `/webhook-test/*`,
 * `/form-test/*`, `/mcp-test/*`, the push connection) to the main process.
 *
 * A plain reverse proxy on node:http: bodies streamed both ways (never buffered), method, path, headers (several
 * Set-Cookie included) and status passed through, hop-by-hop headers dropped, `X-Forwarded-For/-Host/-Proto` added,
 * WebSocket upgrades (the editor's push connection) piped. It counts what it forwarded to each backend, so a case
 * can prove that both webhook processes received traffic.
 */
import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage } from 'http';
import { connect, type Socket } from 'net';

/** First path segments n8n's webhook processes serve (n8n's default endpoint names). */
export const WEBHOOK_PROCESS_PATHS = ['webhook', 'webhook-waiting', 'form', 'form-waiting', 'mcp'] as const;

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

export function isWebhookProcessPath(url: string): boolean {
	const pathname = url.split('?')[0];
	const first = pathname.split('/')[1] ?? '';
	return (WEBHOOK_PROCESS_PATHS as readonly string[]).includes(first);
}

export interface ProxyCounts {
	/** Requests forwarded to the main process. */
	main: number;
	/** Requests forwarded to each webhook process, in the order of `webhookUrls`. */
	webhook: number[];
	/** Requests answered 502 because the backend could not be reached or broke off. */
	failed: number;
}

export interface RoundRobinProxy {
	url: string;
	port: number;
	mainUrl: string;
	webhookUrls: string[];
	/** A snapshot of the counters (take one before and one after to see what a case sent where). */
	counts(): ProxyCounts;
	close(): Promise<void>;
}

interface Backend {
	url: URL;
	agent: Agent;
	count: number;
}

function forwardedHeaders(req: IncomingMessage): IncomingHttpHeaders {
	const headers: IncomingHttpHeaders = {};
	for (const [name, value] of Object.entries(req.headers)) {
		if (!HOP_BY_HOP.has(name) && value !== undefined) headers[name] = value;
	}
	const client = req.socket.remoteAddress ?? '';
	const previous = req.headers['x-forwarded-for'];
	headers['x-forwarded-for'] = previous ? `${[previous].flat().join(', ')}, ${client}` : client;
	headers['x-forwarded-host'] = req.headers.host ?? '';
	headers['x-forwarded-proto'] = 'http';
	return headers;
}

/** Raw response headers ([name, value, name, value, …]) without the hop-by-hop ones, repeated names kept. */
function endToEnd(rawHeaders: string[]): string[] {
	const kept: string[] = [];
	for (let index = 0; index < rawHeaders.length; index += 2) {
		if (!HOP_BY_HOP.has(rawHeaders[index].toLowerCase())) kept.push(rawHeaders[index], rawHeaders[index + 1]);
	}
	return kept;
}

export async function startProxy(options: { port: number; mainUrl: string; webhookUrls: string[] }): Promise<RoundRobinProxy> {
	if (options.webhookUrls.length === 0) throw new Error('the proxy needs at least one webhook process');
	const backend = (url: string): Backend => ({ url: new URL(url), agent: new Agent({ keepAlive: true, maxSockets: 256 }), count: 0 });
	const main = backend(options.mainUrl);
	const webhooks = options.webhookUrls.map(backend);
	let turn = 0;
	let failed = 0;
	const pick = (url: string): Backend => {
		if (!isWebhookProcessPath(url)) return main;
		const chosen = webhooks[turn];
		turn = (turn + 1) % webhooks.length;
		return chosen;
	};

	const server = createServer((req, res) => {
		const target = pick(req.url ?? '/');
		target.count++;
		const upstream = request(
			{
				host: target.url.hostname,
				port: target.url.port,
				method: req.method,
				path: req.url,
				headers: forwardedHeaders(req),
				agent: target.agent,
			},
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.rawHeaders));
				answer.pipe(res);
				answer.on('error', () => res.destroy());
			},
		);
		upstream.on('error', (error) => {
			failed++;
			if (!res.headersSent) {
				res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
				res.end(`proxy: ${target.url.origin} did not answer: ${error.message}\n`);
			} else {
				res.destroy(error);
			}
		});
		// The client went away before the answer was complete: stop the backend's work on it too.
		res.on('close', () => {
			if (!res.writableFinished) upstream.destroy();
		});
		req.pipe(upstream);
	});

	// WebSocket (the editor's push connection): the upgrade request is written to the backend as it came, then the
	// two sockets are piped into each other.
	server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
		const target = pick(req.url ?? '/');
		target.count++;
		const upstream = connect({ host: target.url.hostname, port: Number(target.url.port) }, () => {
			const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
			for (let index = 0; index < req.rawHeaders.length; index += 2) lines.push(`${req.rawHeaders[index]}: ${req.rawHeaders[index + 1]}`);
			lines.push(`X-Forwarded-For: ${req.socket.remoteAddress ?? ''}`, 'X-Forwarded-Proto: http');
			upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
			if (head.length) upstream.write(head);
			socket.pipe(upstream).pipe(socket);
		});
		const end = () => {
			socket.destroy();
			upstream.destroy();
		};
		upstream.on('error', () => {
			failed++;
			end();
		});
		socket.on('error', end);
		socket.on('close', end);
		upstream.on('close', end);
	});

	await new Promise<void>((resolveListen, reject) => {
		server.once('error', reject);
		server.listen(options.port, '127.0.0.1', () => resolveListen());
	});
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : options.port;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		mainUrl: main.url.origin,
		webhookUrls: webhooks.map((w) => w.url.origin),
		counts: () => ({ main: main.count, webhook: webhooks.map((w) => w.count), failed }),
		close: () =>
			new Promise<void>((resolveClose) => {
				for (const b of [main, ...webhooks]) b.agent.destroy();
				server.close(() => resolveClose());
				server.closeAllConnections();
			}),
	};
}
