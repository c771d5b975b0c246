/**
 * The editor, in a real browser: log in, show each demo workflow, find a provider's nodes in the node panel by
 * searching, put a trigger and an action on the canvas and open their parameters. Screenshots go to
 * test-artifacts/; with --update-screenshots the ones the README shows are copied to docs/screenshots/.
 */
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'fs';
import { basename, join } from 'path';
import type { ProviderHarness, Stack } from '../providers/types';
import { launchChromium, type Page } from './browser';
import { artifactsDirFor, screenshotsDir } from './paths';

const VIEWPORT = { width: 1440, height: 900 };

export async function logIn(page: Page, stack: Stack): Promise<void> {
	await page.goto(`${stack.n8n.url}/signin`, { waitUntil: 'domcontentloaded' });
	const { editor } = stack.release.differences;
	await page.locator(editor.signinEmail).fill(stack.owner.email);
	await page.locator(editor.signinPassword).fill(stack.owner.password);
	await page.locator('[data-test-id="form-submit-button"]').click();
	await page.waitForURL((url) => !url.pathname.includes('/signin'), { timeout: 30_000 });
}

async function closeNdv(page: Page, stack: Stack): Promise<void> {
	const close = page.locator(stack.release.differences.editor.closeNdv);
	if (await close.isVisible()) await close.click();
	else await page.keyboard.press('Escape');
	await page.locator('[data-test-id="ndv"]').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
}

/** Types into the node panel's search and waits until `expected` are listed; returns every listed name. */
async function searchNodePanel(page: Page, term: string, expected: string[]): Promise<string[]> {
	const search = page.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]').first();
	await search.waitFor({ state: 'visible' });
	await search.fill(term);
	const names = page.locator('[data-test-id="node-creator"] [data-test-id="item-iterator-item"] [data-test-id="node-creator-item-name"]');
	const deadline = Date.now() + 15_000;
	for (;;) {
		const listed = (await names.allInnerTexts()).map((t) => t.trim());
		const missing = expected.filter((name) => !listed.includes(name));
		if (!missing.length) return listed;
		if (Date.now() > deadline) throw new Error(`searching "${term}" in the node panel did not list ${missing.join(', ')} (listed: ${listed.join(', ')})`);
		await page.waitForTimeout(300);
	}
}

/** A listed entry of the node panel, by its exact name. */
function listedItem(page: Page, name: string) {
	const exactName = page.locator('[data-test-id="node-creator-item-name"]').filter({ hasText: new RegExp(`^\\s*${escapeRegExp(name)}\\s*$`) });
	return page.locator('[data-test-id="node-creator"] [data-test-id="item-iterator-item"]').filter({ has: exactName }).first();
}

/**
 * Clicks a listed entry and, when it opens the entry's triggers and actions, the one whose text is `entry`
 * (screenshot `detailsShot` of that list first). Ends with the node on the canvas and its parameters open.
 */
async function place(page: Page, item: string, entry: string | undefined, shot: (name: string) => Promise<void>, detailsShot: string): Promise<void> {
	await listedItem(page, item).click();
	if (entry) {
		const choice = page.locator('[data-test-id="node-creator"]').getByText(entry, { exact: true }).first();
		await choice.waitFor({ state: 'visible', timeout: 15_000 });
		await page.waitForTimeout(300);
		await shot(detailsShot);
		await choice.click();
	}
	await expectParameters(page, entry ? `${item}: ${entry}` : item);
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Opens the NDV's parameters and checks they show (the node's own parameter inputs are rendered). */
async function expectParameters(page: Page, what: string): Promise<void> {
	await page.locator('[data-test-id="ndv"]').waitFor({ state: 'visible', timeout: 15_000 });
	const params = page.locator('[data-test-id="node-parameters"]');
	await params.waitFor({ state: 'visible', timeout: 15_000 });
	const count = await page.locator('[data-test-id="node-parameters"] [data-test-id="parameter-item"]').count();
	if (count === 0) throw new Error(`${what}: the parameters panel shows no parameters`);
}

