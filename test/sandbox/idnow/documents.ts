/**
 * The PDFs the API hands out: the identification result (getIdentDataPDF, after the document's German example),
 * the signed eSign documents and the AES audit log. Signing is simulated: the signed PDF is the original with a
 * trailing comment block naming the signee, time and the original's sha256, closed by its own %%EOF, so that PDF
 * readers keep reading the original and a test can check both the bytes and the signature.
 */
import { createHash, createHmac } from 'node:crypto';

import { textPdf, type PdfDocument } from '../pdf';
import { berlinTime } from './format';
import type { StoredOrder } from './types';

const RESULT_FIELDS: Array<[label: string, key: string]> = [
	['Nachname', 'Surname'],
	['Vorname', 'Firstname'],
	['Strasse', 'Street'],
	['PLZ', 'ZipCode'],
	['Ort', 'City'],
	['Geburtsdatum', 'Birthdate'],
	['Geburtsort', 'Birthplace'],
	['Nationalitaet', 'Nationality'],
	['Kuenstlername', 'Artistname'],
	['Titel', 'Title'],
];

/** getIdentDataPDF: the checked data beside the data given to putOrder, the result, the agent. */
export function identDataPdf(order: StoredOrder): PdfDocument {
	const result = order.result;
	if (result === null) throw new Error(`order ${order.id} has no identification result`);
	const initial = (order.body.IdentData ?? {}) as Record<string, unknown>;
	const card = (result.checked.IDCard ?? {}) as Record<string, unknown>;
	const lines = [
		`Identifikationsbericht ${order.id}`,
		`Referenz: ${order.ref}`,
		'Feld: Vorgabe / festgestellt',
		...RESULT_FIELDS.map(([label, key]) => `${label}: ${text(initial[key])} / ${text(result.checked[key])}`),
		`Ausweisnummer: ${text(card.CardNo)}`,
		`AusstellungsLand: ${text(card.CountryOfIssue)}`,
		`AusstellungsOrt: ${text(card.PlaceOfIssue)}`,
		`Gueltig bis: ${text(card.ValidUntil)}`,
		`Verfahren: ${result.method}`,
		`Resultat: ${order.fraudAttempt ? 'Betrugsverdacht' : 'positiv'} am ${berlinTime(result.identifiedAt)}`,
		`Identifizierer: ${result.identifier ?? '-'}`,
		`Bilder: ${result.images.map((image) => image.Filename).join(', ') || '-'}`,
	];
	return textPdf(lines);
}

/** A field's value in the report; a dash where there is none. */
function text(value: unknown): string {
	return typeof value === 'string' || typeof value === 'number' ? String(value) : '-';
}

export const SIGNATURE_MARKER = '%IDnow-sandbox-signature';

/** The signed version of one document: the original bytes, then the simulated signature. */
export function signedPdf(original: Buffer, signee: string, orderId: string, signedAt: number): Buffer {
	const digest = createHash('sha256').update(original).digest('hex');
	const trailer =
		`\n${SIGNATURE_MARKER} order=${orderId} signee=${JSON.stringify(signee)} ` +
		`time=${berlinTime(signedAt)} sha256=${digest}\n%%EOF\n`;
	return Buffer.concat([original, Buffer.from(trailer, 'utf8')]);
}

/** getESignHash: a stand-in for the signature value over a prepared PDF's hash, Base64. */
export function signedHash(hash: string, signee: string, orderId: string): string {
	return createHmac('sha256', `idnow-sandbox-esign:${orderId}`).update(`${signee}\n${hash}`).digest('base64');
}

/** getESignAuditLogPDF: every status of the order, with time and meaning. */
export function auditLogPdf(order: StoredOrder, describe: (code: number) => string): PdfDocument {
	return textPdf([
		`AES audit log ${order.id}`,
		`Referenz: ${order.ref}`,
		`Signee: ${signeeName(order)}`,
		...order.documents.map((document) => `Dokument: ${document.filename}`),
		...order.hashes.map((hash) => `Hash: ${hash.filename}`),
		...order.statuses.map((entry) => `${berlinTime(entry.at)}  ${entry.kind}  ${describe(entry.kind)}`),
	]);
}

export function signeeName(order: StoredOrder): string {
	const checked = order.result?.checked ?? {};
	return [checked.Firstname, checked.Surname].filter((part) => typeof part === 'string').join(' ') || 'unknown';
}
