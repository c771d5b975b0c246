/**
 * Every IDnow identity.TM endpoint the nodes use, with the meanings the document gives each call's error statuses;
 * the HTTP policy (retries, timeouts, errors, redaction) is the shared client's.
 */
import type { IBinaryData, ICredentialDataDecryptedObject, IDataObject, IN8nHttpFullResponse } from 'n8n-workflow';

import { createProviderClient, segment, type CallOptions, type ClientContext } from '../shared/client';
import type { CallSettings } from '../shared/requestOptions';
import { baseUrlOf } from '../shared/util';
import { IDNOW_CREDENTIAL, IDNOW_DEFAULT_BASE_URL } from './constants';
import { cryptKeyOf, cryptSuffix, decryptBody, decryptJson, decryptStream } from './crypt';
import type { IdnowIdentData, IdnowImages, IdnowOrderAnswer, IdnowStatusAnswer } from './types';

/** Result PDFs hold every image of the identification; 100 MB is far above any seen, and bounds a runaway answer. */
const MAX_PDF_BYTES = 100 * 1024 * 1024;

export const idnow = createProviderClient({
	provider: 'IDnow',
	credentialType: IDNOW_CREDENTIAL,
	baseUrl: (credentials) => baseUrlOf(credentials.baseUrl, IDNOW_DEFAULT_BASE_URL),
	// None is redacted by its field name: an error must never echo them (webhook URLs sent to IDnow hold the token).
	bodySecrets: ({ password, aesSecretKey, webhookToken }) =>
		[password, aesSecretKey, webhookToken].map((secret) => (typeof secret === 'string' ? secret : undefined)),
});

/** The credential's AES key for the `/crypt` variants, or undefined when results come unencrypted. */
export async function cryptKey(ctx: ClientContext, settings: CallSettings = {}): Promise<Buffer | undefined> {
	return cryptKeyOf((await ctx.getCredentials(IDNOW_CREDENTIAL, settings.itemIndex)) as ICredentialDataDecryptedObject);
}

/** Path of an order call: `/<name>/<OrderID>` followed by any variants, in the given order. */
export function orderPath(name: string, orderId: string, variants: string[] = []): string {
	return [`/${name}/${segment(orderId)}`, ...variants].join('/');
}

/** A response body as bytes, whatever n8n's helper made of it. */
export function bodyBytes(response: IN8nHttpFullResponse): Buffer {
	const body = response.body as unknown;
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof ArrayBuffer) return Buffer.from(body);
	return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body ?? ''));
}

/**
 * A JSON answer of a call that has a `/crypt` variant: requested encrypted and decrypted when the credential holds a
 * key, plain otherwise. `options.path` is the path without `/crypt`.
 */
export async function cryptJson<T>(
	ctx: ClientContext,
	options: CallOptions,
	what: string,
	settings: CallSettings = {},
): Promise<T> {
	const key = await cryptKey(ctx, settings);
	if (!key) return await idnow.json<T>(ctx, options, settings);
	const response = await idnow.request(
		ctx,
		{ ...options, path: `${options.path}/crypt`, json: false, encoding: 'arraybuffer' },
		settings,
	);
	return decryptJson<T>(key, bodyBytes(response), what);
}

const NOT_FOUND = 'IDnow knows no order with this OrderID for this account. Check the OrderID and that the credential belongs to the account that created it.';
const DATA_NOT_FOUND =
	'IDnow knows no order with this OrderID for this account, or its result data was deleted already (by Delete Data, or by IDnow 7 days after the order became final).';
const NOT_READY =
	'IDnow has no result for this order yet or at all: results exist once the order is final (wait for OnFinal or use Order → Wait for Final Status), and only for positive or fraud-suspected identifications. If the message mentions encryption, ask IDnow to set up /crypt for the account or clear the AES-256 Key in the credential.';

