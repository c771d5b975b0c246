/**
 * A provider's HTTP client in one call: base URL from its credential, the retry, timeout and redaction policy of
 * the shared core, JSON by default, streamed downloads into n8n binary data. A provider's transport.ts then only
 * names its endpoints.
 */
import type {
	ICredentialDataDecryptedObject,
	IBinaryData,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import { responseToBinary, type BinaryContext, type ResponseToBinaryOptions } from './binary';
import type { ErrorWording } from './providerError';
import { providerRequest, type ProviderRequestOptions, type RequestContext } from './request';
import { DEFAULT_TIMEOUT_MS, type CallSettings } from './requestOptions';

/** Any n8n context a provider is called from: execute, webhook, poll. */
export type ClientContext = RequestContext & BinaryContext & Required<Pick<RequestContext, 'getCredentials'>>;

export interface ProviderClientConfig extends Omit<ErrorWording, 'itemIndex' | 'statusHints'> {
	credentialType: string;
	baseUrl(credentials: ICredentialDataDecryptedObject): string;
	/** Secrets the credential sends outside a header (e.g. a token in the body), redacted from every error. */
	bodySecrets?(credentials: ICredentialDataDecryptedObject): Array<string | undefined>;
}

export interface CallOptions extends Omit<ProviderRequestOptions, 'url' | 'baseURL'> {
	/** Path below the credential's base URL, with any ids already encoded. */
	path: string;
	/** Error statuses the caller handles itself (answered, not thrown). */
	acceptStatuses?: number[];
	/** Meanings the provider documents for statuses of this call. */
	statusHints?: Record<number, string>;
}

export type DownloadOptions = Omit<ResponseToBinaryOptions, 'itemIndex'>;

export interface ProviderClient {
	request(ctx: ClientContext, options: CallOptions, settings?: CallSettings): Promise<IN8nHttpFullResponse>;
	json<T>(ctx: ClientContext, options: CallOptions, settings?: CallSettings): Promise<T>;
	/** Streams the response body into n8n's binary store: the file is never held in memory as a whole. */
	download(ctx: ClientContext, options: CallOptions, file: DownloadOptions, settings?: CallSettings): Promise<IBinaryData>;
}

export function createProviderClient(config: ProviderClientConfig): ProviderClient {
	async function request(ctx: ClientContext, options: CallOptions, settings: CallSettings = {}) {
		const credentials = (await ctx.getCredentials(config.credentialType, settings.itemIndex)) as ICredentialDataDecryptedObject;
		const { path, acceptStatuses, statusHints, ...http } = options;
		const streamed = http.encoding === 'stream';
		const requestOptions: ProviderRequestOptions = {
			...http,
			url: `${config.baseUrl(credentials)}${path}`,
			json: streamed ? undefined : (http.json ?? true),
			timeout: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		};
		return await providerRequest(
			ctx,
			{
				provider: config.provider,
				credentialType: config.credentialType,
				errorMessage: config.errorMessage,
				secrets: config.bodySecrets?.(credentials),
				itemIndex: settings.itemIndex,
				retry: settings.retry,
				acceptStatuses,
				statusHints,
			},
			requestOptions,
		);
	}

	return {
		request,
		async json<T>(ctx: ClientContext, options: CallOptions, settings?: CallSettings): Promise<T> {
			return (await request(ctx, options, settings)).body as T;
		},
		async download(ctx, options, file, settings = {}) {
			const response = await request(ctx, { ...options, encoding: 'stream' }, settings);
			return await responseToBinary(ctx, response, { ...file, itemIndex: settings.itemIndex });
		},
	};
}

/** Encodes one path segment (an id the user typed): `/` and `?` in it cannot reach another endpoint. */
export function segment(value: string): string {
	return encodeURIComponent(value);
}
