import type { ResourceDefinition } from '../../../shared/resources';
import { getVideo } from './getVideo.operation';
import { getVoiceFiles } from './getVoiceFiles.operation';
import { requestVideoProvisioning } from './requestVideoProvisioning.operation';

export const recording: ResourceDefinition = {
	value: 'recording',
	name: 'Recording',
	operations: [requestVideoProvisioning, getVideo, getVoiceFiles],
};
