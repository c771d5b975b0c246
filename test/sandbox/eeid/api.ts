/**
 * The documented API: token, list, create, get, proof of identity. Authentication, ownership and paging live
 * here; validation, data and the PDF in their own modules.
 */
import { HttpError, jsonResponse, streamResponse, type SandboxRequest } from '../framework';
import { proofDocument, proofFileName } from './proof';
import type { EeIdSimulator } from './simulator';
import { linkBase, TOKEN_LIFETIME_SECONDS, type EeIdStore } from './store';
import { EEID_REQUESTS_PATH, EEID_TOKEN_PATH, type EeIdClient, type StoredRequest } from './types';
import { integerParam } from './validation';

const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 100;

export function registerApi(simulator: EeIdSimulator, store: EeIdStore): void {
	const present = (stored: StoredRequest) => store.present(stored, linkBase(simulator));

	simulator.route('POST', EEID_TOKEN_PATH, (request) => {
		const client = basicClient(store, request);
		return jsonResponse(201, {
			access_token: store.issueToken(client.clientId),
			token_type: 'Bearer',
			expires_in: TOKEN_LIFETIME_SECONDS,
		});
	});

	simulator.route('GET', EEID_REQUESTS_PATH, (request) => {
		const clientId = bearerClient(store, request);
		const { pageBase } = simulator.settings;
		// An absent page is the server's first page, whichever the base; the answer always says which page it is.
		const page = integerParam(request.query.page, pageBase, 'page', pageBase);
		const requestedSize = integerParam(request.query.page_size, DEFAULT_PAGE_SIZE, 'page_size', 1);
		// Capped rather than refused, so a client asking for more than a page holds must keep paging.
		const pageSize = Math.min(requestedSize, MAX_PAGE_SIZE);
		const own = store.newestFirst(clientId);
		const start = (page - pageBase) * pageSize;
		return jsonResponse(200, {
			page,
			page_size: pageSize,
			total: own.length,
			items: own.slice(start, start + pageSize).map((stored) => present(stored)),
		});
	});

	simulator.route('POST', EEID_REQUESTS_PATH, (request) => {
		const clientId = bearerClient(store, request);
		return jsonResponse(201, present(store.create(request.json(), clientId, { requireSub: true })));
	});

	simulator.route('GET', `${EEID_REQUESTS_PATH}/:id`, (request) =>
		jsonResponse(200, present(store.owned(request.params.id, bearerClient(store, request)))),
	);

	simulator.route('GET', `${EEID_REQUESTS_PATH}/:id/proof_of_identity`, (request) => {
		const stored = store.owned(request.params.id, bearerClient(store, request));
		const document = proofDocument(stored, simulator.settings.proofPaddingBytes);
		return streamResponse(200, document.toStream(), 'application/pdf', {
			'content-length': String(document.length),
			'content-disposition': `attachment; filename="${proofFileName(stored)}"`,
		});
	});
}

function basicClient(store: EeIdStore, request: SandboxRequest): EeIdClient {
	const encoded = /^Basic\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
	const decoded = encoded === undefined ? '' : Buffer.from(encoded, 'base64').toString('utf8');
	const separator = decoded.indexOf(':');
	const client =
		separator < 0 ? undefined : store.authenticate(decoded.slice(0, separator), decoded.slice(separator + 1));
	if (client === undefined) throw new HttpError(401);
	return client;
}

/** The client whose unexpired token authorises this request. */
function bearerClient(store: EeIdStore, request: SandboxRequest): string {
	const token = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
	const clientId = token === undefined ? undefined : store.tokenClient(token);
	if (clientId === undefined) throw new HttpError(401);
	return clientId;
}
