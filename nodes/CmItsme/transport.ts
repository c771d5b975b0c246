/** Both CM itsme endpoints; the HTTP policy (retries, timeouts, errors, redaction) is the shared client's. */
import type { IDataObject } from 'n8n-workflow';

import { createProviderClient, segment, type ClientContext } from '../shared/client';
import type { CallSettings } from '../shared/requestOptions';
import { ITSME_CREDENTIAL, ITSME_STATUS_PATH, ITSME_TRANSACTIONS_PATH, itsmeBaseUrl } from './constants';
import type { ItsmeStatusAnswer, ItsmeTransaction, ItsmeTransactionRequest } from './types';

const itsme = createProviderClient({
	provider: 'CM itsme',
	credentialType: ITSME_CREDENTIAL,
	baseUrl: itsmeBaseUrl,
	// The token travels in the body, where no Authorization-header redaction would find it.
	bodySecrets: (credentials) => [credentials.token as string | undefined],
});

/** CM documents 400 for bad parameters and answers an unknown token the same way. */
const CREATE_HINTS: Record<number, string> = {
	400: 'CM refused the transaction. Check the merchant token and environment in the CM itsme credentials, and the redirect URL and phone number.',
	401: 'CM did not accept the merchant token. Check it, and the environment, in the CM itsme credentials.',
};

const STATUS_HINTS: Record<number, string> = {
	404: 'CM does not know this transaction token. Check that it comes from a Create of the same CM account and environment.',
};

export async function createTransaction(
	ctx: ClientContext,
	body: ItsmeTransactionRequest,
	settings?: CallSettings,
): Promise<ItsmeTransaction> {
	return await itsme.json(
		ctx,
		{ method: 'POST', path: ITSME_TRANSACTIONS_PATH, body: body as unknown as IDataObject, statusHints: CREATE_HINTS },
		settings,
	);
}

/** Reading the status can use up the person's data (itsme hands it out once): whoever calls this must keep the answer. */
export async function getTransactionStatus(
	ctx: ClientContext,
	transactionToken: string,
	settings?: CallSettings,
): Promise<ItsmeStatusAnswer> {
	return await itsme.json(
		ctx,
		{ method: 'GET', path: `${ITSME_STATUS_PATH}/${segment(transactionToken)}`, statusHints: STATUS_HINTS },
		settings,
	);
}