const PUT_ORDER_HINTS = {
	400: 'IDnow refused the order; its message names the element. Correct that field in the node (and check that the product is enabled for the account).',
};
const STATUS_HINTS = { 400: 'IDnow refused the request; its message says why.', 404: NOT_FOUND };
const IDENT_DATA_HINTS = { 400: NOT_READY, 404: DATA_NOT_FOUND };
const PDF_HINTS = {
	400: `${NOT_READY} The PDF must also be enabled for the account by IDnow.`,
	404: DATA_NOT_FOUND,
};
const IMAGES_HINTS = { 400: NOT_READY, 404: DATA_NOT_FOUND };
const DELETE_HINTS = {
	400: 'IDnow refused the deletion; its message says why.',
	404: DATA_NOT_FOUND,
	406: 'The order is not final yet, so there is no result data to delete. Cancel an open order with Order → Cancel instead.',
};
const CANCEL_HINTS = {
	400: 'IDnow refused the cancellation; its message says why.',
	404: NOT_FOUND,
	406: 'The order is final already and cannot be cancelled. To remove its result data, use Identification → Delete Data.',
};
const BY_REF_HINTS = { 400: 'IDnow refused the Ref: only a-z A-Z 0-9 - . + are allowed in it.' };

// ── Orders (3.1, 3.2, 3.13, 4.2) ────────────────────────────────────────────────────────────────────────────────

export async function putOrder(ctx: ClientContext, body: IDataObject, settings?: CallSettings): Promise<IdnowOrderAnswer> {
	return await idnow.json(ctx, { method: 'PUT', path: '/putOrder', body, statusHints: PUT_ORDER_HINTS }, settings);
}

export interface StatusVariants {
	extendedList?: boolean;
	includeSubKind?: boolean;
}

export async function getStatus(
	ctx: ClientContext,
	orderId: string,
	{ extendedList = false, includeSubKind = false }: StatusVariants = {},
	settings?: CallSettings,
): Promise<IdnowStatusAnswer> {
	const variants = [...(extendedList ? ['ExtendedList'] : []), ...(includeSubKind ? ['IncludeSubKind'] : [])];
	return await idnow.json(
		ctx,
		{ method: 'GET', path: orderPath('getStatus', orderId, variants), statusHints: STATUS_HINTS },
		settings,
	);
}

/** The OrderIDs of the last 90 days with this Ref, newest first; none is an empty list, not an error. */
export async function getOrdersByRef(ctx: ClientContext, ref: string, settings?: CallSettings): Promise<string[]> {
	const response = await idnow.request(
		ctx,
		{ method: 'GET', path: `/getOrdersByRef/${segment(ref)}`, acceptStatuses: [404], statusHints: BY_REF_HINTS },
		settings,
	);
	if (response.statusCode === 404) return [];
	return Array.isArray(response.body) ? (response.body as unknown[]).map(String) : [];
}

export async function cancelOrder(ctx: ClientContext, orderId: string, settings?: CallSettings): Promise<void> {
	await idnow.request(ctx, { method: 'POST', path: orderPath('cancelOrder', orderId), statusHints: CANCEL_HINTS }, settings);
}

// ── Identification results (3.3, 3.4, 3.8, 3.12) ───────────────────────────────────────────────────────────────

export type IdentDataVariant = 'IncludeInitialData' | 'IncludeIdentifyMethod' | 'IncludeIdentifier' | 'IncludeEidJwt';

export async function getIdentData(
	ctx: ClientContext,
	orderId: string,
	variants: IdentDataVariant[],
	settings?: CallSettings,
): Promise<IdnowIdentData> {
	return await cryptJson<IdnowIdentData>(
		ctx,
		{ method: 'GET', path: orderPath('getIdentData', orderId, variants), statusHints: IDENT_DATA_HINTS },
		'identification data',
		settings,
	);
}

/** The Signed variant: an opaque token for a later putOrder's IdentDataSigned (chapter 7), as text. */
export async function getSignedIdentData(ctx: ClientContext, orderId: string, settings?: CallSettings): Promise<string> {
	const key = await cryptKey(ctx, settings);
	const response = await idnow.request(
		ctx,
		{
			method: 'GET',
			path: orderPath('getIdentData', orderId, ['Signed']) + cryptSuffix(key),
			json: false,
			encoding: 'arraybuffer',
			statusHints: IDENT_DATA_HINTS,
		},
		settings,
	);
	const bytes = bodyBytes(response);
	return (key ? decryptBody(key, bytes) : bytes).toString('utf8').trim();
}

