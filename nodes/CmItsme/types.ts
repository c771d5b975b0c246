import type { ItsmeLocale, ItsmeScope, ItsmeService } from './constants';

/** The body of `POST /transactions` as the nodes build it; the credential adds the merchant token. */
export interface ItsmeTransactionRequest {
	service: ItsmeService;
	scopes: ItsmeScope[];
	locale?: ItsmeLocale;
	redirectUrl: string;
	phoneNumber?: string;
}

export interface ItsmeTransaction {
	transactionToken: string;
	authenticationUrl: string;
}

export type ItsmeStatus = 'open' | 'success' | 'cancelled' | 'failure' | 'expired';

/**
 * `GET /status/{transactionToken}`: the status always; the person's data only in the first answer after success,
 * and only for the scopes asked for. An open map: CM may add fields.
 */
export interface ItsmeStatusAnswer {
	status: ItsmeStatus | string;
	userId?: string;
	name?: { givenName?: string; familyName?: string; fullName?: string };
	gender?: string;
	birthdate?: string;
	locale?: string;
	phoneNumber?: string;
	emailAddress?: string;
	address?: { streetAddress?: string; postalCode?: string; city?: string; countryCode?: string };
	[key: string]: unknown;
}
