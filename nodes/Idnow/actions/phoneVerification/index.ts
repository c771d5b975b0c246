import type { ResourceDefinition } from '../../../shared/resources';
import { proveControl } from './proveControl.operation';
import { request } from './request.operation';
import { resendTan } from './resendTan.operation';

export const phoneVerification: ResourceDefinition = {
	value: 'phoneVerification',
	name: 'Phone Verification',
	operations: [request, proveControl, resendTan],
};
