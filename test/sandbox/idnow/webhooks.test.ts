import { SandboxClock } from '../framework';
import { IDNOW_SECOND_ACCOUNT, IDNOW_TEST_ACCOUNT, IdnowSimulator, webhookRetrySchedule } from './index';
import { apiClient, control, START, TESTROBOT_DELAY_MS, useReceiver, useSimulator, type Credentials } from './testing';

const context = useSimulator({ webhookTimeoutMs: 300 });
const receiver = useReceiver();
const api = apiClient(context);
const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;

async function create(body: Record<string, unknown>, credentials: Credentials = IDNOW_TEST_ACCOUNT): Promise<string> {
	const answer = await api('PUT', 'putOrder', { body: { Product: 12, ...body }, credentials });
	expect(answer.status).toBe(202);
	return answer.body.OrderID;
}

function hook(path: string): string {
	return `${receiver.origin}/hook/${path}`;
}

describe('webhook calls (2.6)', () => {
	it('substitutes [OrderID] and [Ref] (URL-encoded) and calls by GET without a body', async () => {
		const orderId = await create({
			Ref: 'Kunde 4711/ä',
			Autotest: 'POSITIVE',
			WebhookURL: { OnFinal: hook('final?orderID=[OrderID]&ref=[Ref]&code=[statusCode]') },
		});
		await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
		expect(receiver.received()).toEqual([
			{
				method: 'GET',
				path: '/hook/final',
				query: { orderID: orderId, ref: 'Kunde 4711/ä', code: '[statusCode]' },
				body: '',
			},
		]);
		const [attempt] = context.idnow.webhookAttempts();
		expect(attempt).toMatchObject({
			kind: 'automatic',
			webhook: 'OnFinal',
			statusCode: 6,
			attempt: 1,
			status: 200,
			acknowledged: true,
		});
		expect(attempt.url).toContain('ref=Kunde%204711%2F%C3%A4');
	});

	it('calls by POST or PUT when the account says so, still without a body', async () => {
		context.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, { webhookMethod: 'PUT' });
		await create({ Autotest: 'NEGATIVE', WebhookURL: { OnFinal: hook('put') } });
		await create({ Autotest: 'NEGATIVE', WebhookURL: { OnFinal: hook('post') } }, IDNOW_SECOND_ACCOUNT);
		await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
		const calls = receiver.received().map((call) => [call.method, call.path, call.body]);
		expect(calls.sort()).toEqual([
			['POST', '/hook/post', ''],
			['PUT', '/hook/put', ''],
		]);
	});

	it('sends each kind at its moment: AfterVideo and AfterIdent once, OnStatusChange per status with [statusCode]', async () => {
		const orderId = await create({
			Autotest: 'POSITIVE',
			WebhookURL: {
				AfterVideo: hook('after-video'),
				OnFinal: hook('final'),
				OnStatusChange: hook('status/[statusCode]'),
			},
		});
		context.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, {
			webhooks: { AfterIdent: hook('after-ident'), OnFinal: hook('account-final') },
		});
		await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
		const paths = receiver.received().map((call) => call.path);
		expect(paths).toEqual([
			'/hook/status/25',
			'/hook/status/77',
			'/hook/status/78',
			'/hook/after-video',
			'/hook/status/79',
			'/hook/after-ident',
			'/hook/status/75',
			'/hook/status/104',
			'/hook/status/105',
			'/hook/status/106',
			'/hook/final',
			'/hook/status/6',
			'/hook/status/23',
			'/hook/status/80',
		]);
		expect(context.idnow.webhookEvents().every((event) => event.orderId === orderId)).toBe(true);
	});

	it("limits OnStatusChange to the account's configured codes", async () => {
		context.idnow.configureAccount(IDNOW_TEST_ACCOUNT.user, {
			statusChangeCodes: [6, 17],
			webhooks: { OnStatusChange: hook('s/[statusCode]') },
		});
		await create({ Autotest: 'POSITIVE' });
		await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
		expect(receiver.received().map((call) => call.path)).toEqual(['/hook/s/6']);
	});

	it('sends OnVideoError for status 21 and OnError for 29', async () => {
		const orderId = await create({ WebhookURL: { OnVideoError: hook('video-error'), OnError: hook('error') } });
		context.idnow.setStatus(orderId, { kind: 21, subKind: 14 });
		context.idnow.setStatus(orderId, { kind: 29, subKind: 63 });
		await context.idnow.settle();
		expect(receiver.received().map((call) => call.path)).toEqual(['/hook/video-error', '/hook/error']);
	});
});

