/**
 * The one way provider nodes make HTTP calls: n8n's authenticated request helper, plus retries for requests that
 * are safe to repeat, plus provider errors turned into NodeApiErrors that carry the provider's own message and
 * never a credential.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INode,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { isSecretFieldName, redactSecrets } from './redact';
import type { AttemptOutcome, RetryClock, RetryDecision, RetryPolicy } from './retry';
import { parseRetryAfterMs, resolveRetryPolicy, withRetry } from './retry';
import type { OperationKind } from './router';
import { DEFAULT_CONCURRENCY } from './router';

export interface ProviderCall {
	/** Display name used in messages, e.g. 'eeID'. */
	provider: string;
	credentialType: string;
	itemIndex?: number;
	retry?: Partial<RetryPolicy>;
	/** Extra literal secrets to redact, e.g. a token that travels in a JSON body. */
	secrets?: Array<string | undefined>;
	/** Provider-specific message extraction from an error body; falls back to {@link extractErrorMessage}. */
	errorMessage?: (body: unknown) => string | undefined;
	/** Time source for retries; tests inject one, nodes leave it to n8n's `sleep`. */
	clock?: RetryClock;
	/** Error statuses the caller handles itself: answered as responses instead of thrown (never 401). */
	acceptStatuses?: number[];
}

export interface ProviderRequestOptions extends IHttpRequestOptions {
	/**
	 * Whether repeating the request is harmless. Defaults to true for GET/HEAD/OPTIONS and false otherwise;
	 * POST is never repeated, whatever this says.
	 */
	idempotent?: boolean;
}

/** What the transport needs from any n8n context (execute, webhook, poll, hook, load options). */
export interface RequestContext {
	getNode(): INode;
	helpers: {
		httpRequestWithAuthentication(credentialsType: string, requestOptions: IHttpRequestOptions): Promise<unknown>;
	};
	getExecutionCancelSignal?(): AbortSignal | undefined;
	getCredentials?(type: string, itemIndex?: number): Promise<object>;
}

const RETRYABLE_STATUS_CODES = new Set([429, 502, 503, 504]);

const RETRYABLE_CONNECTION_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNABORTED',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
]);

