/**
 * Memory of deliveries already acted on, so a provider's retries start the workflow once. Asking (`hasSeen`) and
 * recording (`remember`) are separate: a trigger asks before it calls anything and records only once its item is
 * built, so a delivery that failed half-way is accepted again when the provider retries it.
 *
 * What this can promise: once per n8n process and workflow. The memory is kept in the workflow's static data and,
 * because n8n 2.40 saves what a webhook writes there only while the stored static data is still empty, also in the
 * process. Processes do not share it: in queue mode, a retry that reaches another webhook process is not seen here.
 * Every trigger item therefore carries a stable `deliveryId` for n8n's database-backed Remove Duplicates node.
 */
import type { IDataObject } from 'n8n-workflow';

import { dropOldest, scopedMemory } from './processMemory';

const DELIVERIES_KEY = 'seenDeliveries';
const DEFAULT_MAX_ENTRIES = 1000;
const DEFAULT_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
const MAX_SCOPES = 1000;

interface SeenDelivery extends IDataObject {
	id: string;
	at: number;
}

export interface DeliveryMemoryOptions {
	maxEntries?: number;
	maxAgeMs?: number;
	now?: number;
	/** The process-wide memory this delivery belongs to, e.g. workflow id + node id. */
	scope?: string;
}

/** Delivery id → when it was remembered, per scope. */
const processMemory = scopedMemory<number>(MAX_SCOPES);

function storedDeliveries(staticData: IDataObject, now: number, maxAgeMs: number): SeenDelivery[] {
	const kept = Array.isArray(staticData[DELIVERIES_KEY]) ? (staticData[DELIVERIES_KEY] as SeenDelivery[]) : [];
	return kept.filter((entry) => now - entry.at <= maxAgeMs);
}

function isFreshIn(memory: Map<string, number> | undefined, id: string, now: number, maxAgeMs: number): boolean {
	const at = memory?.get(id);
	return at !== undefined && now - at <= maxAgeMs;
}

/** Whether `id` was remembered within `maxAgeMs`, in the static data or in this process. */
export function hasSeen(staticData: IDataObject, id: string, options: DeliveryMemoryOptions = {}): boolean {
	const { now = Date.now(), maxAgeMs = DEFAULT_MAX_AGE_MS, scope } = options;
	if (storedDeliveries(staticData, now, maxAgeMs).some((entry) => entry.id === id)) return true;
	return isFreshIn(scope === undefined ? undefined : processMemory.find(scope), id, now, maxAgeMs);
}

/** The ids of `ids` not seen yet, in their order. */
export function unseen(staticData: IDataObject, ids: string[], options: DeliveryMemoryOptions = {}): string[] {
	const { now = Date.now(), maxAgeMs = DEFAULT_MAX_AGE_MS, scope } = options;
	const stored = new Set(storedDeliveries(staticData, now, maxAgeMs).map((entry) => entry.id));
	const memory = scope === undefined ? undefined : processMemory.find(scope);
	return ids.filter((id) => !stored.has(id) && !isFreshIn(memory, id, now, maxAgeMs));
}

/**
 * Records `ids` as seen now. Kept as a plain array in workflow static data (n8n persists it as JSON), oldest first,
 * pruned by age and then by count so it cannot grow without bound.
 */
export function remember(staticData: IDataObject, ids: string[], options: DeliveryMemoryOptions = {}): void {
	const { now = Date.now(), maxAgeMs = DEFAULT_MAX_AGE_MS, maxEntries = DEFAULT_MAX_ENTRIES, scope } = options;
	const recent = storedDeliveries(staticData, now, maxAgeMs);
	const known = new Set(recent.map((entry) => entry.id));
	const memory = scope === undefined ? undefined : processMemory.open(scope);
	for (const id of ids) {
		if (!known.has(id)) recent.push({ id, at: now });
		known.add(id);
		memory?.delete(id);
		memory?.set(id, now);
	}
	if (memory) dropOldest(memory, maxEntries, (at) => now - at > maxAgeMs);
	// A fresh array, assigned at the top level, so n8n notices the change and saves it.
	staticData[DELIVERIES_KEY] = recent.slice(Math.max(0, recent.length - maxEntries));
}