describe('retries on the sandbox clock (2.6.2)', () => {
	it('has the documented schedule: every minute from 86.4 s to 864 s, hourly to 12 h, nightly to 6 days', () => {
		const schedule = webhookRetrySchedule(START).map((at) => at - START);
		expect(schedule.slice(0, 13)).toEqual(Array.from({ length: 13 }, (_, index) => 86_400 + index * 60_000));
		expect(schedule.slice(13, 25)).toEqual(Array.from({ length: 12 }, (_, index) => 864_000 + index * HOUR));
		const nights = webhookRetrySchedule(START).slice(25);
		// START is 10:30 CET; the nights are 03:00 CET = 02:00 UTC, from the night after 12 h until 6 days.
		expect(nights.map((at) => new Date(at).toISOString())).toEqual([
			'2025-03-02T02:00:00.000Z',
			'2025-03-03T02:00:00.000Z',
			'2025-03-04T02:00:00.000Z',
			'2025-03-05T02:00:00.000Z',
			'2025-03-06T02:00:00.000Z',
			'2025-03-07T02:00:00.000Z',
		]);
		expect(nights.every((at) => at - START <= 6 * DAY)).toBe(true);
	});

	it('puts the nights at 03:00 German summer time in summer', () => {
		const night = webhookRetrySchedule(Date.UTC(2025, 6, 1, 10))[25];
		expect(new Date(night).toISOString()).toBe('2025-07-02T01:00:00.000Z');
	});

	it('retries until answered 200 or 202; other answers, 204 included, count as failures', async () => {
		receiver.answerWith(500);
		await create({ Autotest: 'POSITIVE', WebhookURL: { OnFinal: hook('final') } });
		await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
		expect(context.idnow.pendingWebhooks()).toEqual([
			expect.objectContaining({ webhook: 'OnFinal', attempt: 2, dueAt: START + 20_000 + 86_400 }),
		]);
		await context.idnow.advanceClock(86_400 - 1);
		expect(receiver.received()).toHaveLength(1);
		receiver.answerWith(204);
		await context.idnow.advanceClock(1);
		expect(receiver.received()).toHaveLength(2);
		receiver.answerWith(202);
		const attempts = await context.idnow.advanceClock(60_000);
		expect(attempts).toEqual([expect.objectContaining({ attempt: 3, status: 202, acknowledged: true })]);
		expect(context.idnow.pendingWebhooks()).toEqual([]);
		expect(context.idnow.webhookAttempts().map((attempt) => [attempt.attempt, attempt.status, attempt.atIso])).toEqual([
			[1, 500, '2025-03-01T10:30:20+01:00'],
			[2, 204, '2025-03-01T10:31:46+01:00'],
			[3, 202, '2025-03-01T10:32:46+01:00'],
		]);
	});

	it('sends every retry due after a long jump, in order, and gives up after 6 days', async () => {
		receiver.answerWith(503);
		await create({ Autotest: 'POSITIVE', WebhookURL: { OnFinal: hook('final') } });
		await context.idnow.advanceClock(7 * DAY);
		const attempts = context.idnow.webhookAttempts();
		expect(attempts).toHaveLength(1 + webhookRetrySchedule(START + 20_000).length);
		expect(attempts.map((attempt) => attempt.at)).toEqual(
			[...attempts.map((attempt) => attempt.at)].sort((a, b) => a - b),
		);
		expect(context.idnow.pendingWebhooks()).toEqual([]);
	});

	it('counts an unreachable or silent receiver as a failure', async () => {
		receiver.receiver.queueFault({ kind: 'hang' });
		await create({
			Autotest: 'POSITIVE',
			WebhookURL: { OnFinal: hook('final'), AfterIdent: 'http://127.0.0.1:9/hook/closed' },
		});
		await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
		const attempts = context.idnow.webhookAttempts();
		expect(attempts.map((attempt) => [attempt.webhook, attempt.status, attempt.acknowledged])).toEqual([
			['AfterIdent', null, false],
			['OnFinal', null, false],
		]);
		expect(attempts[1].error).toContain('did not answer within 300 ms');
		await context.idnow.advanceClock(86_400);
		expect(context.idnow.webhookAttempts().at(-1)).toMatchObject({ webhook: 'OnFinal', attempt: 2, status: 200 });
	});

	it('goes out when the clock is moved over HTTP; the webhooks control answers after the deliveries', async () => {
		await create({ Autotest: 'POSITIVE', WebhookURL: { OnFinal: hook('final') } });
		await fetch(`${context.base}/__sandbox/clock/advance`, {
			method: 'POST',
			body: JSON.stringify({ ms: TESTROBOT_DELAY_MS }),
		});
		const state = await control(context, 'GET', '/webhooks');
		expect(state.body.attempts).toEqual([expect.objectContaining({ webhook: 'OnFinal', status: 200 })]);
		expect(state.body.events).toHaveLength(1);
	});

	it('sends due webhooks of a ticking clock through the pump, without anyone calling', async () => {
		const ticking = new IdnowSimulator({ clock: new SandboxClock({ ticking: true }), pumpIntervalMs: 20 });
		await ticking.start();
		try {
			ticking.configureAccount(IDNOW_TEST_ACCOUNT.user, { testrobotDelayMs: 50 });
			ticking.createOrderDirect({ Product: 12, Autotest: 'POSITIVE', WebhookURL: { OnFinal: hook('ticking') } });
			await new Promise((resolve) => setTimeout(resolve, 300));
			await ticking.settle();
			expect(receiver.received().map((call) => call.path)).toEqual(['/hook/ticking']);
		} finally {
			await ticking.stop();
		}
	});
});

