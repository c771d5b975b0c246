/** Every provider's harness module. A new provider adds its file here (and its simulator to the sandbox registry). */
import { eeid } from './eeid';
import { itsme } from './itsme';
import { idin } from './idin';
import { idnow } from './idnow';
import { prepareQueueDemos, queueCases, queueWorkflows } from './queue';
import type { CaseSuite, ProviderHarness } from './types';

export const providers: ProviderHarness[] = [eeid, idin, itsme, idnow];

/**
 * Case files that belong to no provider, each one entry (`CaseSuite`: its cases, and the demo workflows they run with
 * their preparation and the execution modes those need). A queue-mode file adds, beside its import,
 *   { name: 'queue mode', modes: ['queue'], workflows: queueWorkflows, prepare: prepareQueueDemos, cases: queueCases }
 * (its cases say `modes: ['queue']` themselves, so a single-process run prints them as skipped).
 */
export const suites: CaseSuite[] = [
	{ name: 'queue mode', modes: ['queue'], workflows: queueWorkflows, prepare: prepareQueueDemos, cases: queueCases },
];
