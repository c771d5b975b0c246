/** Shared setup of the eeID simulator's own tests (not a test file itself). */
import { createHmac } from 'node:crypto';

import { jsonResponse, SandboxClock, SandboxServer } from '../framework';
import {
	EEID_REQUESTS_PATH,
	EEID_TEST_CLIENT,
	EEID_TOKEN_PATH,
	EeIdSimulator,
	type EeIdClient,
	type EeIdIdentificationRequest,
	type EeIdSimulatorOptions,
} from './index';

export const START = Date.UTC(2025, 2, 1, 9, 30, 0);
export const WEBHOOK_PATH = '/webhook/abc/eeid/webhooks/identification_requests';
export const SUB_CLAIM = { type: 'sub', value: 'EE38001085718' } as const;

export interface SimulatorContext {
	eeid: EeIdSimulator;
	base: string;
}

/** A fresh simulator per test, frozen clock at START, started on an ephemeral port. */
export function useSimulator(options: EeIdSimulatorOptions = {}): SimulatorContext {
	const context = {} as SimulatorContext;
	beforeEach(async () => {
		context.eeid = new EeIdSimulator({ clock: new SandboxClock({ startMs: START }), ...options });
		context.base = await context.eeid.start();
	});
	afterEach(() => context.eeid.stop());
	return context;
}

export function basic(client: Pick<EeIdClient, 'clientId' | 'clientSecret'>): string {
	return `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`;
}

export function apiClient(context: SimulatorContext) {
	async function token(client: EeIdClient = EEID_TEST_CLIENT): Promise<string> {
		const answer = await fetch(`${context.base}${EEID_TOKEN_PATH}`, {
			method: 'POST',
			headers: { authorization: basic(client) },
		});
		expect(answer.status).toBe(201);
		return ((await answer.json()) as { access_token: string }).access_token;
	}

	async function api(path: string, accessToken: string | undefined, init: { method?: string; body?: unknown } = {}) {
		const answer = await fetch(`${context.base}${path}`, {
			method: init.method ?? 'GET',
			headers: {
				...(accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` }),
				'content-type': 'application/json',
			},
			body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
		});
		const text = await answer.text();
		// Answers are checked field by field with jest matchers, so their static type does not matter here.
		return { status: answer.status, headers: answer.headers, body: (text ? JSON.parse(text) : undefined) as any };
	}

	async function create(
		accessToken: string,
		body: unknown = { claims_required: [SUB_CLAIM] },
	): Promise<EeIdIdentificationRequest> {
		const answer = await api(EEID_REQUESTS_PATH, accessToken, { method: 'POST', body });
		expect(answer.status).toBe(201);
		return answer.body;
	}

	/** `/__sandbox/eeid<path>` */
	async function control(method: string, path: string, body?: unknown) {
		const answer = await fetch(`${context.base}/__sandbox/eeid${path}`, {
			method,
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return { status: answer.status, body: (await answer.json()) as any };
	}

	return { token, api, create, control };
}

export function hmac(secret: string, body: string): string {
	return createHmac('sha256', secret).update(body).digest('hex');
}

export interface ReceiverContext {
	receiver: SandboxServer;
	webhookUrl: string;
	received(): Array<{ body: string; signature: string | undefined; contentType: string | undefined }>;
}

/** A webhook receiver (as n8n would be) answering 200 {"ok":true} at WEBHOOK_PATH, fresh per test. */
export function useReceiver(): ReceiverContext {
	const context = {} as ReceiverContext;
	beforeEach(async () => {
		context.receiver = new SandboxServer({ name: 'n8n webhook' }).route('POST', WEBHOOK_PATH, () =>
			jsonResponse(200, { ok: true }),
		);
		context.webhookUrl = `${await context.receiver.start()}${WEBHOOK_PATH}`;
	});
	afterEach(() => context.receiver.stop());
	context.received = () =>
		context.receiver.requests({ path: WEBHOOK_PATH }).map((entry) => ({
			body: entry.body.toString('utf8'),
			signature: entry.headers['x-hmac-signature'] as string | undefined,
			contentType: entry.headers['content-type'],
		}));
	return context;
}

/** Checks what a PDF reader relies on: header, every xref offset landing on its object, startxref, EOF. */
export function expectValidPdf(bytes: Buffer): void {
	const text = bytes.toString('latin1');
	expect(text.startsWith('%PDF-1.4\n')).toBe(true);
	expect(text.endsWith('%%EOF\n')).toBe(true);
	const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)?.[1]);
	expect(text.slice(startxref, startxref + 5)).toBe('xref\n');
	const entries = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n \n/gm)].map((match) => Number(match[1]));
	expect(entries.length).toBeGreaterThanOrEqual(5);
	entries.forEach((offset, index) => expect(text.slice(offset, offset + 8)).toBe(`${index + 1} 0 obj\n`));
	for (const match of text.matchAll(/<< \/Length (\d+) >>\nstream\n/g)) {
		const dataStart = (match.index ?? 0) + match[0].length;
		expect(text.slice(dataStart + Number(match[1]), dataStart + Number(match[1]) + 10)).toBe('\nendstream');
	}
}