/** A webhook trigger's NDV: unfold "Webhook URLs" and pick the production URL, as a user setting it up would. */
async function showProductionUrl(page: Page): Promise<void> {
	const toggle = page.locator('[data-test-id="ndv"]').getByText('Webhook URLs', { exact: true }).first();
	if (!(await toggle.isVisible())) return;
	await toggle.click();
	const production = page.locator('[data-test-id="ndv"]').getByText('Production URL', { exact: true }).first();
	await production.waitFor({ state: 'visible', timeout: 5000 }).catch(() => undefined);
	if (await production.isVisible()) await production.click();
}

export interface BrowserResult {
	screenshots: string[];
	published: string[];
}

/** The browser check of one provider. Throws on the first step that fails (with a screenshot of that moment). */
/** Screenshots the README shows, copied to docs/screenshots/ (names without the provider prefix). */
export function isPublished(name: string): boolean {
	return name.startsWith('workflow-') || ['node-panel-search', 'trigger-parameters', 'action-parameters'].includes(name);
}

export async function browserCheck(stack: Stack, provider: ProviderHarness, updateDocs: boolean): Promise<BrowserResult> {
	const spec = provider.browser;
	if (!spec) return { screenshots: [], published: [] };
	const outDir = join(artifactsDirFor(stack.release), 'screenshots');
	mkdirSync(outDir, { recursive: true });
	for (const old of readdirSync(outDir).filter((f) => f.startsWith(`${provider.provider}-`))) rmSync(join(outDir, old));
	const screenshots: string[] = [];
	const { browser, close } = await launchChromium(stack.release.paths);
	const context = await browser.newContext({ viewport: VIEWPORT });
	const page = await context.newPage();
	page.setDefaultTimeout(30_000);
	const shot = async (name: string) => {
		const path = join(outDir, `${provider.provider}-${name}.png`);
		await page.screenshot({ path });
		screenshots.push(path);
	};
	try {
		await logIn(page, stack);
		await shot('01-after-login');

		// Each demo workflow, as the README shows it.
		for (const demo of provider.workflows) {
			const imported = stack.workflows.get(demo.file)!;
			await page.goto(`${stack.n8n.url}/workflow/${imported.id}`, { waitUntil: 'domcontentloaded' });
			await page.locator('[data-test-id="canvas-node"]').first().waitFor({ state: 'visible' });
			await page.locator('[data-test-id="zoom-to-fit"]').click();
			await page.waitForTimeout(800);
			await shot(`workflow-${basename(demo.file, '.json')}`);
		}

		// The node panel: searching finds every node of the provider.
		await page.goto(`${stack.n8n.url}/workflow/new`, { waitUntil: 'domcontentloaded' });
		await page.locator('[data-test-id="canvas-plus-button"]').click();
		await searchNodePanel(page, spec.search, spec.listed);
		await page.waitForTimeout(300);
		await shot('node-panel-search');

		// A trigger on the empty canvas, its parameters open.
		await place(page, spec.trigger.item, spec.trigger.entry, shot, 'node-triggers');
		await showProductionUrl(page);
		await page.waitForTimeout(500);
		await shot('trigger-parameters');
		await closeNdv(page, stack);

		// An action after it: the entry's actions, then the action's parameters.
		if (spec.action) {
			await page.locator('[data-test-id="node-creator-plus-button"]').click();
			await searchNodePanel(page, spec.search, [spec.action.item]);
			await place(page, spec.action.item, spec.action.entry, shot, 'node-actions');
			await page.waitForTimeout(500);
			await shot('action-parameters');
			await closeNdv(page, stack);
		}
		const onCanvas = await page.locator('[data-test-id="canvas-node"]').count();
		if (onCanvas < (spec.action ? 2 : 1)) throw new Error(`expected the placed nodes on the canvas, found ${onCanvas}`);
		await page.locator('[data-test-id="zoom-to-fit"]').click();
		await page.waitForTimeout(500);
		await shot('canvas');
	} catch (error) {
		await shot('failure').catch(() => undefined);
		throw error;
	} finally {
		await close();
	}

	// The README's pictures change only when asked for, so that a test run leaves the work tree as it was.
	const published: string[] = [];
	if (!updateDocs) return { screenshots, published };
	mkdirSync(screenshotsDir, { recursive: true });
	for (const path of screenshots) {
		const name = basename(path, '.png').slice(provider.provider.length + 1);
		if (isPublished(name)) {
			const target = join(screenshotsDir, basename(path));
			copyFileSync(path, target);
			published.push(target);
		}
	}
	return { screenshots, published };
}
