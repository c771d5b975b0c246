/** Shared setup of the IDnow simulator's own tests (not a test file itself). */
import { jsonResponse, SandboxClock, SandboxServer } from '../framework';
import { IDNOW_API_PREFIX, IDNOW_TEST_ACCOUNT, IdnowSimulator, type IdnowSimulatorOptions } from './index';

/** 2025-03-01 10:30:00 in Germany (CET). */
export const START = Date.UTC(2025, 2, 1, 9, 30, 0);
export const TESTROBOT_DELAY_MS = 20_000;

export interface SimulatorContext {
	idnow: IdnowSimulator;
	base: string;
}

/** A fresh simulator per test, frozen clock at START, started on an ephemeral port. */
export function useSimulator(options: IdnowSimulatorOptions = {}): SimulatorContext {
	const context = {} as SimulatorContext;
	beforeEach(async () => {
		context.idnow = new IdnowSimulator({ clock: new SandboxClock({ startMs: START }), ...options });
		context.base = await context.idnow.start();
	});
	afterEach(() => context.idnow.stop());
	return context;
}

export interface Credentials {
	user: string;
	password: string;
}

export function basic(credentials: Credentials): string {
	return `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
}

export interface Answer {
	status: number;
	headers: Headers;
	raw: Buffer;
	/** Parsed JSON when the answer is JSON, else the text. Checked with matchers, so loosely typed. */
	body: any;
}

export async function toAnswer(response: Response): Promise<Answer> {
	const raw = Buffer.from(await response.arrayBuffer());
	const isJson = (response.headers.get('content-type') ?? '').includes('json') && raw.length > 0;
	let body: unknown = raw.toString('utf8');
	if (isJson) {
		try {
			body = JSON.parse(raw.toString('utf8'));
		} catch {
			// An encrypted /crypt body keeps its JSON content type; it stays raw.
		}
	}
	return { status: response.status, headers: response.headers, raw, body };
}

/** Calls `/api/2.10/<path>` as an account; `credentials: null` sends no Authorization header. */
export function apiClient(context: SimulatorContext) {
	return async function api(
		method: string,
		path: string,
		options: { body?: unknown; credentials?: Credentials | null; headers?: Record<string, string> } = {},
	): Promise<Answer> {
		const credentials = options.credentials === undefined ? IDNOW_TEST_ACCOUNT : options.credentials;
		const headers: Record<string, string> = { ...options.headers };
		if (credentials !== null) headers.authorization = basic(credentials);
		if (options.body !== undefined) headers['content-type'] = 'application/json';
		const response = await fetch(`${context.base}${IDNOW_API_PREFIX}/${path}`, {
			method,
			headers,
			body:
				options.body === undefined
					? undefined
					: typeof options.body === 'string'
						? options.body
						: JSON.stringify(options.body),
		});
		return toAnswer(response);
	};
}

/** `/__sandbox/idnow<path>` */
export async function control(
	context: SimulatorContext,
	method: string,
	path: string,
	body?: unknown,
): Promise<Answer> {
	const response = await fetch(`${context.base}/__sandbox/idnow${path}`, {
		method,
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return toAnswer(response);
}

export interface ReceivedCall {
	method: string;
	path: string;
	query: Record<string, string>;
	body: string;
}

export interface ReceiverContext {
	receiver: SandboxServer;
	origin: string;
	/** The status the receiver answers with from now on (default 200). */
	answerWith(status: number): void;
	received(): ReceivedCall[];
}

/** A webhook receiver (as n8n would be) answering GET, POST and PUT under /hook/…, fresh per test. */
export function useReceiver(): ReceiverContext {
	const context = {} as ReceiverContext;
	let status = 200;
	beforeEach(async () => {
		status = 200;
		const answer = () => jsonResponse(status, { ok: status < 300 });
		context.receiver = new SandboxServer({ name: 'receiver' })
			.route('GET', '/hook/*', answer)
			.route('POST', '/hook/*', answer)
			.route('PUT', '/hook/*', answer);
		context.origin = await context.receiver.start();
	});
	afterEach(() => context.receiver.stop());
	context.answerWith = (next) => {
		status = next;
	};
	context.received = () =>
		context.receiver.requests({ path: '/hook/*' }).map((entry) => ({
			method: entry.method,
			path: entry.path,
			query: entry.query,
			body: entry.body.toString('utf8'),
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
}

/** The document's Testrobot example body (9.5), as a client would send it. */
export const DOC_TESTROBOT_ORDER = {
	Ref: 'Test order',
	Autotest: 'POSITIVE',
	Product: 19,
	IdentData: {
		Email: 'mustermann@idnow.io',
		Gender: 'male',
		Firstname: 'Hans',
		Surname: 'Mustermann',
		Street: 'Musterstr 10',
		ZipCode: '40231',
		City: 'Düssledorf',
		Country: 'DE',
		Birthdate: '1980-01-01',
		Birthplace: 'Düssledorf',
		Nationality: 'DE',
		CollectedBy: 'Mustermann',
		IDCard: {
			CardNo: 'f8b2931c-46b0-477f-bad5-23649a9bb948',
			PlaceOfIssue: 'Düssledorf',
			DateOfIssue: '2010-12-12',
			ValidUntil: '2030-12-12',
			Type: 'IDCard',
			CountryOfIssue: 'DE',
		},
	},
};

/** A one-page PDF to sign. */
export function samplePdf(text = 'Contract'): Buffer {
	const body = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
	return Buffer.from(
		`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n2 0 obj << /Length ${body.length} >>\nstream\n${body}\nendstream endobj\n` +
			'trailer << /Root 1 0 R >>\n%%EOF\n',
		'latin1',
	);
}
