import { binaryFieldProperty, maxFileSizeOption, readBinaryField, readMaxBytes } from '../../../shared/binaryOutput';
import type { OperationDefinition } from '../../../shared/resources';
import { optionsProperty } from '../../../shared/requestOptions';
import { DEFAULT_MAX_FILE_MB, downloadAuditLog } from '../../transport';
import { orderIdField, readOrderId } from '../fields';

export const getAuditLogPdf: OperationDefinition = {
	value: 'getAuditLogPdf',
	name: 'Get Audit Log PDF',
	action: 'Get the signing audit log of an order',
	description: 'Download the PDF audit log of the signing process of an AES order (Add 128, status 84), streamed',
	kind: 'read',
	properties: [
		orderIdField,
		binaryFieldProperty('data', 'audit log'),
		optionsProperty([maxFileSizeOption(DEFAULT_MAX_FILE_MB, 'PDF')]),
	],
	async execute(itemIndex, call) {
		const orderId = readOrderId(this, itemIndex);
		const property = readBinaryField(this, itemIndex);
		const maxBytes = readMaxBytes(this, itemIndex, DEFAULT_MAX_FILE_MB);
		const binary = await downloadAuditLog(this, orderId, maxBytes, call);
		return {
			json: { OrderID: orderId, fileName: binary.fileName ?? null, bytes: binary.bytes ?? null },
			binary: { [property]: binary },
		};
	},
};
