/** The proof-of-identity PDF of a completed request (`GET …/:id/proof_of_identity`). */
import { HttpError } from '../framework';
import { textPdf, type PdfDocument } from '../pdf';
import { resultName } from './result';
import type { StoredRequest } from './types';
import { isoSeconds } from './store';

/** Only a completed request has one; otherwise 404, as for an unknown request (an assumption, see README). */
export function proofDocument(stored: StoredRequest, paddingBytes: number): PdfDocument {
	if (stored.status !== 'completed') {
		throw new HttpError(404, `Proof of identity is not available: request is ${stored.status}`);
	}
	const result = stored.result;
	return textPdf(
		[
			'eeID sandbox - proof of identity',
			'Issued by the local eeID simulator. Not a real identity document.',
			`Identification request: ${stored.id}`,
			`Name: ${resultName(result)}`,
			`Personal code: ${String(result.sub ?? '')}`,
			`Date of birth: ${String(result.date_of_birth ?? result.birthdate ?? '')}`,
			`Completed at: ${isoSeconds(stored.completedAt ?? stored.createdAt)}`,
			`Reference: ${stored.reference ?? ''}`,
		],
		paddingBytes,
	);
}

export function proofFileName(stored: StoredRequest): string {
	return `proof_of_identity_${stored.id}.pdf`;
}
