import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { EeIdPollTrigger } from '../../../nodes/EeId/EeIdPollTrigger.node';
import { runPoll } from '../../harness';
import { useEeIdSandbox } from './fixture';

const trigger = new EeIdPollTrigger();

describe('eeID Poll Trigger', () => {
	const eeid = useEeIdSandbox();
	let staticData: IDataObject;

	beforeEach(() => {
		staticData = {};
	});

	function poll(parameters: INodeParameters = {}, mode: 'trigger' | 'manual' = 'trigger') {
		return runPoll(trigger, { parameters, credentials: eeid.credentials, staticData, mode });
	}

	function seed(reference: string): string {
		return eeid.sandbox.createRequestDirect({ reference, claims_required: [{ type: 'country', value: 'EE' }] }).id;
	}

	function references(output: Awaited<ReturnType<typeof poll>>): unknown[] {
		return (output?.[0] ?? []).map((item) => item.json.reference);
	}

	it('emits each completion once across polls, after a baseline first poll', async () => {
		const before = seed('before');
		await eeid.sandbox.completeRequest(before);
		const a = seed('a');
		const b = seed('b');
		seed('still-pending');

		expect(await poll()).toBeNull();
		await eeid.sandbox.completeRequest(a);
		eeid.sandbox.clock.advance(1000);
		await eeid.sandbox.completeRequest(b);

		const second = await poll();
		expect(references(second)).toEqual(['a', 'b']);
		expect(second![0][0].json).toMatchObject({ provider: 'eeid', status: 'verified', verified: true });
		expect(await poll()).toBeNull();

		const c = seed('c');
		await eeid.sandbox.completeRequest(c);
		expect(references(await poll())).toEqual(['c']);
		expect(await poll()).toBeNull();
	});

	it('emits a completion by another person as failed, with the reason', async () => {
		expect(await poll()).toBeNull();
		const { id } = eeid.sandbox.createRequestDirect({ reference: 'impostor', claims_required: [{ type: 'sub', value: 'EE30303039914' }] });
		await eeid.sandbox.completeRequestAs(id, 'other');
		const output = await poll();
		const json = output![0][0].json as Record<string, any>;
		expect(json).toMatchObject({ reference: 'impostor', status: 'failed', verified: false, raw: null, claimsCheck: { matched: false } });
		expect(json.reason).toEqual(expect.stringContaining('does not match'));
		expect(json.deliveryId).toMatch(/^eeid:/);
	});

	it('emits expired requests only when asked to', async () => {
		expect(await poll({ includeExpired: true })).toBeNull();
		const gone = seed('gone');
		eeid.sandbox.expireRequest(gone);
		const output = await poll({ includeExpired: true });
		expect(references(output)).toEqual(['gone']);
		expect(output![0][0].json).toMatchObject({ status: 'expired', verified: false });

		const ignored = seed('ignored');
		eeid.sandbox.expireRequest(ignored);
		expect(await poll({ includeExpired: false })).toBeNull();
	});

	it('returns the newest finished request in a manual run, without touching the state', async () => {
		const old = seed('old');
		await eeid.sandbox.completeRequest(old);
		eeid.sandbox.clock.advance(5000);
		const recent = seed('recent');
		await eeid.sandbox.completeRequest(recent);
		expect(references(await poll({}, 'manual'))).toEqual(['recent']);
		expect(staticData).toEqual({});
	});
});
