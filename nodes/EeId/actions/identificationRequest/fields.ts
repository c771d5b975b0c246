import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { shapeOutput, type OutputMode } from '../../../shared/output';
import { checkClaims } from '../../claims';
import { normalizeEeIdRequest } from '../../normalize';
import type { EeIdIdentificationRequest } from '../../types';

export const requestIdField: INodeProperties = {
	displayName: 'Identification Request ID',
	name: 'requestId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '497f6eca-6276-4993-bfeb-53cbbbba6f08',
	description: 'The UUID eeID returned when the request was created',
};

/**
 * A request as an output item. Normalized output keeps what a workflow needs next from the request itself: the
 * link to send while it is pending, and how the claims comparison came out (and who made it) once completed.
 */
export function requestItem(request: EeIdIdentificationRequest, mode: OutputMode, extra: IDataObject = {}): INodeExecutionData {
	if (mode === 'raw') return { json: shapeOutput(mode, normalizeEeIdRequest(request), extra) };
	const requestFields: IDataObject = {
		link: request.link ?? null,
		linkExpiresAt: request.link_expires_at ?? null,
		claimsCheck: checkClaims(request) as unknown as IDataObject,
	};
	return { json: shapeOutput(mode, normalizeEeIdRequest(request), { ...requestFields, ...extra }) };
}