describe('duplicates and forged calls', () => {
	it('redelivers an event any number of times, to its URL or another', async () => {
		await create({ Autotest: 'POSITIVE', WebhookURL: { OnFinal: hook('final?o=[OrderID]') } });
		await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
		const [event] = context.idnow.webhookEvents();
		const again = await context.idnow.redeliverWebhook(event.id, { times: 2 });
		expect(again.map((attempt) => [attempt.kind, attempt.url])).toEqual([
			['redelivery', event.url],
			['redelivery', event.url],
		]);
		const viaControl = await control(context, 'POST', `/webhooks/${event.id}/redeliver`, { url: hook('elsewhere') });
		expect(viaControl.body.attempts).toEqual([expect.objectContaining({ url: hook('elsewhere'), status: 200 })]);
		expect(receiver.received().map((call) => call.path)).toEqual([
			'/hook/final',
			'/hook/final',
			'/hook/final',
			'/hook/elsewhere',
		]);
		expect((await control(context, 'POST', '/webhooks/nope/redeliver', {})).status).toBe(404);
	});

	it('sends a call to any URL with any method, as a forger would', async () => {
		const sent = await context.idnow.sendWebhook({ url: hook('forged?orderID=99900000000000'), times: 2 });
		expect(sent.map((attempt) => [attempt.kind, attempt.method, attempt.eventId])).toEqual([
			['manual', 'GET', null],
			['manual', 'GET', null],
		]);
		const put = await control(context, 'POST', '/webhooks/send', { url: hook('forged'), method: 'PUT' });
		expect(put.body.attempts[0]).toMatchObject({ method: 'PUT', status: 200 });
		expect((await control(context, 'POST', '/webhooks/send', { url: hook('x'), method: 'DELETE' })).status).toBe(400);
		expect((await control(context, 'POST', '/webhooks/send', { url: 'ftp://x' })).status).toBe(400);
	});

	it('flushes pending retries at once, whatever the clock says', async () => {
		receiver.answerWith(500);
		await create({ Autotest: 'POSITIVE', WebhookURL: { OnFinal: hook('final') } });
		await context.idnow.advanceClock(TESTROBOT_DELAY_MS);
		receiver.answerWith(200);
		const flushed = await context.idnow.flushWebhooks();
		expect(flushed).toEqual([expect.objectContaining({ attempt: 2, status: 200 })]);
	});
});
