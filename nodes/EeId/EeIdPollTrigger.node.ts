import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { remember, unseen } from '../shared/dedupe';
import { checkClaims } from './claims';
import { EEID_CREDENTIAL, EEID_ICON } from './constants';
import { isFinal, normalizeEeIdRequest } from './normalize';
import { listIdentificationRequests } from './transport';
import type { EeIdIdentificationRequest } from './types';
import { eeIdDeliveryId } from './webhook';

/**
 * Emitted requests are remembered for 30 days; anything that finished longer ago is no news and is not even
 * compared, so the memory holds one month of completions at most.
 */
const EMITTED_MEMORY = { maxEntries: 50_000, maxAgeMs: 30 * 24 * 60 * 60 * 1000 };

function finishedRecently(request: EeIdIdentificationRequest, now: number): boolean {
	return now - Date.parse(finishedAt(request)) <= EMITTED_MEMORY.maxAgeMs;
}

function isReportable(request: EeIdIdentificationRequest, includeExpired: boolean): boolean {
	return request.status === 'completed' || (includeExpired && isFinal(request));
}

function finishedAt(request: EeIdIdentificationRequest): string {
	return request.completed_at ?? request.link_expires_at ?? request.created_at ?? '';
}

function newestFirst(a: EeIdIdentificationRequest, b: EeIdIdentificationRequest): number {
	return finishedAt(b).localeCompare(finishedAt(a));
}

function toItem(request: EeIdIdentificationRequest): INodeExecutionData {
	const json = normalizeEeIdRequest(request) as unknown as IDataObject;
	return { json: { ...json, raw: null, deliveryId: eeIdDeliveryId(request.client_id ?? '', request.id), claimsCheck: checkClaims(request) as unknown as IDataObject } };
}

export class EeIdPollTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'eeID Poll Trigger',
		name: 'eeIdPollTrigger',
		icon: EEID_ICON,
		group: ['trigger'],
		version: 1,
		subtitle: '=Completed identification requests',
		description:
			'Starts the workflow for each eeID identification request that completed since the last check, for n8n instances eeID cannot reach',
		defaults: { name: 'eeID Poll Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: EEID_CREDENTIAL, required: true }],
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
		const now = Date.now();
		const oldestFirst = finished.filter((request) => finishedRecently(request, now)).reverse();
		const memory = { ...EMITTED_MEMORY, now };
		const fresh = new Set(unseen(state, oldestFirst.map((request) => request.id), memory));
		remember(state, [...fresh], memory);
		if (firstPoll || fresh.size === 0) return null;
		return [oldestFirst.filter((request) => fresh.has(request.id)).map(toItem)];
	}
}