const CONNECTION_PROBLEMS: Record<string, string> = {
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

/** Error bodies are read only this far: enough for any message, bounded against a runaway stream. */
const ERROR_BODY_LIMIT_BYTES = 64 * 1024;

const MAX_MESSAGE_LENGTH = 500;

const NEVER_REPEATED_METHODS = new Set(['POST']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Everything known about a failed call, already detached from the request and its credentials. */
interface CallFailure {
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

export async function providerRequest(
	ctx: RequestContext,
	call: ProviderCall,
	options: ProviderRequestOptions,
): Promise<IN8nHttpFullResponse> {
	const { idempotent, ...requestOptions } = options;
	const repeatable = isRepeatable(requestOptions, idempotent);
	const policy = resolveRetryPolicy(repeatable ? call.retry : { ...call.retry, maxAttempts: 1 });
	const clock = call.clock ?? realClock(ctx);
	const httpOptions: IHttpRequestOptions = {
		...requestOptions,
		headers: withStreamDefaults(requestOptions),
		returnFullResponse: true,
		// 401 must still throw: that is what makes n8n refresh an expiring credential and try once more.
		ignoreHttpStatusErrors: { ignore: true, except: [401] },
	};

	let attempts = 0;
	let failure: CallFailure;
	try {
		const response = await withRetry(
			async (attempt) => {
				attempts = attempt;
				return await sendOnce(ctx, call.credentialType, httpOptions);
			},
			(outcome) => classifyAttempt(outcome, clock.now()),
			policy,
			clock,
		);
		if (response.statusCode < 400 || call.acceptStatuses?.includes(response.statusCode)) return response;
		failure = { statusCode: response.statusCode, statusMessage: response.statusMessage, body: response.body, sentSecrets: [] };
	} catch (error) {
		failure = await describeThrownFailure(error);
	}
	const secrets = [
		...(call.secrets ?? []),
		...secretsInRequest(requestOptions),
		...failure.sentSecrets,
		...(await credentialSecrets(ctx, call)),
	];
	throw createProviderError(ctx.getNode(), call, failure, attempts, secrets);
}

/** Convenience for JSON APIs: the parsed body of {@link providerRequest}. */
export async function providerJson<T>(
	ctx: RequestContext,
	call: ProviderCall,
	options: ProviderRequestOptions,
): Promise<T> {
	const response = await providerRequest(ctx, call, options);
	return response.body as T;
}

function isRepeatable(options: IHttpRequestOptions, idempotent: boolean | undefined): boolean {
	const method = (options.method ?? 'GET').toUpperCase();
	if (NEVER_REPEATED_METHODS.has(method)) return false;
	// A stream body is consumed by the first attempt; a second one would send nothing.
	if (isReadableStream(options.body)) return false;
	return idempotent ?? SAFE_METHODS.has(method);
}

/**
 * Streamed downloads ask for the bytes as stored: a decompressed body no longer matches Content-Length,
 * which is how a truncated download is recognised.
 */
function withStreamDefaults(options: IHttpRequestOptions): IDataObject | undefined {
	if (options.encoding !== 'stream' || headerValue(options.headers, 'accept-encoding') !== undefined) {
		return options.headers;
	}
	return { ...options.headers, 'Accept-Encoding': 'identity' };
}

function realClock(ctx: RequestContext): RetryClock {
	return {
		now: () => Date.now(),
		sleep: async (ms) => await sleep(ms, ctx.getExecutionCancelSignal?.()),
		random: () => Math.random(),
	};
}

async function sendOnce(
	ctx: RequestContext,
	credentialType: string,
	options: IHttpRequestOptions,
): Promise<IN8nHttpFullResponse> {
	const response = (await ctx.helpers.httpRequestWithAuthentication.call(
		ctx,
		credentialType,
		options,
	)) as IN8nHttpFullResponse;
	if (response.statusCode >= 400 && isReadableStream(response.body)) {
		// Read error bodies right away: the message is in there, and a retry must not leave the socket waiting.
		response.body = await readBounded(response.body).catch(() => Buffer.alloc(0));
	}
	return response;
}

function classifyAttempt(outcome: AttemptOutcome<IN8nHttpFullResponse>, now: number): RetryDecision {
	if (outcome.ok) return retryOnStatus(outcome.value.statusCode, outcome.value.headers, now);
	const response = findHttpError(outcome.error)?.response;
	if (response?.status !== undefined) return retryOnStatus(response.status, response.headers, now);
	const code = findErrorCode(outcome.error);
	return { retry: code !== undefined && RETRYABLE_CONNECTION_CODES.has(code) };
}

function retryOnStatus(statusCode: number, headers: unknown, now: number): RetryDecision {
	if (!RETRYABLE_STATUS_CODES.has(statusCode)) return { retry: false };
	return { retry: true, retryAfterMs: parseRetryAfterMs(headerValue(headers, 'retry-after'), now) };
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

function findHttpError(error: unknown): HttpErrorShape | undefined {
	return errorChain(error).find((entry) => isObject(entry.response) || isObject(entry.config));
}

function findErrorCode(error: unknown): string | undefined {
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

async function describeThrownFailure(error: unknown): Promise<CallFailure> {
	const httpError = findHttpError(error);
	const response = httpError?.response;
	const body = isReadableStream(response?.data)
		? await readBounded(response.data).catch(() => undefined)
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
function createProviderError(
	node: INode,
	call: ProviderCall,
	failure: CallFailure,
	attempts: number,
	secrets: Array<string | undefined>,
): NodeApiError {
	const message = truncate(redactSecrets(`${call.provider}: ${describeProblem(call, failure)}`, secrets));
	const retried = attempts > 1 ? ` (gave up after ${attempts} attempts)` : '';
	const description = redactSecrets(`${hintFor(call.provider, failure)}${retried}`, secrets);
	const httpCode = failure.statusCode === undefined ? undefined : String(failure.statusCode);
	const summary: JsonObject = { message, description, ...(httpCode && { httpCode }) };
	const error = new NodeApiError(node, summary, { message, description, httpCode, itemIndex: call.itemIndex });
	// NodeApiError swaps messages that mention codes like ECONNREFUSED for generic ones; keep the provider's words.
	error.message = message;
	return error;
}

function describeProblem(call: ProviderCall, failure: CallFailure): string {
	if (failure.statusCode !== undefined) {
		const body = parseMaybeJson(failure.body);
		const fromBody = (call.errorMessage ?? extractErrorMessage)(body);
		return fromBody ?? `HTTP ${failure.statusCode}${failure.statusMessage ? ` ${failure.statusMessage}` : ''}`;
	}
	const problem = failure.connectionCode && CONNECTION_PROBLEMS[failure.connectionCode];
	if (problem) return `${problem} (${failure.connectionCode})`;
	return failure.reason || 'the request failed';
}

function hintFor(provider: string, failure: CallFailure): string {
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
function secretsInRequest(request: { headers?: unknown; auth?: unknown; body?: unknown; data?: unknown }): string[] {
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

/**
 * The credential's own secret values, so a provider that echoes one back without a telltale field name
 * is still redacted. Only read on the error path.
 */
async function credentialSecrets(ctx: RequestContext, call: ProviderCall): Promise<string[]> {
	if (!ctx.getCredentials) return [];
	try {
		const credentials = await ctx.getCredentials(call.credentialType, call.itemIndex);
		return Object.entries(credentials)
			.filter(([key, value]) => isSecretFieldName(key) && typeof value === 'string')
			.map(([, value]) => value as string);
	} catch {
		// Best effort only: the error being reported matters more than this extra layer of redaction,
		// and the other layers (known secrets, auth headers, secret-named fields) still apply.
		return [];
	}
}

type ByteStream = AsyncIterable<Buffer | string> & { pipe: unknown };

function isReadableStream(value: unknown): value is ByteStream {
	return isObject(value) && typeof value.pipe === 'function';
}

async function readBounded(stream: ByteStream, limit = ERROR_BODY_LIMIT_BYTES): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	// Leaving the loop early destroys the stream, which is what should happen to the rest of it.
	for await (const chunk of stream) {
		const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
		chunks.push(bytes);
		size += bytes.length;
		if (size >= limit) break;
	}
	return Buffer.concat(chunks).subarray(0, limit);
}

function headerValue(headers: unknown, name: string): unknown {
	if (!isObject(headers)) return undefined;
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
	return key === undefined ? undefined : headers[key];
}

function truncate(text: string): string {
	return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : text;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}

function isNonEmpty(value: string | undefined): value is string {
	return value !== undefined && value !== '';
}

// ---------------------------------------------------------------------------------------------------------------
// Node options that tune the transport
// ---------------------------------------------------------------------------------------------------------------

const MAX_RETRIES_LIMIT = 10;
const MAX_CONCURRENCY = 20;

/** Items for a node's "Options" collection. */
export const requestOptionFields: INodeProperties[] = [
	{
		displayName: 'Concurrency',
		name: 'concurrency',
		type: 'number',
		default: 5,
		typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY, numberPrecision: 0 },
		description:
			'How many items to process at the same time. Without this option, reads run 5 at a time and changes one at a time.',
	},
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		default: 3,
		typeOptions: { minValue: 0, maxValue: MAX_RETRIES_LIMIT, numberPrecision: 0 },
		description:
			'How often to repeat a read after a rate limit, a temporary server error or a dropped connection. Requests that create something are never repeated.',
	},
	{
		displayName: 'Max Retry Time (Seconds)',
		name: 'maxRetryTimeSeconds',
		type: 'number',
		default: 60,
		typeOptions: { minValue: 1 },
		description: 'Upper limit for one request including all its retries and the waits between them',
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeoutSeconds',
		type: 'number',
		default: 60,
		typeOptions: { minValue: 1 },
		description: 'How long to wait for the provider to answer a single request',
	},
];

export interface RequestSettings {
	retry: Partial<RetryPolicy>;
	timeoutMs?: number;
	concurrency: number;
}

type OptionsContext = Pick<IExecuteFunctions, 'getNode' | 'getNodeParameter'>;

export function readRequestOptions(
	ctx: OptionsContext,
	itemIndex: number,
	kind: OperationKind,
	collectionName = 'options',
): RequestSettings {
	const options = ctx.getNodeParameter(collectionName, itemIndex, {}) as IDataObject;
	const read = (name: string, label: string, min: number, max: number, whole: boolean) =>
		readNumberOption(ctx, itemIndex, options[name], { label, min, max, whole });
	const maxRetries = read('maxRetries', 'Max Retries', 0, MAX_RETRIES_LIMIT, true);
	const maxRetryTimeSeconds = read('maxRetryTimeSeconds', 'Max Retry Time (Seconds)', 1, Infinity, false);
	const timeoutSeconds = read('timeoutSeconds', 'Timeout (Seconds)', 1, Infinity, false);
	const concurrency = read('concurrency', 'Concurrency', 1, MAX_CONCURRENCY, true);
	return {
		retry: {
			...(maxRetries !== undefined && { maxAttempts: maxRetries + 1 }),
			...(maxRetryTimeSeconds !== undefined && { maxTotalTimeMs: maxRetryTimeSeconds * 1000 }),
		},
		...(timeoutSeconds !== undefined && { timeoutMs: timeoutSeconds * 1000 }),
		concurrency: concurrency ?? DEFAULT_CONCURRENCY[kind],
	};
}

function readNumberOption(
	ctx: OptionsContext,
	itemIndex: number,
	value: unknown,
	rule: { label: string; min: number; max: number; whole: boolean },
): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const number = typeof value === 'number' ? value : Number(value);
	const inRange = Number.isFinite(number) && number >= rule.min && number <= rule.max;
	if (inRange && (!rule.whole || Number.isInteger(number))) return number;
	const range = rule.max === Infinity ? `at least ${rule.min}` : `from ${rule.min} to ${rule.max}`;
	throw new NodeOperationError(ctx.getNode(), `The option "${rule.label}" must be ${rule.whole ? 'a whole number' : 'a number'} ${range}`, {
		itemIndex,
		description: `Change "${rule.label}" in the node's options (it is ${JSON.stringify(value)}).`,
	});
}
