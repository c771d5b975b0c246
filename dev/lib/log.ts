/* eslint-disable no-console */
/** Console output for the harness: steps with elapsed time, and progress for the long ones. */

const tty = Boolean(process.stdout.isTTY);
const color = (code: number) => (s: string) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
export const bold = color(1);
export const dim = color(2);
export const red = color(31);
export const green = color(32);
export const yellow = color(33);
export const cyan = color(36);

export function formatDuration(ms: number): string {
	if (ms < 1000) return `${ms}ms`;
	const s = ms / 1000;
	if (s < 60) return `${s.toFixed(1)}s`;
	const m = Math.floor(s / 60);
	return `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}

export function info(message: string): void {
	console.log(message);
}

export function warn(message: string): void {
	console.log(yellow(`! ${message}`));
}

export function error(message: string): void {
	console.error(red(`✗ ${message}`));
}

/** Timings of every step, for the summary line and the report. */
export const timings: Array<{ label: string; ms: number }> = [];

/**
 * Runs one step: prints its label, then a progress line while it runs (a live counter on a terminal,
 * a "still …" line every 30 s otherwise, so CI logs show the step is alive), then its duration.
 * `progress` may return a short detail (e.g. "1.2 GB installed") that is shown with the counter.
 */
export async function step<T>(label: string, fn: () => Promise<T>, progress?: () => string | undefined): Promise<T> {
	const start = Date.now();
	const detail = () => {
		try {
			const d = progress?.();
			return d ? `, ${d}` : '';
		} catch {
			return '';
		}
	};
	let timer: NodeJS.Timeout | undefined;
	if (tty) {
		process.stdout.write(`${cyan('▸')} ${label}…`);
		timer = setInterval(() => {
			process.stdout.write(`\r\x1b[K${cyan('▸')} ${label}… ${dim(`(${formatDuration(Date.now() - start)}${detail()})`)}`);
		}, 1000);
	} else {
		console.log(`▸ ${label}…`);
		timer = setInterval(() => console.log(`  … still: ${label} (${formatDuration(Date.now() - start)}${detail()})`), 30_000);
	}
	const clear = () => {
		clearInterval(timer);
		if (tty) process.stdout.write('\r\x1b[K');
	};
	try {
		const result = await fn();
		clear();
		const ms = Date.now() - start;
		timings.push({ label, ms });
		console.log(`${green('✓')} ${label} ${dim(`(${formatDuration(ms)})`)}`);
		return result;
	} catch (err) {
		clear();
		console.log(`${red('✗')} ${label} ${dim(`(${formatDuration(Date.now() - start)})`)}`);
		throw err;
	}
}
