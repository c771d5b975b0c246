import { PDF_FILE } from '../../../shared/binaryOutput';
import type { OperationDefinition } from '../../../shared/resources';
import { getSignedPdfs as fetchSignedPdfs } from '../../transport';
import { orderIdField, readOrderId } from '../fields';
import { downloadListedFiles, listedFilesOptions } from '../listedFiles';

const DEFAULT_PREFIX = 'signed_';

export const getSignedPdfs: OperationDefinition = {
	value: 'getSignedPdfs',
	name: 'Get Signed PDFs',
	action: 'Get the signed documents of an order',
	description: 'Download the signed PDFs of an eSign order (status 84), one binary field each (decrypted with an AES key)',
	kind: 'read',
	properties: [orderIdField, listedFilesOptions(DEFAULT_PREFIX, 'signed PDFs', 'PDF')],
	async execute(itemIndex, call) {
		const orderId = readOrderId(this, itemIndex);
		// The answer names no files (3.5.4); they come in the order of putOrder's eSignPDF, so they are numbered.
		const { binary, files, decrypted } = await downloadListedFiles(this, itemIndex, call, {
			defaultPrefix: DEFAULT_PREFIX,
			kind: PDF_FILE,
			list: 'PDFs',
			fetch: async () => (await fetchSignedPdfs(this, orderId, call)).PDFs,
			defaultFileName: (position) => `${orderId}_signed_${position}.pdf`,
		});
		return { json: { OrderID: orderId, documents: files, decrypted }, ...(files.length > 0 && { binary }) };
	},
};
