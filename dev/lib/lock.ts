/**
 * One `npm run test:e2e` at a time per checkout: every run rebuilds dist/ and uses the same n8n user folder, so two
 * runs side by side (two terminals, or a developer and a helper script) would break each other. A second run waits.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { setTimeout as sleep } from 'timers/promises';
import { dim, info } from './log';

function holderAlive(lockDir: string): boolean {
	try {
		const pid = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** Takes the lock (waiting while a live process holds it; taking over from a dead one) and returns its release. */
export async function acquireRunLock(lockDir: string): Promise<() => void> {
	let announced = false;
	for (;;) {
		try {
			mkdirSync(lockDir);
			writeFileSync(join(lockDir, 'pid'), String(process.pid));
			const release = () => rmSync(lockDir, { recursive: true, force: true });
			process.once('exit', release);
			return release;
		} catch {
			if (!holderAlive(lockDir)) {
				rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (!announced) info(dim(`  another end-to-end run holds ${lockDir}; waiting for it to finish`));
			announced = true;
			await sleep(2000);
		}
	}
}
