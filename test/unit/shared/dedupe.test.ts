import type { IDataObject } from 'n8n-workflow';

import { hasSeen, remember, unseen } from '../../../nodes/shared/dedupe';

const DAY = 24 * 60 * 60 * 1000;

/** Process memory lives as long as the module; every test gets scopes of its own. */
let scopeCount = 0;
const newScope = () => `workflow-${++scopeCount}:node-${Math.random()}`;

describe('hasSeen', () => {
	it('is false for an id never remembered, and asking does not remember it', () => {
		const staticData: IDataObject = {};

		expect(hasSeen(staticData, 'evt-1', { now: 1 })).toBe(false);
		expect(hasSeen(staticData, 'evt-1', { now: 2 })).toBe(false);
		expect(staticData).toEqual({});
	});

	it('is true once the id was remembered', () => {
		const staticData: IDataObject = {};
		remember(staticData, ['evt-1'], { now: 1000 });

		expect(hasSeen(staticData, 'evt-1', { now: 2000 })).toBe(true);
		expect(hasSeen(staticData, 'evt-2', { now: 2000 })).toBe(false);
	});

	it('forgets ids older than maxAgeMs (default 7 days)', () => {
		const staticData: IDataObject = {};
		remember(staticData, ['evt-1'], { now: 0 });

		expect(hasSeen(staticData, 'evt-1', { now: 7 * DAY })).toBe(true);
		expect(hasSeen(staticData, 'evt-1', { now: 7 * DAY + 1 })).toBe(false);
		expect(hasSeen(staticData, 'evt-1', { now: 100, maxAgeMs: 99 })).toBe(false);
	});

	it('reads static data that went through JSON, as n8n persists it', () => {
		const staticData: IDataObject = {};
		remember(staticData, ['evt-1', '42'], { now: 5 });

		const restored = JSON.parse(JSON.stringify(staticData)) as IDataObject;

		expect(hasSeen(restored, 'evt-1', { now: 7 })).toBe(true);
		expect(hasSeen(restored, '42', { now: 8 })).toBe(true);
	});

	it('ignores static data of another shape', () => {
		expect(hasSeen({ seenDeliveries: 'corrupt' }, 'evt-1', { now: 1 })).toBe(false);
	});
});

describe('unseen', () => {
	it('returns the ids not remembered yet, in their order, without remembering them', () => {
		const staticData: IDataObject = {};
		remember(staticData, ['b', 'd'], { now: 1 });

		expect(unseen(staticData, ['a', 'b', 'c', 'd', 'e'], { now: 2 })).toEqual(['a', 'c', 'e']);
		expect(unseen(staticData, ['a', 'c'], { now: 3 })).toEqual(['a', 'c']);
	});

	it('counts ids past maxAgeMs as unseen again', () => {
		const staticData: IDataObject = {};
		remember(staticData, ['old'], { now: 0 });
		remember(staticData, ['new'], { now: 50 });

		expect(unseen(staticData, ['old', 'new'], { now: 120, maxAgeMs: 100 })).toEqual(['old']);
	});

	it('also consults the process memory of its scope', () => {
		const scope = newScope();
		remember({}, ['a'], { now: 1, scope });

		expect(unseen({}, ['a', 'b'], { now: 2, scope })).toEqual(['b']);
		expect(unseen({}, ['a', 'b'], { now: 2, scope: newScope() })).toEqual(['a', 'b']);
	});
});

