/**
 * Chapter 8's "not available" answers as data: a monitoring workflow branches on them instead of failing. A 5xx
 * answer means "not available" (8.1.2, 8.2.4), and so does no answer at all ("None"); every other failure (wrong
 * credentials, a base URL that is not identity.TM, a cancelled execution) is still an error: it says nothing about
 * IDnow.
 */
import type { IN8nHttpFullResponse } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { CONNECTION_PROBLEMS, extractErrorMessage } from '../../../shared/providerError';

/** Connection problems that mean "no answer"; a cancelled execution is not one. */
const NO_ANSWER_CODES = Object.keys(CONNECTION_PROBLEMS).filter((code) => code !== 'ERR_CANCELED');

export type Availability =
	| { available: true; response: IN8nHttpFullResponse }
	| { available: false; httpStatus: number | null; reason: string };

/** Makes the call (whose 5xx answers must be accepted) and says whether IDnow answered as available. */
export async function availabilityOf(call: () => Promise<IN8nHttpFullResponse>): Promise<Availability> {
	const outcome = await call().then(
		(response) => ({ response }),
		(error: unknown) => ({ error }),
	);
	if ('error' in outcome) {
		const reason = noAnswerReason(outcome.error);
		if (reason === undefined) throw outcome.error;
		return { available: false, httpStatus: null, reason };
	}
	const { response } = outcome;
	if (response.statusCode < 500) return { available: true, response };
	const message = extractErrorMessage(response.body) ?? 'no message';
	return { available: false, httpStatus: response.statusCode, reason: `HTTP ${response.statusCode}: ${message}` };
}

/** Why a call that failed without an HTTP answer got none, or undefined when it failed in another way. */
function noAnswerReason(error: unknown): string | undefined {
	if (!(error instanceof NodeApiError) || error.httpCode) return undefined;
	// The shared client words these failures "<provider>: <problem> (<code>)".
	const code = NO_ANSWER_CODES.find((candidate) => error.message.endsWith(`(${candidate})`));
	return code === undefined ? undefined : `No answer: ${CONNECTION_PROBLEMS[code]} (${code})`;
}
