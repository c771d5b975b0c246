import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';

/** What a route handler sees of an incoming request: the body is already read in full. */
export interface SandboxRequest {
	method: string;
	path: string;
	/** Values of `:name` segments of the matched route pattern, URL-decoded. */
	params: Record<string, string>;
	/** The first value of each query parameter. */
	query: Record<string, string>;
	headers: IncomingHttpHeaders;
	body: Buffer;
	/** The body parsed as JSON; a malformed body becomes a 400 answer in the simulator's error format. */
	json(): unknown;
	/** The body parsed as `application/x-www-form-urlencoded` (HTML forms). */
	form(): Record<string, string>;
}

export interface SandboxResponse {
	status: number;
	headers: Record<string, string>;
	body: Buffer | Readable;
}

export type RouteHandler = (request: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>;

/**
 * Thrown by a handler to answer with an error; the server renders it in the simulator's own error format
 * (`errorBody`), so handlers never build error JSON by hand.
 */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		message?: string,
		readonly headers: Record<string, string> = {},
	) {
		super(message);
	}
}

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): SandboxResponse {
	return bytesResponse(status, Buffer.from(JSON.stringify(value)), 'application/json; charset=utf-8', headers);
}

export function bytesResponse(
	status: number,
	body: Buffer,
	contentType: string,
	headers: Record<string, string> = {},
): SandboxResponse {
	return { status, headers: { 'content-type': contentType, ...headers }, body };
}

/** A streamed body; pass `content-length` in `headers` when it is known, else the answer is chunked. */
export function streamResponse(
	status: number,
	body: Readable,
	contentType: string,
	headers: Record<string, string> = {},
): SandboxResponse {
	return { status, headers: { 'content-type': contentType, ...headers }, body };
}

export function htmlResponse(status: number, markup: string): SandboxResponse {
	return bytesResponse(status, Buffer.from(markup), 'text/html; charset=utf-8');
}

/**
 * A compiled path pattern: literal segments, `:name` segments capturing one segment, and a final `*` matching
 * whatever follows (used by fault and log filters such as `/api/ident/*`).
 */
export interface PathPattern {
	source: string;
	match(path: string): Record<string, string> | undefined;
}

export function compilePattern(source: string): PathPattern {
	const segments = splitPath(source);
	const wildcard = segments[segments.length - 1] === '*';
	const fixed = wildcard ? segments.slice(0, -1) : segments;
	return {
		source,
		match(path) {
			const parts = splitPath(path);
			if (wildcard ? parts.length < fixed.length : parts.length !== fixed.length) return undefined;
			const params: Record<string, string> = {};
			for (const [index, segment] of fixed.entries()) {
				const part = parts[index];
				if (segment.startsWith(':')) params[segment.slice(1)] = safeDecode(part);
				else if (segment !== part) return undefined;
			}
			return params;
		},
	};
}

function splitPath(path: string): string[] {
	return path.split('/').filter((segment) => segment !== '');
}

/** A malformed percent escape stays as sent, so the handler answers 404 for it like for any unknown id. */
function safeDecode(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

interface Route {
	method: string;
	pattern: PathPattern;
	handler: RouteHandler;
}

export interface RouteMatch {
	handler: RouteHandler;
	params: Record<string, string>;
}

export class Router {
	private readonly routes: Route[] = [];

	add(method: string, pattern: string, handler: RouteHandler): void {
		this.routes.push({ method: method.toUpperCase(), pattern: compilePattern(pattern), handler });
	}

	find(method: string, path: string): RouteMatch | undefined {
		for (const route of this.routes) {
			if (route.method !== method) continue;
			const params = route.pattern.match(path);
			if (params) return { handler: route.handler, params };
		}
		return undefined;
	}

	/** `METHOD pattern` of every route, in registration order (printed by the CLI, listed by `GET /__sandbox`). */
	describe(): string[] {
		return this.routes.map((route) => `${route.method} ${route.pattern.source}`);
	}
}
