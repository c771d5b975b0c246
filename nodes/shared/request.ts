/**
 * The one way provider calls go out: n8n's authenticated request helper, plus retries for requests that are safe
 * to repeat, plus failures handed to providerError.ts so they carry the provider's message and never a credential.
 */
import type { IDataObject, IHttpRequestOptions, IN8nHttpFullResponse, INode } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { providerConcurrencyFor, type AdaptiveConcurrency, type RequestOutcome } from './adaptiveConcurrency';
import {
	createProviderError,
	describeThrownFailure,
	ERROR_BODY_LIMIT_BYTES,
	findErrorCode,
	findHttpError,
	secretsInRequest,
	type CallFailure,
	type ErrorWording,
} from './providerError';
import { isSecretFieldName } from './redact';
import type { AttemptOutcome, RetryClock, RetryDecision, RetryPolicy } from './retry';
import { parseRetryAfterMs, resolveRetryPolicy, withRetry } from './retry';
import { headerValue, isReadableStream, readBounded } from './util';

export interface ProviderCall extends ErrorWording {
	credentialType: string;
	retry?: Partial<RetryPolicy>;
	/** Extra literal secrets to redact, e.g. a token that travels in a JSON body. */
	secrets?: Array<string | undefined>;
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

const NEVER_REPEATED_METHODS = new Set(['POST']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function providerRequest(
	ctx: RequestContext,
	call: ProviderCall,
	options: ProviderRequestOptions,
): Promise<IN8nHttpFullResponse> {
	const { idempotent, ...requestOptions } = options;
	const repeatable = isRepeatable(requestOptions, idempotent);
	const policy = resolveRetryPolicy(repeatable ? call.retry : { ...call.retry, maxAttempts: 1 });
	const clock = call.clock ?? realClock(ctx);
	const limiter = providerConcurrencyFor(ctx, call.credentialType);
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
				return await sendWithinLimit(limiter, async () => await sendOnce(ctx, call.credentialType, httpOptions));
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

function isRepeatable(options: IHttpRequestOptions, idempotent: boolean | undefined): boolean {
	const method = (options.method ?? 'GET').toUpperCase();
	// Not even after a 429, although rate limiters usually refuse before anything is processed: HTTP does not promise
	// that, and IDnow's TAN confirmation answers 429 for "too many wrong TANs", a final answer about a processed
	// request. A wrong guess would cost a second order or invite. The refusal still makes the limiter send fewer at once.
	// Writes run one at a time by default, so they meet a provider's in-flight limit only when the user raises it.
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
		response.body = await readBounded(response.body, ERROR_BODY_LIMIT_BYTES).catch(() => Buffer.alloc(0));
	}
	return response;
}

/**
 * One request through the execution's concurrency limit (when there is one), telling the limit how it went.
 * A streamed body may still be arriving when the slot is given back: holding it until the stream ends would leave
 * the limit at the mercy of a consumer that never reads to the end.
 */
async function sendWithinLimit(
	limiter: AdaptiveConcurrency | undefined,
	send: () => Promise<IN8nHttpFullResponse>,
): Promise<IN8nHttpFullResponse> {
	if (!limiter) return await send();
	const slot = await limiter.acquire();
	const outcome: AttemptOutcome<IN8nHttpFullResponse> = await send().then(
		(value) => ({ ok: true, value }),
		(error: unknown) => ({ ok: false, error }),
	);
	slot.release(limiterOutcome(answerOf(outcome)));
	if (outcome.ok) return outcome.value;
	throw outcome.error;
}

interface Answer {
	statusCode: number;
	headers: unknown;
}

/** The HTTP answer an attempt got, returned or thrown; undefined when no answer came (connection failures). */
function answerOf(outcome: AttemptOutcome<IN8nHttpFullResponse>): Answer | undefined {
	if (outcome.ok) return { statusCode: outcome.value.statusCode, headers: outcome.value.headers };
	const response = findHttpError(outcome.error)?.response;
	return response?.status === undefined ? undefined : { statusCode: response.status, headers: response.headers };
}

function limiterOutcome(answer: Answer | undefined): RequestOutcome {
	if (answer === undefined) return 'inconclusive';
	if (isRateLimitRefusal(answer)) return 'refused';
	return RETRYABLE_STATUS_CODES.has(answer.statusCode) ? 'inconclusive' : 'answered';
}

/** "Too many requests": a 429, or a 503 that says when to come back. */
function isRateLimitRefusal(answer: Answer): boolean {
	if (answer.statusCode === 429) return true;
	return answer.statusCode === 503 && headerValue(answer.headers, 'retry-after') !== undefined;
}

function classifyAttempt(outcome: AttemptOutcome<IN8nHttpFullResponse>, now: number): RetryDecision {
	const answer = answerOf(outcome);
	if (answer) return retryOnStatus(answer, now);
	const code = outcome.ok ? undefined : findErrorCode(outcome.error);
	return { retry: code !== undefined && RETRYABLE_CONNECTION_CODES.has(code) };
}

function retryOnStatus({ statusCode, headers }: Answer, now: number): RetryDecision {
	if (!RETRYABLE_STATUS_CODES.has(statusCode)) return { retry: false };
	const retryAfterMs = parseRetryAfterMs(headerValue(headers, 'retry-after'), now);
	// A 429 with Retry-After is the provider pacing us, not a failure: while the concurrency limit adapts, several
	// of an item's requests may be refused in a row. Those waits are bounded by Max Retry Time, not Max Retries.
	const pacing = statusCode === 429 && retryAfterMs !== undefined;
	return { retry: true, retryAfterMs, countsAsAttempt: !pacing };
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