/** Streams the result PDF into n8n's binary store, through the decipher when the credential holds a key. */
export async function downloadIdentDataPdf(ctx: ClientContext, orderId: string, settings?: CallSettings): Promise<IBinaryData> {
	const key = await cryptKey(ctx, settings);
	return await idnow.download(
		ctx,
		{
			method: 'GET',
			path: orderPath('getIdentDataPDF', orderId) + cryptSuffix(key),
			headers: { Accept: 'application/pdf' },
			statusHints: PDF_HINTS,
		},
		{
			fallbackFileName: `${orderId}.pdf`,
			fallbackMimeType: 'application/pdf',
			maxBytes: MAX_PDF_BYTES,
			expectedSignature: Buffer.from('%PDF-'),
			...(key && { decrypt: decryptStream(key) }),
		},
		settings,
	);
}

export async function getImages(ctx: ClientContext, orderId: string, settings?: CallSettings): Promise<IdnowImages> {
	return await idnow.json(ctx, { method: 'GET', path: orderPath('getImages', orderId), statusHints: IMAGES_HINTS }, settings);
}

export async function deleteIdentData(ctx: ClientContext, orderId: string, settings?: CallSettings): Promise<void> {
	await idnow.request(ctx, { method: 'DELETE', path: orderPath('delIdentdata', orderId), statusHints: DELETE_HINTS }, settings);
}

// ── Part 2: recordings, eSign, phone verification, sign-me, system, account

/** Default bounds of the file operations, in MB (each node can change its own in Options). */
export const DEFAULT_MAX_FILE_MB = MAX_PDF_BYTES / (1024 * 1024);
/** An identification call lasts minutes; 2 GB leaves room for long HD recordings and bounds a runaway answer. */
export const DEFAULT_MAX_VIDEO_MB = 2048;

const NO_RECORDING =
	'IDnow has no recording for this order (yet): a video exists once a video identification ended with 6 or 89 and recording was ordered (Add 131072) or set up for the account by IDnow; IDnow\'s message says which is missing.';
const PROVISION_HINTS = {
	400: `${NO_RECORDING} The callback URL must be an absolute http(s) URL.`,
	404: DATA_NOT_FOUND,
};
const VIDEO_HINTS = { 400: NO_RECORDING, 404: DATA_NOT_FOUND };
const VOICE_HINTS = { 400: `${NOT_READY} Voice recordings are set up for the account by IDnow.`, 404: DATA_NOT_FOUND };
const SIGNED_PDF_HINTS = {
	400: 'IDnow has no signed documents for this order: it needs eSign documents (eSignPDF in Create) and final status 84 (signed); IDnow\'s message says which is missing.',
	404: DATA_NOT_FOUND,
};
const SIGNED_HASH_HINTS = {
	400: 'IDnow has no signed hashes for this order: it needs eSign hashes (eSignHash in Create) and final status 84 (signed); IDnow\'s message says which is missing.',
	404: DATA_NOT_FOUND,
};
const AUDIT_LOG_HINTS = {
	400: 'IDnow has no audit log for this order: it exists only for AES orders (Add 128) once signed (status 84).',
	404: DATA_NOT_FOUND,
};

/** One of the two TAN processes of chapters 5 and 6: what starts it, and what else its 406 and 410 can mean. */
interface TanProcess {
	name: string;
	/** The node operation that starts the process and sends the TAN. */
	start: string;
	notReady: string;
}

const SIGNING: TanProcess = {
	name: 'Signing',
	start: 'eSign → Request Sign',
	notReady: 'the signee must be identified (status 6) on an eSign order (Product 15) that has a mobile number for the TAN',
};
const PHONE_VERIFICATION: TanProcess = {
	name: 'Phone verification',
	start: 'Phone Verification → Request',
	notReady: 'the order must have a mobile number (Mobile in Create)',
};