describe('remember', () => {
	it('records every id once, oldest first', () => {
		const staticData: IDataObject = {};
		remember(staticData, ['a', 'b', 'a'], { now: 1 });
		remember(staticData, ['b', 'c'], { now: 2 });

		expect(staticData.seenDeliveries).toEqual([
			{ id: 'a', at: 1 },
			{ id: 'b', at: 1 },
			{ id: 'c', at: 2 },
		]);
	});

	it('keeps at most maxEntries, dropping the oldest first', () => {
		const staticData: IDataObject = {};
		for (let index = 0; index < 5; index++) remember(staticData, [`evt-${index}`], { now: index, maxEntries: 3 });

		expect(unseen(staticData, ['evt-0', 'evt-1', 'evt-2', 'evt-3', 'evt-4'], { now: 10 })).toEqual(['evt-0', 'evt-1']);
		expect(staticData.seenDeliveries).toHaveLength(3);
	});

	it('drops entries older than maxAgeMs when it writes', () => {
		const staticData: IDataObject = {};
		remember(staticData, ['old'], { now: 0, maxAgeMs: 100 });
		remember(staticData, ['new'], { now: 200, maxAgeMs: 100 });

		expect(staticData.seenDeliveries).toEqual([{ id: 'new', at: 200 }]);
	});

	it('stays plain JSON', () => {
		const staticData: IDataObject = {};
		remember(staticData, ['evt-1'], { now: 5 });

		expect(JSON.parse(JSON.stringify(staticData))).toEqual(staticData);
	});

	it('assigns a new value on every call, so n8n notices the change', () => {
		const staticData: IDataObject = {};
		remember(staticData, ['evt-1'], { now: 1 });
		const before = staticData.seenDeliveries;

		remember(staticData, ['evt-2'], { now: 2 });

		expect(staticData.seenDeliveries).not.toBe(before);
	});

	it('leaves other static data alone', () => {
		const staticData: IDataObject = { lastPoll: '2025-01-01' };
		remember(staticData, ['evt-1'], { now: 1 });
		expect(staticData.lastPoll).toBe('2025-01-01');
	});

	it('remembers nothing in the process without a scope', () => {
		remember({}, ['no-scope-evt'], { now: 1 });

		expect(hasSeen({}, 'no-scope-evt', { now: 2 })).toBe(false);
	});
});

describe('process memory (scope)', () => {
	it('still recognises a delivery when n8n did not save the static data', () => {
		const scope = newScope();
		remember({}, ['evt-1'], { now: 1, scope });

		// A fresh object each time: what a webhook sees when n8n dropped the previous change.
		expect(hasSeen({}, 'evt-1', { now: 2, scope })).toBe(true);
		expect(unseen({}, ['evt-1'], { now: 2, scope })).toEqual([]);
	});

	it('keeps scopes apart', () => {
		const scope = newScope();
		remember({}, ['evt-1'], { now: 1, scope });

		expect(hasSeen({}, 'evt-1', { now: 2, scope: `${scope}-other` })).toBe(false);
		expect(hasSeen({}, 'evt-1', { now: 2 })).toBe(false);
	});

	it('forgets by age', () => {
		const scope = newScope();
		remember({}, ['old'], { now: 0, scope, maxAgeMs: 100 });

		expect(hasSeen({}, 'old', { now: 100, scope, maxAgeMs: 100 })).toBe(true);
		expect(hasSeen({}, 'old', { now: 101, scope, maxAgeMs: 100 })).toBe(false);
	});

	it('is bounded by maxEntries, dropping the oldest first', () => {
		const scope = newScope();
		const options = { scope, maxEntries: 2, maxAgeMs: 100 };
		for (const [index, id] of ['x', 'y', 'z'].entries()) remember({}, [id], { ...options, now: 200 + index });

		expect(unseen({}, ['x', 'y', 'z'], { ...options, now: 210 })).toEqual(['x']);
	});

	it('drops entries past maxAgeMs when it writes', () => {
		const scope = newScope();
		const options = { scope, maxAgeMs: 100 };
		remember({}, ['old'], { ...options, now: 0 });
		remember({}, ['new'], { ...options, now: 500 });

		// Asked with a longer age, the old entry would count if it had been kept.
		expect(hasSeen({}, 'old', { scope, now: 500, maxAgeMs: 1000 })).toBe(false);
		expect(hasSeen({}, 'new', { scope, now: 500, maxAgeMs: 1000 })).toBe(true);
	});

	it('refreshes an id remembered again, so it is kept as the newest', () => {
		const scope = newScope();
		const options = { scope, maxEntries: 2 };
		remember({}, ['a'], { ...options, now: 1 });
		remember({}, ['b'], { ...options, now: 2 });
		remember({}, ['a'], { ...options, now: 3 });
		remember({}, ['c'], { ...options, now: 4 });

		expect(unseen({}, ['a', 'b', 'c'], { ...options, now: 5 })).toEqual(['b']);
	});
});
