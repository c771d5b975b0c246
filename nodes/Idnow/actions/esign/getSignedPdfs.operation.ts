import {
	fieldPrefixOption,
	maxFileSizeOption,
	PDF_FILE,
	readFieldPrefix,
	readMaxBytes,
	storeBase64Files,
} from '../../../shared/binaryOutput';
import type { OperationDefinition } from '../../../shared/resources';
import { optionsProperty } from '../../../shared/requestOptions';
import { cryptKey, DEFAULT_MAX_FILE_MB, getSignedPdfs as fetchSignedPdfs } from '../../transport';
import { orderIdField, readOrderId } from '../fields';

const DEFAULT_PREFIX = 'signed_';

export const getSignedPdfs: OperationDefinition = {
	value: 'getSignedPdfs',
	name: 'Get Signed PDFs',
	action: 'Get the signed documents of an order',
	description: 'Download the signed PDFs of an eSign order (status 84), one binary field each (decrypted with an AES key)',
	kind: 'read',
	properties: [
		orderIdField,
		optionsProperty([fieldPrefixOption(DEFAULT_PREFIX, 'signed PDFs'), maxFileSizeOption(DEFAULT_MAX_FILE_MB, 'PDF')]),
	],
	async execute(itemIndex, call) {
		const orderId = readOrderId(this, itemIndex);
		const prefix = readFieldPrefix(this, itemIndex, DEFAULT_PREFIX);
		const maxBytes = readMaxBytes(this, itemIndex, DEFAULT_MAX_FILE_MB);
		const decrypted = (await cryptKey(this, call)) !== undefined;
		const answer = await fetchSignedPdfs(this, orderId, call);
		// The answer names no files (3.5.4); they come in the order of putOrder's eSignPDF, so they are numbered.
		const { binary, files } = await storeBase64Files(
			this,
			(answer.PDFs ?? []).map((pdf, index) => ({
				base64: pdf.Base64Data,
				fileName: pdf.Filename,
				field: `PDFs[${index}].Base64Data`,
			})),
			{ kind: PDF_FILE, propertyPrefix: prefix, defaultFileName: (position) => `${orderId}_signed_${position}.pdf`, maxBytes },
		);
		return { json: { OrderID: orderId, documents: files, decrypted }, ...(files.length > 0 && { binary }) };
	},
};