/** The meanings chapters 5 and 6 give each status; the same codes mean the same for signing and phone verification. */
function tanProcessHints(process: TanProcess): Record<number, string> {
	return {
		400: `IDnow refused the request; its message says why. ${process.name} on your side must be enabled for the account by IDnow.`,
		404: 'IDnow knows no order with this OrderID for this account, or its data was deleted already. Check the OrderID.',
		406: `The order is not ready for this (406, invalid order state): ${process.notReady}. Check it with Order → Get Status.`,
		409: 'The TAN is wrong (409). Ask the person for the TAN of the latest SMS and confirm again: each wrong TAN counts, and too many cancel the order.',
		410: 'The order has already been processed (410): it is final (signed, verified, cancelled, refused or timed out). Check it with Order → Get Status.',
		412: `${process.name} has not been started for this order (412): run ${process.start} first; it sends the TAN.`,
		429: 'Too many wrong TANs (429): IDnow cancelled the order. Create a new order for the person.',
	};
}

const SIGNING_HINTS = tanProcessHints(SIGNING);
const PHONE_HINTS = tanProcessHints(PHONE_VERIFICATION);
const SIGNME_HINTS = {
	400: "IDnow refused the check; its message says why. sign-me must be set up for the account, and Email is the person's sign-me user name.",
};
const NEW_PASSWORD_HINTS = {
	400: 'IDnow refused the request; its message says why. Write the mobile number in international format, e.g. +49171123456.',
	401: "IDnow refused the user name, the password or the mobile number: the number must be the one registered with IDnow's Service Desk for this API user.",
};
const CONFIRM_PASSWORD_HINTS = {
	400: 'IDnow refused the request; its message says why. The password was not changed.',
	401: 'IDnow refused the TAN (or the credentials). The password was not changed, and a wrong TAN ends the request: run Account → Request New Password again and confirm with the TAN of the new SMS.',
};

/** The 5xx answers a liveness or status check reports as "not available" rather than failing. */
const SERVER_ERRORS = Array.from({ length: 100 }, (_, offset) => 500 + offset);

// Recordings (3.9–3.11)

export async function requestVideoProvisioning(
	ctx: ClientContext,
	orderId: string,
	callbackUrl: string,
	settings?: CallSettings,
): Promise<void> {
	await idnow.request(
		ctx,
		{
			method: 'POST',
			path: orderPath('getVideoFileBinaryAsync', orderId),
			body: { callbackUrl },
			statusHints: PROVISION_HINTS,
		},
		settings,
	);
}

/** The video answer as a stream, encrypted when `key` is given; the caller stores it (and decrypts it on the way). */
export async function getVideoFile(
	ctx: ClientContext,
	orderId: string,
	key: Buffer | undefined,
	settings?: CallSettings,
): Promise<IN8nHttpFullResponse> {
	return await idnow.request(
		ctx,
		{
			method: 'GET',
			path: orderPath('getVideoFileBinary', orderId) + cryptSuffix(key),
			encoding: 'stream',
			statusHints: VIDEO_HINTS,
		},
		settings,
	);
}

export interface IdnowVoiceFiles extends IDataObject {
	Voicefiles?: Array<{ Filename?: string; Base64Data?: string }>;
}

export async function getVoiceFiles(ctx: ClientContext, orderId: string, settings?: CallSettings): Promise<IdnowVoiceFiles> {
	return await cryptJson<IdnowVoiceFiles>(
		ctx,
		{ method: 'GET', path: orderPath('getVoiceFiles', orderId), statusHints: VOICE_HINTS },
		'voice files',
		settings,
	);
}

// eSign results (3.5–3.7)

export interface IdnowSignedPdfs extends IDataObject {
	PDFs?: Array<{ Base64Data?: string; Filename?: string }>;
}

export async function getSignedPdfs(ctx: ClientContext, orderId: string, settings?: CallSettings): Promise<IdnowSignedPdfs> {
	return await cryptJson<IdnowSignedPdfs>(
		ctx,
		{ method: 'GET', path: orderPath('getESignPDF', orderId), statusHints: SIGNED_PDF_HINTS },
		'signed documents',
		settings,
	);
}

/** `Hashes` holds one object per hash, keyed by the Filename given in putOrder. */
export interface IdnowSignedHashes extends IDataObject {
	Hashes?: IDataObject[];
}

export async function getSignedHashes(ctx: ClientContext, orderId: string, settings?: CallSettings): Promise<IdnowSignedHashes> {
	return await idnow.json(
		ctx,
		{ method: 'GET', path: orderPath('getESignHash', orderId), statusHints: SIGNED_HASH_HINTS },
		settings,
	);
}

