import { IDNOW_TEST_ACCOUNT } from './index';
import { apiClient, TESTROBOT_DELAY_MS, useSimulator } from './testing';

const context = useSimulator();
const api = apiClient(context);

async function page(url: string, form?: Record<string, string>): Promise<{ status: number; html: string }> {
	const response = await fetch(url, {
		method: form ? 'POST' : 'GET',
		headers: form ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
		body: form ? new URLSearchParams(form).toString() : undefined,
	});
	return { status: response.status, html: await response.text() };
}

async function order(
	body: Record<string, unknown> = {},
): Promise<{ orderId: string; targetUrl: string; deepLinkUrl: string }> {
	const answer = await api('PUT', 'putOrder', {
		body: { Product: 12, getTargetLink: true, getDeepLink: true, Ref: 'page-1', ...body },
	});
	return { orderId: answer.body.OrderID, targetUrl: answer.body.TargetURL, deepLinkUrl: answer.body.DeepLinkURL };
}

describe('the landing page behind TargetURL and DeepLinkURL', () => {
	it('offers the four Testrobot outcomes as plain form buttons', async () => {
		const { orderId, targetUrl, deepLinkUrl } = await order();
		for (const url of [targetUrl, deepLinkUrl]) {
			const { status, html } = await page(url);
			expect(status).toBe(200);
			expect(html).toContain(`<dd id="order-id">${orderId}</dd>`);
			for (const outcome of ['positive', 'negative', 'fraud', 'cancel']) {
				expect(html).toContain(`<button type="submit" name="outcome" value="${outcome}">`);
			}
			expect(html).toContain('<input type="checkbox" name="immediate" value="1">');
		}
		expect(context.idnow.landingUrl(orderId)).toBe(targetUrl);
	});

	it('runs the chosen outcome on the Testrobot delay, then shows the result and the redirect', async () => {
		const { orderId, targetUrl } = await order({
			RedirectURL: { Success: 'https://shop.example/ok?order=[OrderID]', Abort: 'https://shop.example/abort' },
		});
		const started = await page(targetUrl, { outcome: 'positive' });
		expect(started.status).toBe(200);
		expect(started.html).toContain(
			'Outcome chosen: positive. The order reaches its result at 2025-03-01T10:30:20+01:00 on the sandbox clock.',
		);
		expect((await page(targetUrl, { outcome: 'negative' })).status).toBe(409);
		await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
		const done = await page(targetUrl);
		expect(done.html).toContain('This identification is finished: 6 Identification positively conducted.');
		expect(done.html).toContain(`<a id="redirect" href="https://shop.example/ok?order=${orderId}">`);
		expect((await page(targetUrl, { outcome: 'fraud' })).status).toBe(409);
	});

	it('finishes at once when asked, and cancel is the person refusing (16) with the Abort redirect', async () => {
		const { orderId, targetUrl } = await order({ RedirectURL: { Abort: 'https://shop.example/abort?ref=[Ref]' } });
		const done = await page(targetUrl, { outcome: 'cancel', immediate: '1' });
		expect(done.html).toContain('16 Identification refused by customer');
		expect(done.html).toContain('href="https://shop.example/abort?ref=page-1"');
		expect(context.idnow.order(orderId).final).toBe(true);
		const fraud = await order();
		await page(fraud.targetUrl, { outcome: 'fraud', immediate: '1' });
		expect(context.idnow.order(fraud.orderId).fraudAttempt).toBe(true);
	});

	it('shows a running Testrobot, refuses bad choices and unknown links', async () => {
		const { targetUrl } = await order({ Autotest: 'POSITIVE' });
		expect((await page(targetUrl)).html).toContain('<p id="running">');
		expect((await page(targetUrl, { outcome: 'positive' })).status).toBe(409);
		const open = await order();
		expect((await page(open.targetUrl, { outcome: 'maybe' })).status).toBe(400);
		expect((await page(`${context.base}/status/0000`)).status).toBe(404);
	});

	it('lists the documents of an eSign order', async () => {
		context.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, { customerSideSigning: false });
		const { targetUrl } = await order({
			Product: 15,
			eSignPDF: { Data: Buffer.from('%PDF-1.4 x').toString('base64'), Filename: 'contract.pdf' },
		});
		expect((await page(targetUrl)).html).toContain('<li>contract.pdf</li>');
	});
});
