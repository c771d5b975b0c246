/**
 * Failed provider calls turned into n8n errors: the provider's own message and HTTP code, a hint saying what to
 * change, and never a credential (the failure is summarised and redacted before any error object is built).
 */
import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { isSecretFieldName, redactSecrets } from './redact';
import { isObject, isReadableStream, readBounded } from './util';

/** Error bodies are read only this far: enough for any message, bounded against a runaway stream. */
export const ERROR_BODY_LIMIT_BYTES = 64 * 1024;

const MAX_MESSAGE_LENGTH = 500;

export const CONNECTION_PROBLEMS: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ECONNRESET: 'the connection was closed unexpectedly',
	EPIPE: 'the connection was closed unexpectedly',
	ETIMEDOUT: 'the request timed out',
	ECONNABORTED: 'the request timed out',
	ESOCKETTIMEDOUT: 'the request timed out',
	ENOTFOUND: 'the host name could not be resolved',
	EAI_AGAIN: 'the host name could not be resolved right now',
	ERR_CANCELED: 'the request was cancelled',
};

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT']);

/** How a provider's messages are worded; everything else about an error is common to all providers. */
export interface ErrorWording {
	/** Display name used in messages, e.g. 'eeID'. */
	provider: string;
	itemIndex?: number;
	/** Provider-specific message extraction from an error body; falls back to {@link extractErrorMessage}. */
	errorMessage?: (body: unknown) => string | undefined;
	/** Meanings the provider documents for particular statuses of a call (e.g. IDnow's 412 "not started"). */
	statusHints?: Record<number, string>;
}

/** Everything known about a failed call, already detached from the request and its credentials. */
export interface CallFailure {
	statusCode?: number;
	statusMessage?: string;
	body?: unknown;
	connectionCode?: string;
	reason?: string;
	/** The thrown error's own hint, e.g. from a credential whose token request failed. */
	reasonHint?: string;
	/** Credentials found in the request that failed, to be redacted from whatever the provider echoed. */
	sentSecrets: string[];
}

/** The axios-shaped error n8n wraps into its NodeApiError (as `cause`), wherever it sits in the chain. */
interface HttpErrorShape {
	code?: unknown;
	message?: unknown;
	description?: unknown;
	response?: { status?: number; statusText?: string; headers?: unknown; data?: unknown };
	config?: { headers?: unknown; auth?: unknown; data?: unknown };
}

function errorChain(error: unknown): HttpErrorShape[] {
	const chain: HttpErrorShape[] = [];
	for (let current = error; isObject(current) && chain.length < 5; current = current.cause) {
		chain.push(current as HttpErrorShape);
	}
	return chain;
}

export function findHttpError(error: unknown): HttpErrorShape | undefined {
	return errorChain(error).find((entry) => isObject(entry.response) || isObject(entry.config));
}

export function findErrorCode(error: unknown): string | undefined {
	for (const entry of errorChain(error)) {
		if (typeof entry.code === 'string') return entry.code;
		if (typeof entry.message === 'string' && /socket hang up/i.test(entry.message)) return 'ECONNRESET';
	}
	return undefined;
}

function findDescription(error: unknown): string | undefined {
	for (const entry of errorChain(error)) {
		if (typeof entry.description === 'string' && entry.description !== '') return entry.description;
	}
	return undefined;
}

export async function describeThrownFailure(error: unknown): Promise<CallFailure> {
	const httpError = findHttpError(error);
	const response = httpError?.response;
	const body = isReadableStream(response?.data)
		? await readBounded(response.data, ERROR_BODY_LIMIT_BYTES).catch(() => undefined)
		: response?.data;
	return {
		statusCode: response?.status,
		statusMessage: response?.statusText,
		body,
		connectionCode: findErrorCode(error),
		reason: isObject(error) && typeof error.message === 'string' ? error.message : String(error),
		reasonHint: findDescription(error),
		sentSecrets: secretsInRequest(httpError?.config ?? {}),
	};
}

/**
 * Builds the error from a sanitized summary only: the axios error n8n hands us also holds the request config,
 * Authorization header included, so nothing of it is passed on.
 */
export function createProviderError(
	node: INode,
	wording: ErrorWording,
	failure: CallFailure,
	attempts: number,
	secrets: Array<string | undefined>,
): NodeApiError {
	const message = truncate(redactSecrets(`${wording.provider}: ${describeProblem(wording, failure)}`, secrets));
	const retried = attempts > 1 ? ` (gave up after ${attempts} attempts)` : '';
	const description = redactSecrets(`${hintFor(wording, failure)}${retried}`, secrets);
	const httpCode = failure.statusCode === undefined ? undefined : String(failure.statusCode);
	const summary: JsonObject = { message, description, ...(httpCode && { httpCode }) };
	const error = new NodeApiError(node, summary, { message, description, httpCode, itemIndex: wording.itemIndex });
	// NodeApiError swaps messages that mention codes like ECONNREFUSED for generic ones; keep the provider's words.
	error.message = message;
	return error;
}

