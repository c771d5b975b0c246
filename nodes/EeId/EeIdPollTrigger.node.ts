import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { isDuplicateDelivery } from '../shared/webhookSecurity';
import { normalizeEeIdRequest } from './normalize';
import { listIdentificationRequests } from './transport';
import type { EeIdIdentificationRequest } from './types';

/** Remembered long enough to outlive eeID's own retention of finished requests. */
const EMITTED_MEMORY = { maxEntries: 100_000, maxAgeMs: 90 * 24 * 60 * 60 * 1000 };

function isReportable(request: EeIdIdentificationRequest, includeExpired: boolean): boolean {
	return request.status === 'completed' || (includeExpired && request.status === 'expired');
}

function finishedAt(request: EeIdIdentificationRequest): string {
	return request.completed_at ?? request.link_expires_at ?? request.created_at ?? '';
}

function newestFirst(a: EeIdIdentificationRequest, b: EeIdIdentificationRequest): number {
	return finishedAt(b).localeCompare(finishedAt(a));
}

function toItem(request: EeIdIdentificationRequest): INodeExecutionData {
	return { json: normalizeEeIdRequest(request) as unknown as IDataObject };
}

export class EeIdPollTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'eeID Poll Trigger',
		name: 'eeIdPollTrigger',
		icon: { light: 'file:../../icons/eeid.svg', dark: 'file:../../icons/eeid.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '=Completed identification requests',
		description:
			'Starts the workflow for each eeID identification request that completed since the last check, for n8n instances eeID cannot reach',
		defaults: { name: 'eeID Poll Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'eeIdApi', required: true }],
		properties: [
			{
				displayName: 'Include Expired Requests',
				name: 'includeExpired',
				type: 'boolean',
				default: false,
				description: 'Whether requests whose link expired unused also start the workflow (status expired)',
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const includeExpired = this.getNodeParameter('includeExpired', false) as boolean;
		const finished = (await listIdentificationRequests(this))
			.filter((request) => isReportable(request, includeExpired))
			.sort(newestFirst);

		// A manual run has no persisted state: show the newest so the user sees the shape of the data.
		if (this.getMode() === 'manual') return finished.length ? [[toItem(finished[0])]] : null;

		const state = this.getWorkflowStaticData('node');
		const firstPoll = state.primed !== true;
		state.primed = true;
		// Everything already finished when the trigger was switched on is the baseline, not news.
		const fresh = finished.filter((request) => !isDuplicateDelivery(state, request.id, EMITTED_MEMORY));
		if (firstPoll || fresh.length === 0) return null;
		return [fresh.reverse().map(toItem)];
	}
}
