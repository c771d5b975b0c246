/** What every benchmark reports, and the small statistics they share. */

export interface Result {
	name: string;
	value: number;
	unit: string;
	/** Undefined: a figure reported for the record, with no target to meet. */
	target?: number;
	/** Whether bigger is better. */
	higherIsBetter: boolean;
	/** The value must equal the target exactly. */
	exact?: boolean;
	/** The figures behind the value, printed under it. */
	details?: string[];
}

export function met(result: Result): boolean {
	if (result.target === undefined) return true;
	if (result.exact) return result.value === result.target;
	return result.higherIsBetter ? result.value >= result.target : result.value <= result.target;
}

export function targetText(result: Result): string {
	if (result.target === undefined) return 'no target, reported';
	if (result.exact) return `target = ${result.target}`;
	return `target ${result.higherIsBetter ? '>=' : '<='} ${result.target}`;
}

/** The q-quantile (0..1) of the values, nearest-rank (the value itself, never an interpolation). */
export function quantile(values: number[], q: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
	return sorted[rank - 1];
}

export function median(values: number[]): number {
	return quantile(values, 0.5);
}

export function round(value: number, digits = 0): number {
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
}

/** Runs `task` over `items` with at most `limit` in flight; results in input order. */
export async function pool<T, R>(items: T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await task(items[index], index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
	return results;
}

/** The sizes the real-n8n benchmarks run at: `--sizes 10,100` on the command line, else 10, 100 and 1,000. */
export function benchSizes(args: string[]): number[] {
	const index = args.indexOf('--sizes');
	if (index === -1) return [10, 100, 1000];
	const sizes = String(args[index + 1] ?? '')
		.split(',')
		.map(Number)
		.filter((n) => Number.isInteger(n) && n > 0);
	if (sizes.length === 0) throw new Error('--sizes needs whole numbers, e.g. --sizes 10,100');
	return sizes;
}
