import type { ResourceDefinition } from '../../../shared/resources';
import { confirmSign } from './confirmSign.operation';
import { getAuditLogPdf } from './getAuditLogPdf.operation';
import { getSignedPdfs } from './getSignedPdfs.operation';
import { getSigningHashes } from './getSigningHashes.operation';
import { requestSign } from './requestSign.operation';
import { resendSignTan } from './resendSignTan.operation';

export const eSign: ResourceDefinition = {
	value: 'eSign',
	name: 'eSign',
	operations: [getSignedPdfs, getSigningHashes, getAuditLogPdf, requestSign, confirmSign, resendSignTan],
};
