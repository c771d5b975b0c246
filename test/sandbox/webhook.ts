import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface WebhookRequest {
	/** Defaults to POST; IDnow calls its webhooks with GET or PUT. */
	method?: string;
	headers?: Record<string, string>;
	/** Sent as is: callers that sign a body must pass the exact bytes they signed. */
	body?: string | Buffer;
	/** Give up after this long without progress (default 10 s, the acknowledgement limit eeID and IDnow apply). */
	timeoutMs?: number;
}

export interface WebhookResult {
	status: number;
	headers: IncomingHttpHeaders;
	body: string;
}

/**
 * Calls a receiver the way a provider delivers a webhook and reports its answer. A fresh connection per call
 * (no keep-alive agent) so that no socket outlives the delivery and keeps a test process open.
 */
export function deliverWebhook(url: string, request: WebhookRequest = {}): Promise<WebhookResult> {
	const target = new URL(url);
	const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
	const body = request.body === undefined ? undefined : Buffer.from(request.body);
	const headers: Record<string, string> = { ...request.headers };
	const timeoutMs = request.timeoutMs ?? 10_000;
	if (body !== undefined) headers['content-length'] = String(body.length);

	return new Promise((resolve, reject) => {
		const outgoing = send(target, { method: request.method ?? 'POST', headers, agent: false }, (incoming) => {
			const chunks: Buffer[] = [];
			incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
			incoming.on('error', reject);
			incoming.on('end', () =>
				resolve({
					status: incoming.statusCode ?? 0,
					headers: incoming.headers,
					body: Buffer.concat(chunks).toString('utf8'),
				}),
			);
		});
		outgoing.setTimeout(timeoutMs, () =>
			outgoing.destroy(new Error(`webhook ${url} did not answer within ${timeoutMs} ms`)),
		);
		outgoing.on('error', reject);
		outgoing.end(body);
	});
}
