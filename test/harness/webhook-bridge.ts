/**
 * A real HTTP endpoint in front of `runWebhook`, so that a provider simulator can deliver its webhooks
 * exactly as it would to n8n (its own signing, whitespace, retries) and the test sees each run.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { AnyNodeType } from './node-types';
import { runWebhook, type WebhookOptions, type WebhookResult } from './webhook';

export interface WebhookBridge {
	/** Base URL; append the webhook's path, e.g. `${bridge.url}/eeid/webhooks/identification_requests`. */
	url: string;
	/** Every delivery's result, in arrival order. */
	results: WebhookResult[];
	/** The results whose workflow n8n would have started. */
	runs(): WebhookResult[];
	stop(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
	return Object.fromEntries(
		Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]),
	);
}

/** Providers that sign nothing (IDnow) put everything in the query string: it must reach the node like in n8n. */
function queryOf(req: IncomingMessage): Record<string, string> {
	return Object.fromEntries(new URL(req.url ?? '/', 'http://bridge').searchParams);
}

function answer(res: ServerResponse, result: WebhookResult): void {
	const body = result.response.body;
	const text = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body ?? '');
	res.writeHead(result.response.status, result.response.headers).end(text);
}

export async function startWebhookBridge(
	nodeType: AnyNodeType,
	options: Omit<WebhookOptions, 'request'>,
): Promise<WebhookBridge> {
	const results: WebhookResult[] = [];
	const server: Server = createServer((req, res) => {
		void (async () => {
			try {
				const body = await readBody(req);
				const result = await runWebhook(nodeType, {
					...options,
					request: { method: req.method, headers: flatHeaders(req), query: queryOf(req), body, ip: req.socket.remoteAddress },
				});
				results.push(result);
				answer(res, result);
			} catch (error) {
				res.writeHead(500).end((error as Error).message);
			}
		})();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		results,
		runs: () => results.filter((result) => result.ran),
		stop: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
