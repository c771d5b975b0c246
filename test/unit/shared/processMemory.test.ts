import { dropOldest, scopedMemory } from '../../../nodes/shared/processMemory';

describe('scopedMemory', () => {
	it('finds nothing for a scope never opened, and finding does not create it', () => {
		const memory = scopedMemory<number>(2);

		expect(memory.find('a')).toBeUndefined();
		expect(memory.find('a')).toBeUndefined();
	});

	it('opens one map per scope and hands the same one back', () => {
		const memory = scopedMemory<number>(2);
		memory.open('a').set('x', 1);

		expect(memory.open('a')).toBe(memory.find('a'));
		expect(memory.find('a')?.get('x')).toBe(1);
		expect(memory.find('b')).toBeUndefined();
	});

	it('drops the oldest scope when all places are taken', () => {
		const memory = scopedMemory<number>(2);
		memory.open('a');
		memory.open('b');
		memory.open('c');

		expect(memory.find('a')).toBeUndefined();
		expect(memory.find('b')).toBeDefined();
		expect(memory.find('c')).toBeDefined();
	});

	it('keeps two memories apart', () => {
		const first = scopedMemory<number>(1);
		const second = scopedMemory<number>(1);
		first.open('a').set('x', 1);

		expect(second.find('a')).toBeUndefined();
	});
});

describe('dropOldest', () => {
	const entries = (...values: number[]) => new Map(values.map((value, index) => [`k${index}`, value]));

	it('drops stale entries from the oldest on, up to the first fresh one', () => {
		const map = entries(1, 2, 10, 3);
		dropOldest(map, 10, (value) => value < 5);

		expect([...map.values()]).toEqual([10, 3]);
	});

	it('drops the oldest entries beyond the maximum, fresh or not', () => {
		const map = entries(10, 11, 12, 13);
		dropOldest(map, 2, () => false);

		expect([...map.values()]).toEqual([12, 13]);
	});

	it('leaves a map of fresh entries within the maximum alone', () => {
		const map = entries(10, 11);
		dropOldest(map, 2, () => false);

		expect(map.size).toBe(2);
	});
});