function describeProblem(wording: ErrorWording, failure: CallFailure): string {
	if (failure.statusCode !== undefined) {
		const body = parseMaybeJson(failure.body);
		const fromBody = (wording.errorMessage ?? extractErrorMessage)(body);
		return fromBody ?? `HTTP ${failure.statusCode}${failure.statusMessage ? ` ${failure.statusMessage}` : ''}`;
	}
	const problem = failure.connectionCode && CONNECTION_PROBLEMS[failure.connectionCode];
	if (problem) return `${problem} (${failure.connectionCode})`;
	return failure.reason || 'the request failed';
}

function hintFor({ provider, statusHints }: ErrorWording, failure: CallFailure): string {
	const status = failure.statusCode;
	if (status === undefined) {
		const code = failure.connectionCode;
		if (code && TIMEOUT_CODES.has(code)) {
			return `${provider} did not answer in time. Try again later, or raise the timeout in the node options.`;
		}
		if ((code && code in CONNECTION_PROBLEMS) || !failure.reasonHint) {
			return `Check the base URL in the ${provider} credentials and the network connection, then try again.`;
		}
		return failure.reasonHint;
	}
	if (statusHints?.[status]) return statusHints[status];
	if (status === 401) return `Check the ${provider} credentials: ${provider} did not accept them.`;
	if (status === 403) return `Check that the ${provider} account behind these credentials may do this.`;
	if (status === 404) return `Check the ID: ${provider} does not know it (it may have expired or been deleted).`;
	if (status === 409) return `Check the current state of the ${provider} resource: it does not allow this change now.`;
	if (status === 429) {
		return `${provider} is limiting the request rate. Try again later, or lower the concurrency in the node options.`;
	}
	if (status >= 500) return `${provider} could not process the request right now. Try again later.`;
	return `Check the node's parameters: ${provider} rejected them.`;
}

/**
 * Default message extraction, in the order providers use these fields
 * (OAuth-style `error_description` beats the bare `error` code next to it).
 */
const MESSAGE_KEYS = [
	'error_description',
	'message',
	'Message',
	'errorMessage',
	'ErrorMessage',
	'error_message',
	'Error',
	'error',
	'errors',
	'Errors',
	'detail',
	'title',
	'description',
	'reason',
];

export function extractErrorMessage(body: unknown, depth = 0): string | undefined {
	if (typeof body === 'string') return textMessage(body);
	if (depth > 3 || !isObject(body)) return undefined;
	if (Array.isArray(body)) {
		const parts = body.map((entry) => extractErrorMessage(entry, depth + 1)).filter(isNonEmpty);
		return parts.length > 0 ? [...new Set(parts)].join('; ') : undefined;
	}
	for (const key of MESSAGE_KEYS) {
		const found = extractErrorMessage(body[key], depth + 1);
		if (found) return typeof body.field === 'string' ? `${body.field}: ${found}` : found;
	}
	return undefined;
}

function parseMaybeJson(body: unknown): unknown {
	const text = Buffer.isBuffer(body) ? body.toString('utf8') : body;
	if (typeof text !== 'string') return text;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

function textMessage(text: string): string | undefined {
	const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1];
	const plain = (title ?? text.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
	return plain === '' ? undefined : plain;
}

/** Literal credentials visible in a request: Authorization values, basic-auth passwords, secret-named body fields. */
export function secretsInRequest(request: { headers?: unknown; auth?: unknown; body?: unknown; data?: unknown }): string[] {
	const secrets: string[] = [];
	if (isObject(request.headers)) {
		for (const [name, value] of Object.entries(request.headers)) {
			if (isSecretFieldName(name) && typeof value === 'string') secrets.push(...authorizationParts(value));
		}
	}
	if (isObject(request.auth) && typeof request.auth.password === 'string') secrets.push(request.auth.password);
	collectSecretFields(parseMaybeJson(request.body ?? request.data), secrets, 0);
	return secrets;
}

function authorizationParts(value: string): string[] {
	const [scheme, credentials] = value.split(/\s+/, 2);
	if (!credentials) return [value];
	const parts = [value, credentials];
	if (/^basic$/i.test(scheme)) {
		const decoded = Buffer.from(credentials, 'base64').toString('utf8');
		parts.push(decoded, decoded.slice(decoded.indexOf(':') + 1));
	}
	return parts;
}

function collectSecretFields(value: unknown, into: string[], depth: number): void {
	if (depth > 5 || !isObject(value)) return;
	for (const [key, entry] of Object.entries(value)) {
		if (typeof entry === 'string' && isSecretFieldName(key)) into.push(entry);
		else collectSecretFields(entry, into, depth + 1);
	}
}

function truncate(text: string): string {
	return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : text;
}

function isNonEmpty(value: string | undefined): value is string {
	return value !== undefined && value !== '';
}
