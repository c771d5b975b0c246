/**
 * The request object n8n hands a webhook node: Express's request after n8n's raw-body
 * reader ran, and with the body parsed the way n8n's webhook handler parses it
 * (packages/cli/src/middlewares/body-parser.ts and webhooks/webhook-helpers.ts).
 *
 * It is a real `http.IncomingMessage` carrying the body as its stream, so a node that reads
 * or pipes the request sees a genuine stream; Express's own additions are set on it.
 */
import { parseIncomingMessage } from '@n8n/backend-network';
import { jsonParse } from 'n8n-workflow';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';

export interface WebhookRequestInput {
	/** Defaults to the method the webhook is registered for. */
	method?: string;
	/** Defaults to the path of the node's production webhook URL. */
	path?: string;
	headers?: Record<string, string>;
	/** An object is sent as JSON (with `content-type: application/json` unless given). */
	body: Buffer | string | object;
	query?: Record<string, string>;
	/** The caller's address: `req.ip` and `req.socket.remoteAddress`. */
	ip?: string;
}

/** n8n-workflow declares `rawBody`, `readRawBody`, `contentType`, `encoding` on IncomingMessage. */
export interface WebhookRequest extends IncomingMessage {
	body?: unknown;
	query: Record<string, string>;
	params: Record<string, string>;
	ip: string;
}

/** Raised where n8n answers 422 "Failed to parse request body" without running the node. */
export class BodyParseError extends Error {}

const DEFAULT_IP = '127.0.0.1';

export function createWebhookRequest(
	input: WebhookRequestInput,
	registered: { method: string; path: string },
): WebhookRequest {
	const ip = input.ip ?? DEFAULT_IP;
	const body = encodeBody(input.body);
	const headers = requestHeaders(input, body);
	const query = input.query ?? {};
	const search = new URLSearchParams(query).toString();

	const req = new IncomingMessage(socketFrom(ip)) as WebhookRequest;
	req.method = (input.method ?? registered.method).toUpperCase();
	req.url = `${input.path ?? registered.path}${search ? `?${search}` : ''}`;
	req.headers = headers;
	req.push(body);
	req.push(null);
	// Sets `contentType` (without parameters) and `encoding` (the charset), as n8n does.
	parseIncomingMessage(req);
	return Object.assign(req, { query, params: {}, ip, readRawBody });
}

/**
 * n8n's webhook handler parses JSON, form-urlencoded and text bodies; for node versions
 * above 1 it leaves other content types unparsed (the node calls `readRawBody()`).
 */
export async function parseRequestBody(req: WebhookRequest, nodeTypeVersion: number): Promise<void> {
	const { contentType } = req;
	if (contentType === 'multipart/form-data') {
		throw new Error('The harness does not parse multipart/form-data webhook bodies');
	}
	if (nodeTypeVersion > 1 && !isParsableContentType(contentType)) return;

	await req.readRawBody();
	const text = req.rawBody?.length ? req.rawBody.toString(req.encoding) : '';
	if (!text) return;
	if (contentType?.endsWith('/xml') || contentType?.endsWith('+xml')) {
		throw new Error('The harness does not parse XML webhook bodies');
	}
	try {
		if (contentType === 'application/json') req.body = jsonParse(text);
		else if (contentType === 'application/x-www-form-urlencoded') {
			req.body = parseQueryString(text, undefined, undefined, { maxKeys: 1000 });
		} else if (contentType === 'text/plain') req.body = text;
	} catch (error) {
		throw new BodyParseError((error as Error).message);
	}
}

/** n8n's `req.readRawBody()`: reads the stream once into `req.rawBody`. */
async function readRawBody(this: WebhookRequest): Promise<void> {
	if (this.rawBody) return;
	const chunks: Buffer[] = [];
	for await (const chunk of this) chunks.push(chunk as Buffer);
	this.rawBody = Buffer.concat(chunks);
	this._body = true;
}

function isParsableContentType(contentType: string | undefined): boolean {
	if (!contentType) return false;
	return (
		contentType.startsWith('application/json') ||
		contentType.startsWith('text/plain') ||
		contentType.startsWith('application/x-www-form-urlencoded') ||
		contentType.endsWith('/xml') ||
		contentType.endsWith('+xml')
	);
}

function encodeBody(body: WebhookRequestInput['body']): Buffer {
	if (Buffer.isBuffer(body)) return body;
	return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
}

/** Header names arrive lower-cased in Node; a real client also sends the body's length. */
function requestHeaders(input: WebhookRequestInput, body: Buffer): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(input.headers ?? {})) headers[name.toLowerCase()] = value;
	const sentAsJson = !Buffer.isBuffer(input.body) && typeof input.body === 'object';
	if (sentAsJson) headers['content-type'] ??= 'application/json';
	headers['content-length'] ??= String(body.length);
	return headers;
}

function socketFrom(ip: string): Socket {
	const socket = new Socket();
	Object.defineProperty(socket, 'remoteAddress', { value: ip });
	return socket;
}