export async function downloadAuditLog(
	ctx: ClientContext,
	orderId: string,
	maxBytes: number,
	settings?: CallSettings,
): Promise<IBinaryData> {
	return await idnow.download(
		ctx,
		{
			method: 'GET',
			path: orderPath('getESignAuditLogPDF', orderId),
			headers: { Accept: 'application/pdf' },
			statusHints: AUDIT_LOG_HINTS,
		},
		{
			fallbackFileName: `${orderId}_audit_log.pdf`,
			fallbackMimeType: 'application/pdf',
			maxBytes,
			expectedSignature: Buffer.from('%PDF-'),
		},
		settings,
	);
}

// Customer-side signing (5) and phone verification (6): POSTs, never repeated, so a TAN is never tried twice

async function orderCall(
	ctx: ClientContext,
	call: string,
	orderId: string,
	statusHints: Record<number, string>,
	settings?: CallSettings,
	body?: IDataObject,
): Promise<void> {
	await idnow.request(ctx, { method: 'POST', path: orderPath(call, orderId), body, statusHints }, settings);
}

export async function requestSign(ctx: ClientContext, orderId: string, settings?: CallSettings): Promise<void> {
	await orderCall(ctx, 'requestSign', orderId, SIGNING_HINTS, settings);
}

export async function confirmSign(ctx: ClientContext, orderId: string, tan: string, settings?: CallSettings): Promise<void> {
	await orderCall(ctx, 'confirmSign', orderId, SIGNING_HINTS, settings, { tan });
}

export async function resendSignTan(ctx: ClientContext, orderId: string, settings?: CallSettings): Promise<void> {
	await orderCall(ctx, 'requestResendSignTan', orderId, SIGNING_HINTS, settings);
}

export async function requestPhoneVerification(ctx: ClientContext, orderId: string, settings?: CallSettings): Promise<void> {
	await orderCall(ctx, 'requestPhoneVerification', orderId, PHONE_HINTS, settings);
}

export async function provePhoneControl(ctx: ClientContext, orderId: string, tan: string, settings?: CallSettings): Promise<void> {
	await orderCall(ctx, 'provePhoneControl', orderId, PHONE_HINTS, settings, { tan });
}

export async function resendPhoneTan(ctx: ClientContext, orderId: string, settings?: CallSettings): Promise<void> {
	await orderCall(ctx, 'requestResendPhoneTan', orderId, PHONE_HINTS, settings);
}

// sign-me (9.1)

export interface IdnowSignmeCheck extends IDataObject {
	UserExists?: boolean;
	UserIsAbleToSign?: boolean;
}

export async function checkSignmeUser(
	ctx: ClientContext,
	body: { Email: string; signatureType?: string },
	settings?: CallSettings,
): Promise<IdnowSignmeCheck> {
	return await idnow.json(ctx, { method: 'POST', path: '/checkSignmeUser', body, statusHints: SIGNME_HINTS }, settings);
}

// Service monitoring (8): a 5xx is an answer here ("not available"), not an error

export async function serverStatus(ctx: ClientContext, settings?: CallSettings): Promise<IN8nHttpFullResponse> {
	return await idnow.request(ctx, { method: 'GET', path: '/serverStatus', acceptStatuses: SERVER_ERRORS }, settings);
}

export async function systemStatus(ctx: ClientContext, settings?: CallSettings): Promise<IN8nHttpFullResponse> {
	return await idnow.request(ctx, { method: 'GET', path: '/systemStatus', acceptStatuses: SERVER_ERRORS }, settings);
}

// API password change (9.2)

export async function requestNewPassword(ctx: ClientContext, mobile: string, settings?: CallSettings): Promise<void> {
	await idnow.request(
		ctx,
		{ method: 'POST', path: '/requestNewPassword', body: { mobile }, statusHints: NEW_PASSWORD_HINTS },
		settings,
	);
}

/** The answer holds the new password: it goes to the one output item and nowhere else. */
export async function confirmNewPassword(ctx: ClientContext, tan: string, settings?: CallSettings): Promise<unknown> {
	return await idnow.json<unknown>(
		ctx,
		{ method: 'POST', path: '/confirmNewPassword', body: { tan }, statusHints: CONFIRM_PASSWORD_HINTS },
		settings,
	);
}
