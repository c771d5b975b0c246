/**
 * "Test" in the credential dialog. CM's itsme API has no read-only call, so the test creates a login transaction
 * that nobody is sent to (its redirect is example.com, as the credential's notice says) and reports CM's own
 * message when CM refuses it. A credential `test` request could only show a fixed text or the HTTP reason
 * phrase, hence a test method the nodes name in `testedBy`.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import type { InputError } from '../shared/errors';
import { extractErrorMessage } from '../shared/providerError';
import { redactSecrets } from '../shared/redact';
import { isObject, messageOf } from '../shared/util';
import { ITSME_TRANSACTIONS_PATH, itsmeBaseUrl } from './constants';

/** A transaction that changes nothing: a login with no scopes whose redirect goes nowhere of ours. */
export const TEST_TRANSACTION = { service: 'login', scopes: [], redirectUrl: 'https://example.com/' } as const;

const TEST_TIMEOUT_MS = 15_000;

interface LegacyResponse {
	statusCode: number;
	statusMessage?: string;
	body?: unknown;
}

type LegacyRequest = ICredentialTestFunctions['helpers']['request'];

export async function testMerchantToken(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	// A credential test gets only the legacy `request` helper (ICredentialTestFunctions has no httpRequest, which
	// the lint rule against `request` recommends); it is handed on as a plain function.
	const { request } = this.helpers;
	return await sendTestTransaction(request, credential.data ?? {});
}

async function sendTestTransaction(
	request: LegacyRequest,
	credentials: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	const token = typeof credentials.token === 'string' ? credentials.token : '';
	if (token.trim() === '') return { status: 'Error', message: 'Enter the merchant token CM gave you for itsme.' };
	let baseUrl: string;
	try {
		baseUrl = itsmeBaseUrl(credentials);
	} catch (error) {
		const { message, fix } = error as InputError;
		return { status: 'Error', message: `${message}. ${fix}` };
	}
	try {
		const answer = (await request({
			method: 'POST',
			uri: `${baseUrl}${ITSME_TRANSACTIONS_PATH}`,
			body: { ...TEST_TRANSACTION, token },
			json: true,
			simple: false,
			resolveWithFullResponse: true,
			timeout: TEST_TIMEOUT_MS,
		})) as LegacyResponse;
		return redacted(judge(answer), token);
	} catch (error) {
		return redacted({ status: 'Error', message: unreachable(error) }, token);
	}
}

function judge(answer: LegacyResponse): INodeCredentialTestResult {
	if (answer.statusCode >= 200 && answer.statusCode < 300 && isObject(answer.body) && answer.body.transactionToken) {
		return { status: 'OK', message: 'CM accepted the merchant token (a test transaction was created).' };
	}
	const said = extractErrorMessage(answer.body) ?? answer.statusMessage ?? 'no message';
	const hint =
		answer.statusCode === 400 || answer.statusCode === 401
			? 'Check the merchant token and the environment.'
			: 'Check the environment (base URL), or try again later.';
	return { status: 'Error', message: `CM refused the test transaction (HTTP ${answer.statusCode}: ${said}). ${hint}` };
}

/** Only the code or message: the thrown error also holds the request, token included. */
function unreachable(error: unknown): string {
	const code = isObject(error) && typeof error.code === 'string' ? error.code : undefined;
	return `CM itsme could not be reached (${code ?? messageOf(error)}). Check the environment (base URL) and the network.`;
}

function redacted(result: INodeCredentialTestResult, token: string): INodeCredentialTestResult {
	return { ...result, message: redactSecrets(result.message, [token]) };
}
