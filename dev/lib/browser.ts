/**
 * Chromium from Debian's packages (/usr/bin/chromium), driven by playwright-core from the harness
 * (dev/n8n/node_modules). Never a downloaded browser. The types below are the few parts of Playwright's API this
 * harness uses, so that type-checking this repository does not need the harness installed.
 */
import { existsSync } from 'fs';
import { createRequire } from 'module';
import { join } from 'path';
import type { HarnessPaths } from './n8nVersions';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Locator {
	click(options?: { timeout?: number; force?: boolean }): Promise<void>;
	fill(value: string, options?: { timeout?: number }): Promise<void>;
	press(key: string): Promise<void>;
	waitFor(options?: { state?: 'attached' | 'visible' | 'hidden'; timeout?: number }): Promise<void>;
	first(): Locator;
	nth(index: number): Locator;
	count(): Promise<number>;
	isVisible(): Promise<boolean>;
	allInnerTexts(): Promise<string[]>;
	innerText(): Promise<string>;
	hover(): Promise<void>;
	filter(options: { hasText?: string | RegExp; has?: Locator }): Locator;
	locator(selector: string): Locator;
	getByText(text: string | RegExp, options?: { exact?: boolean }): Locator;
	screenshot(options: { path: string }): Promise<Buffer>;
}

export interface Page {
	goto(url: string, options?: { waitUntil?: 'load' | 'domcontentloaded' | 'networkidle'; timeout?: number }): Promise<unknown>;
	locator(selector: string): Locator;
	getByText(text: string | RegExp, options?: { exact?: boolean }): Locator;
	getByRole(role: string, options?: { name?: string | RegExp; exact?: boolean }): Locator;
	getByPlaceholder(text: string | RegExp): Locator;
	screenshot(options: { path: string; fullPage?: boolean }): Promise<Buffer>;
	waitForURL(url: string | RegExp | ((url: URL) => boolean), options?: { timeout?: number }): Promise<void>;
	waitForTimeout(ms: number): Promise<void>;
	keyboard: { press(key: string): Promise<void>; type(text: string): Promise<void> };
	url(): string;
	content(): Promise<string>;
	on(event: 'console' | 'pageerror', handler: (arg: any) => void): void;
	setDefaultTimeout(ms: number): void;
}

export interface Browser {
	newContext(options?: { viewport?: { width: number; height: number }; deviceScaleFactor?: number }): Promise<{ newPage(): Promise<Page>; close(): Promise<void> }>;
	close(): Promise<void>;
}

/** Why the browser check cannot run here, or undefined when it can. */
export function browserUnavailable(paths: HarnessPaths): string | undefined {
	if (!existsSync(chromiumPath)) {
		return `no Chromium at ${chromiumPath} (install Debian's package: apt-get install chromium, or set CHROMIUM_PATH)`;
	}
	if (!existsSync(join(paths.modules, 'playwright-core'))) return `playwright-core is not installed in ${paths.label}`;
	return undefined;
}

/** Starts headless Chromium with the flags this machine's closed network needs (Playwright gives it a fresh profile). */
export async function launchChromium(paths: HarnessPaths): Promise<{ browser: Browser; close(): Promise<void> }> {
	const playwright = createRequire(join(paths.dir, 'package.json'))('playwright-core');
	const browser: Browser = await playwright.chromium.launch({
		executablePath: chromiumPath,
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--disable-dev-shm-usage',
		],
	});
	return {
		browser,
		async close() {
			await browser.close().catch(() => undefined);
		},
	};
}
