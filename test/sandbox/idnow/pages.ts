/**
 * The person's page behind TargetURL (`/status/<token>`), DeepLinkURL (`/ident/<token>`) and AutoIdURL
 * (`/autoid/<token>`). In production that is IDnow's landing page and then the video call, eID or autoID flow; the
 * sandbox offers one plain HTML form instead, where a person trying the demo (or a browser test) picks what the
 * Testrobot would do: positive, negative, fraud, or cancel (the person refuses: status 16).
 */
import { htmlResponse, type SandboxServer, type SandboxResponse } from '../framework';
import { describeCode, LANDING_PATHS, type Engine } from './engine';
import type { FlowOutcome } from './flows';
import { berlinTime } from './format';
import { isFinalCode } from './statusCodes';
import { IDNOW_PRODUCTS, type StoredOrder } from './types';
import { substitutePlaceholders } from './webhooks';

const OUTCOMES: readonly FlowOutcome[] = ['positive', 'negative', 'fraud', 'cancel'];
const OUTCOME_LABELS: Record<FlowOutcome, string> = {
	positive: 'Identify successfully',
	negative: 'Fail the identification',
	fraud: 'Identify as a fraud attempt',
	cancel: 'Cancel (refuse the identification)',
};

export function registerLandingPages(server: SandboxServer, engine: Engine): void {
	for (const path of Object.values(LANDING_PATHS)) {
		server.route('GET', `${path}/:token`, (request) =>
			withOrder(engine, request.params.token, (order) => htmlResponse(200, landingPage(engine, order))),
		);
		server.route('POST', `${path}/:token`, (request) =>
			withOrder(engine, request.params.token, (order) => {
				const form = request.form();
				const outcome = OUTCOMES.find((candidate) => candidate === form.outcome);
				if (outcome === undefined) return htmlResponse(400, messagePage(`Choose one of: ${OUTCOMES.join(', ')}.`));
				if (engine.store.isFinal(order)) return htmlResponse(409, finishedPage(order));
				if (order.flowRunning) return htmlResponse(409, messagePage('The identification is already under way.'));
				const immediate = form.immediate !== undefined;
				engine.startFlow(order, outcome, { immediate });
				return htmlResponse(200, startedPage(engine, order, outcome, immediate));
			}),
		);
	}
}

function withOrder(engine: Engine, token: string, use: (order: StoredOrder) => SandboxResponse): SandboxResponse {
	engine.catchUp();
	const order = engine.store.byToken(token);
	if (order === undefined) return htmlResponse(404, messagePage('No such identification.'));
	return use(order);
}

function landingPage(engine: Engine, order: StoredOrder): string {
	if (engine.store.isFinal(order)) return finishedPage(order);
	const running = order.flowRunning
		? '<p id="running">The identification is under way; its result follows on the sandbox clock.</p>'
		: '';
	const documents = order.documents.map((document) => `<li>${escapeHtml(document.filename)}</li>`).join('');
	const buttons = OUTCOMES.map(
		(outcome) => `<button type="submit" name="outcome" value="${outcome}">${OUTCOME_LABELS[outcome]}</button>`,
	).join('\n');
	return page(`<h1>IDnow sandbox — identification</h1>
${orderFacts(order)}
${documents ? `<p>Documents to sign:</p>\n<ul>${documents}</ul>` : ''}
${running}
<form method="post">
<label><input type="checkbox" name="immediate" value="1"> Finish at once (no Testrobot delay)</label><br>
${buttons}
</form>`);
}

function startedPage(engine: Engine, order: StoredOrder, outcome: FlowOutcome, immediate: boolean): string {
	if (engine.store.isFinal(order)) return finishedPage(order);
	const delayMs = engine.settingsOf(order).testrobotDelayMs;
	const when = immediate ? 'now' : `at ${berlinTime(engine.now() + delayMs)} on the sandbox clock`;
	return page(`<h1>IDnow sandbox</h1>
<p id="message">Outcome chosen: ${outcome}. The order reaches its result ${when}.</p>
${orderFacts(order)}`);
}

function finishedPage(order: StoredOrder): string {
	const final = order.statuses.find((entry) => isFinalCode(entry.kind, order.eSign));
	const positive = order.statuses.some((entry) => entry.kind === (order.eSign ? 84 : 6));
	const target = positive ? order.redirect.success : order.redirect.abort;
	const link = target === undefined ? '' : substitutePlaceholders(target, { orderId: order.id, ref: order.ref });
	return page(`<h1>IDnow sandbox</h1>
<p id="message">This identification is finished: ${final?.kind} ${escapeHtml(describeCode(final?.kind ?? 0))}.</p>
${orderFacts(order)}
${link ? `<p><a id="redirect" href="${escapeHtml(link)}">Back to the company</a></p>` : ''}`);
}

function orderFacts(order: StoredOrder): string {
	const last = order.statuses[order.statuses.length - 1];
	const product = IDNOW_PRODUCTS[order.product] ?? `product ${order.product}`;
	return `<dl>
<dt>Order</dt><dd id="order-id">${escapeHtml(order.id)}</dd>
<dt>Reference</dt><dd id="ref">${escapeHtml(order.ref)}</dd>
<dt>Product</dt><dd>${escapeHtml(product)}</dd>
<dt>Status</dt><dd id="status">${last ? `${last.kind} ${escapeHtml(describeCode(last.kind))}` : ''}</dd>
</dl>`;
}

function messagePage(message: string): string {
	return page(`<h1>IDnow sandbox</h1>\n<p id="message">${escapeHtml(message)}</p>`);
}

function page(body: string): string {
	return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>IDnow sandbox</title></head>
<body>
${body}
</body>
</html>
`;
}

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
