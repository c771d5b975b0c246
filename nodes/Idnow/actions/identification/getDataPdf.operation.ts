import type { OperationDefinition } from '../../../shared/resources';
import { binaryFieldProperty, readBinaryField } from '../../../shared/binaryOutput';
import { optionsProperty } from '../../../shared/requestOptions';
import { downloadIdentDataPdf } from '../../transport';
import { orderIdField, readOrderId } from '../fields';

export const getDataPdf: OperationDefinition = {
	value: 'getDataPdf',
	name: 'Get Data PDF',
	action: 'Get the identification PDF of an order',
	description: 'Download the result PDF with every image (getIdentDataPDF), streamed and decrypted when the credential holds an AES key',
	kind: 'read',
	properties: [orderIdField, binaryFieldProperty('data', 'PDF'), optionsProperty()],
	async execute(itemIndex, call) {
		const orderId = readOrderId(this, itemIndex);
		const field = readBinaryField(this, itemIndex);
		const pdf = await downloadIdentDataPdf(this, orderId, call);
		return { json: { OrderID: orderId, fileName: pdf.fileName ?? null, fileSize: pdf.fileSize ?? null }, binary: { [field]: pdf } };
	},
};
